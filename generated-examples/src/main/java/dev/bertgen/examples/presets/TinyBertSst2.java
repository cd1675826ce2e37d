package dev.bertgen.examples.presets;

import dev.bertgen.dsl.BertPreset;

/** keras-hub's {@code bert_tiny_en_uncased_sst2}: javac generates {@code TinyBertSst2Config}, {@code TinyBertSst2MaskedLM}, ... */
@BertPreset("bert_tiny_en_uncased_sst2")
public interface TinyBertSst2 {}
