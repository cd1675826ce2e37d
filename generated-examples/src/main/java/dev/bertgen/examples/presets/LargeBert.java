package dev.bertgen.examples.presets;

import dev.bertgen.dsl.BertPreset;

/** keras-hub's {@code bert_large_en_uncased}: javac generates {@code LargeBertConfig}, {@code LargeBertMaskedLM}, ... */
@BertPreset("bert_large_en_uncased")
public interface LargeBert {}
