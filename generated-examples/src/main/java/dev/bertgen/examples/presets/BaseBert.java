package dev.bertgen.examples.presets;

import dev.bertgen.dsl.BertPreset;

/** keras-hub's {@code bert_base_en_uncased}: javac generates {@code BaseBertConfig}, {@code BaseBertMaskedLM}, ... */
@BertPreset("bert_base_en_uncased")
public interface BaseBert {}
