package dev.bertgen.examples.presets;

import dev.bertgen.dsl.BertPreset;

/** keras-hub's {@code bert_base_zh}: javac generates {@code BaseChineseBertConfig}, {@code BaseChineseBertMaskedLM}, ... */
@BertPreset("bert_base_zh")
public interface BaseChineseBert {}
