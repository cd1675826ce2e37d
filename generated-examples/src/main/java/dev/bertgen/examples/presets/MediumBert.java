package dev.bertgen.examples.presets;

import dev.bertgen.dsl.BertPreset;

/** keras-hub's {@code bert_medium_en_uncased}: javac generates {@code MediumBertConfig}, {@code MediumBertMaskedLM}, ... */
@BertPreset("bert_medium_en_uncased")
public interface MediumBert {}
