package dev.bertgen.models;

import static com.google.common.truth.Truth.assertThat;

import org.junit.jupiter.api.Test;

/** The task registry: task types found with ServiceLoader, keyed by keras-hub class names. */
class TaskTypesTest {
  @Test
  void registeredTypesAreKeyedByTaskAndBackboneClass() {
    assertThat(TaskTypes.byTaskClass("BertMaskedLM").orElseThrow()).isInstanceOf(BertMaskedLMType.class);
    assertThat(TaskTypes.byTaskClass("BertTextClassifier").orElseThrow().baseClass())
        .isEqualTo(TextClassifier.class);
    assertThat(TaskTypes.byBackbone(MaskedLM.class, "BertBackbone").orElseThrow().taskClass())
        .isEqualTo("BertMaskedLM");
    assertThat(TaskTypes.byTaskClass("GPT2CausalLM")).isEmpty();
    assertThat(TaskTypes.byBackbone(MaskedLM.class, "GPT2Backbone")).isEmpty();
  }
}
