package dev.bertgen.examples.presets;

import dev.bertgen.dsl.BertOverrides;
import dev.bertgen.dsl.BertSpec;

/**
 * A custom architecture declared in Java: 4 layers, 256 wide, the uncased BERT vocabulary, shorter
 * sequences for quick experiments.
 */
@BertSpec(
    presetName = "mini_bert_en_uncased",
    description = "4-layer, 256-wide BERT with the uncased vocabulary",
    vocabularySize = 30522,
    numLayers = 4,
    numHeads = 4,
    hiddenDim = 256,
    intermediateDim = 1024)
@BertOverrides(sequenceLength = 128, maskSelectionLength = 20)
public interface MiniBert {}
