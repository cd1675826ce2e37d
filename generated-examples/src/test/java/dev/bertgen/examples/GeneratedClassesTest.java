package dev.bertgen.examples;

import static com.google.common.truth.Truth.assertThat;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.bertgen.compute.KernelFamily;

import dev.bertgen.dsl.Truncation;
import dev.bertgen.examples.presets.BaseCasedBertPreprocessor;
import dev.bertgen.examples.presets.MiniBertConfig;
import dev.bertgen.examples.presets.MiniBertMaskedLM;
import dev.bertgen.examples.presets.TinyBertBackbone;
import dev.bertgen.examples.presets.TinyBertConfig;
import dev.bertgen.examples.presets.TinyBertGpuKernels;
import dev.bertgen.examples.presets.TinyBertKernels;
import dev.bertgen.examples.presets.TinyBertMaskedLM;
import dev.bertgen.examples.presets.TinyBertPreprocessor;
import dev.bertgen.examples.presets.TinyBertSst2Config;
import dev.bertgen.spec.BuiltinPresets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The generated classes as a user calls them. */
class GeneratedClassesTest {

  @Test
  void configConstantsAreTheKerasHubArguments() {
    assertThat(TinyBertConfig.VOCABULARY_SIZE).isEqualTo(30522);
    assertThat(TinyBertConfig.NUM_LAYERS).isEqualTo(2);
    assertThat(TinyBertConfig.NUM_HEADS).isEqualTo(2);
    assertThat(TinyBertConfig.HIDDEN_DIM).isEqualTo(128);
    assertThat(TinyBertConfig.INTERMEDIATE_DIM).isEqualTo(512);
    assertThat(TinyBertConfig.MAX_SEQUENCE_LENGTH).isEqualTo(512);
    assertThat(TinyBertConfig.NUM_SEGMENTS).isEqualTo(2);
    assertThat(TinyBertConfig.DROPOUT).isEqualTo(0.1);
    assertThat(TinyBertConfig.SPEC).isEqualTo(BuiltinPresets.get("bert_tiny_en_uncased"));
    assertThat(TinyBertSst2Config.TASK).isEqualTo("TextClassifier");
    assertThat(TinyBertSst2Config.NUM_CLASSES).isEqualTo(2);
  }

  @Test
  void overridesAreBakedIn() {
    assertThat(MiniBertConfig.SEQUENCE_LENGTH).isEqualTo(128);
    assertThat(MiniBertConfig.MASK_SELECTION_LENGTH).isEqualTo(20);
    assertThat(MiniBertConfig.MASK_SELECTION_RATE).isEqualTo(0.15);
    assertThat(MiniBertConfig.TRUNCATE).isEqualTo(Truncation.ROUND_ROBIN);
    assertThat(MiniBertConfig.PRESET_NAME).isEqualTo("mini_bert_en_uncased");
    assertThat(MiniBertConfig.BACKBONE_PARAMETER_COUNT)
        .isEqualTo(MiniBertConfig.SPEC.backbone().parameterCount());
  }

  @Test
  void aGeneratedModelTakesAShorterPreprocessor() {
    TinyBertMaskedLM mlm = TinyBertMaskedLM.create(7);
    mlm.setPreprocessor(mlm.preprocessor().withSequenceLength(64).withMaskSelectionLength(10));
    assertThat(mlm.preprocessor().config().sequenceLength()).isEqualTo(64);
    assertThat(mlm.preprocessor().config().maskSelectionLength()).isEqualTo(10);
    assertThat(mlm.preprocessor().call("a member of the genus canis").inputs().tokenIds()[0]).hasLength(64);
  }

  @Test
  void createBuildsAKerasHubInitializedModel() {
    TinyBertMaskedLM mlm = TinyBertMaskedLM.create(7);
    assertThat(mlm.parameterCount()).isEqualTo(TinyBertConfig.MASKED_LM_PARAMETER_COUNT);
    assertThat(mlm.parameterCount()).isEqualTo(4_433_210L);
    assertThat(mlm.backbone()).isInstanceOf(TinyBertBackbone.class);
    assertThat(mlm.backbone().parameterCount()).isEqualTo(TinyBertConfig.BACKBONE_PARAMETER_COUNT);
    assertThat(mlm.preprocessor()).isInstanceOf(TinyBertPreprocessor.class);
    assertThat(mlm.preprocessor().config().sequenceLength()).isEqualTo(512);
    Map<String, float[]> w = mlm.getWeights();
    assertThat(w.get("token_embedding/embeddings")).hasLength(30522 * 128);
    assertThat(w.get("mlm_head/output_bias")).hasLength(30522);
    // keras-hub initializers: ones, zeros, truncated normal(0.02) within two standard deviations
    float[] gamma = w.get("embeddings_layer_norm/gamma");
    float[] bias = w.get("transformer_layer_1/feedforward_output_dense/bias");
    float[] kernel = w.get("transformer_layer_0/self_attention_layer/query/kernel");
    for (float g : gamma) {
      assertThat(g).isEqualTo(1f);
    }
    for (float b : bias) {
      assertThat(b).isEqualTo(0f);
    }
    double sum = 0;
    double sq = 0;
    for (float k : kernel) {
      assertThat(Math.abs(k)).isAtMost(0.04f);
      sum += k;
      sq += k * k;
    }
    double std = Math.sqrt(sq / kernel.length - Math.pow(sum / kernel.length, 2));
    // a normal truncated at 2 sigma has 0.88 of the untruncated standard deviation
    assertThat(std).isWithin(0.001).of(0.02 * 0.8796);
    assertThat(Arrays.equals(kernel, TinyBertMaskedLM.create(7).getWeights()
        .get("transformer_layer_0/self_attention_layer/query/kernel"))).isTrue();
    assertThat(Arrays.equals(kernel, TinyBertMaskedLM.create(8).getWeights()
        .get("transformer_layer_0/self_attention_layer/query/kernel"))).isFalse();
  }

  @Test
  void backboneAloneHasNoHead() {
    TinyBertBackbone b = TinyBertBackbone.create();
    assertThat(b.getWeights()).doesNotContainKey("mlm_head/output_bias");
    assertThat(b.parameterCount()).isEqualTo(4_385_920L);
  }

  @Test
  void specializedKernelClassIsTheOneUsed() {
    assertThat(TinyBertBackbone.KERNELS.create(TinyBertConfig.SPEC.backbone(), KernelFamily.CPU))
        .isInstanceOf(TinyBertKernels.class);
    assertThat(TinyBertBackbone.KERNELS.create(TinyBertConfig.SPEC.backbone(), KernelFamily.GPU))
        .isInstanceOf(TinyBertGpuKernels.class);
    assertThat(TinyBertMaskedLM.SPECIALIZATION.kernels()).isSameInstanceAs(TinyBertBackbone.KERNELS);
  }

  @Test
  void customSpecHasTheBundledVocabulary() {
    MiniBertMaskedLM mini = MiniBertMaskedLM.create();
    assertThat(mini.preprocessor().tokenizer().vocabularySize()).isEqualTo(30522);
    assertThat(mini.preprocessor().tokenizer().tokenToId("[MASK]")).isEqualTo(103);
  }

  @Test
  void casedPresetHasNoOfflineVocabulary() throws NoSuchMethodException {
    assertThrows(NoSuchMethodException.class, () -> BaseCasedBertPreprocessor.class.getMethod("create"));
    assertThat(TinyBertPreprocessor.class.getMethod("create")).isNotNull();
  }
}
