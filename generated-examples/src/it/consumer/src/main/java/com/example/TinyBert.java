package com.example;

import dev.bertgen.dsl.BertPreset;

@BertPreset("bert_tiny_en_uncased")
interface TinyBert {}
