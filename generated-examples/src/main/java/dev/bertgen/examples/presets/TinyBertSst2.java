package dev.bertgen.examples.presets;

import dev.bertgen.dsl.BertPreset;

/**
 * keras-hub's {@code bert_tiny_en_uncased_sst2}, a binary sentiment classifier: javac generates
 * {@code TinyBertSst2Config}, {@code TinyBertSst2MaskedLM}, ..., and, because the preset is a
 * classifier, {@code TinyBertSst2TextClassifier} (2 classes; {@code fromPreset()} loads its head).
 */
@BertPreset("bert_tiny_en_uncased_sst2")
public interface TinyBertSst2 {}
