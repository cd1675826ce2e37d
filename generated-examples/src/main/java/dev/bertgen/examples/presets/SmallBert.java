package dev.bertgen.examples.presets;

import dev.bertgen.dsl.BertPreset;

/** keras-hub's {@code bert_small_en_uncased}: javac generates {@code SmallBertConfig}, {@code SmallBertMaskedLM}, ... */
@BertPreset("bert_small_en_uncased")
public interface SmallBert {}
