package dev.bertgen.models;

import dev.bertgen.preprocessing.MaskedLMBatch;

/**
 * {@link BertMaskedLM#predict(java.util.List)} on raw strings: the batch the preprocessor made
 * (where it masked, and the original ids there) and the logits at those positions.
 *
 * @param batch the preprocessed texts
 * @param logits (batch, mask slots, vocabulary) logits; slots with weight 0 are padding
 */
public record MaskedLMPredictions(MaskedLMBatch batch, float[][][] logits) {}
