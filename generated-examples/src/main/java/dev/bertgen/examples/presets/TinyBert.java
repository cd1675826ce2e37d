package dev.bertgen.examples.presets;

import dev.bertgen.dsl.BertPreset;

/** keras-hub's {@code bert_tiny_en_uncased}: javac generates {@code TinyBertConfig}, {@code TinyBertMaskedLM}, ... */
@BertPreset("bert_tiny_en_uncased")
public interface TinyBert {}
