package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConsumerTest {
  @Test
  void generatedClassesWork() {
    assertEquals(128, TinyBertConfig.HIDDEN_DIM);
    TinyBertMaskedLM mlm = TinyBertMaskedLM.create();
    assertEquals(4_433_210L, mlm.parameterCount());
    assertTrue(mlm.backbone() instanceof TinyBertBackbone);
    System.out.println("consumer: HIDDEN_DIM=" + TinyBertConfig.HIDDEN_DIM + ", parameters=" + mlm.parameterCount());
  }
}
