package dev.bertgen.examples.presets;

import dev.bertgen.dsl.BertPreset;

/** keras-hub's {@code bert_base_multi}: javac generates {@code BaseMultilingualBertConfig}, {@code BaseMultilingualBertMaskedLM}, ... */
@BertPreset("bert_base_multi")
public interface BaseMultilingualBert {}
