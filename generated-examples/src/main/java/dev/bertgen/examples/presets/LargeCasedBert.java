package dev.bertgen.examples.presets;

import dev.bertgen.dsl.BertPreset;

/** keras-hub's {@code bert_large_en}: javac generates {@code LargeCasedBertConfig}, {@code LargeCasedBertMaskedLM}, ... */
@BertPreset("bert_large_en")
public interface LargeCasedBert {}
