package dev.bertgen.examples.presets;

import dev.bertgen.dsl.BertPreset;

/** keras-hub's {@code bert_base_en}: javac generates {@code BaseCasedBertConfig}, {@code BaseCasedBertMaskedLM}, ... */
@BertPreset("bert_base_en")
public interface BaseCasedBert {}
