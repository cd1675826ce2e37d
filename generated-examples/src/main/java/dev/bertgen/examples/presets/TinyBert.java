package dev.bertgen.examples.presets;

import dev.bertgen.dsl.BertPreset;

/**
 * keras-hub's {@code bert_tiny_en_uncased}: javac generates {@code TinyBertConfig},
 * {@code TinyBertMaskedLM}, ..., and {@code TinyBertTextClassifier}, a classifier of the 6 classes of
 * the app's embedded WordNet set ({@code bertgen train-classifier}).
 */
@BertPreset(value = "bert_tiny_en_uncased", numClasses = 6)
public interface TinyBert {}
