package dev.bertgen.processor;

import static com.google.common.truth.Truth.assertThat;

import com.palantir.javapoet.TypeSpec;
import dev.bertgen.processor.gen.ConfigGenerator;
import dev.bertgen.processor.gen.KernelsGenerator;
import dev.bertgen.processor.gen.MaskedLmGenerator;
import dev.bertgen.processor.gen.PreprocessorGenerator;
import dev.bertgen.processor.model.GenerationModel;
import dev.bertgen.processor.model.Origin;
import dev.bertgen.spec.BuiltinPresets;
import dev.bertgen.spec.PresetSpec;
import org.junit.jupiter.api.Test;

/** The generators are pure functions of the model: tested without javac. */
class GeneratorsTest {

  private static GenerationModel model(String preset) {
    PresetSpec s = BuiltinPresets.get(preset);
    return new GenerationModel("p", "X", "p.X", new Origin.Builtin(preset), s, null);
  }

  @Test
  void configCarriesKerasHubArgumentNamesAndParameterCount() {
    String text = ConfigGenerator.generate(model("bert_base_en_uncased")).toString();
    assertThat(text).contains("public static final int HIDDEN_DIM = 768;");
    assertThat(text).contains("public static final int VOCABULARY_SIZE = 30522;");
    assertThat(text).contains("public static final long BACKBONE_PARAMETER_COUNT = 109482240L;");
    assertThat(text).contains("public static final long MASKED_LM_PARAMETER_COUNT = 110104890L;");
    assertThat(text).doesNotContain("NUM_CLASSES");
    assertThat(text).doesNotContain("@javax.annotation.processing.Generated");
  }

  @Test
  void classifierPresetHasNumClasses() {
    String text = ConfigGenerator.generate(model("bert_tiny_en_uncased_sst2")).toString();
    assertThat(text).contains("public static final int NUM_CLASSES = 2;");
    assertThat(text).contains("TaskConfig.textClassifier(NUM_CLASSES)");
  }

  @Test
  void casedPresetHasNoBundledVocabularyNorCreateOnItsPreprocessor() {
    GenerationModel m = model("bert_base_en");
    assertThat(ConfigGenerator.generate(m).toString()).doesNotContain("BUNDLED_VOCABULARY");
    TypeSpec pre = PreprocessorGenerator.generate(m);
    assertThat(pre.methodSpecs().stream().map(ms -> ms.name()).toList()).doesNotContain("create");
    TypeSpec tiny = PreprocessorGenerator.generate(model("bert_tiny_en_uncased"));
    assertThat(tiny.methodSpecs().stream().map(ms -> ms.name()).toList()).contains("create");
  }

  @Test
  void kernelsPassTheSizesAsConstants() {
    String text = KernelsGenerator.generate(model("bert_tiny_en_uncased")).toString();
    assertThat(text).contains("dispatch(p.XConfig.HIDDEN_DIM, p.XConfig.NUM_HEADS, p.XConfig.HEAD_DIM, "
        + "p.XConfig.INTERMEDIATE_DIM, p.XConfig.VOCABULARY_SIZE)");
  }

  @Test
  void maskedLmFromPresetWithoutArgumentsOnlyWithAHandle() {
    assertThat(MaskedLmGenerator.generate(model("bert_tiny_en_uncased")).methodSpecs().stream()
        .filter(ms -> ms.name().equals("fromPreset")).count()).isEqualTo(3);
    PresetSpec noHandle = new PresetSpec("x", "", null, null, BuiltinPresets.get("bert_tiny_en_uncased").task(),
        BuiltinPresets.get("bert_tiny_en_uncased").backbone(), BuiltinPresets.get("bert_tiny_en_uncased").tokenizer(),
        BuiltinPresets.get("bert_tiny_en_uncased").preprocessor());
    GenerationModel m = new GenerationModel("p", "X", "p.X", new Origin.JavaSpec("p.X"), noHandle, null);
    assertThat(MaskedLmGenerator.generate(m).methodSpecs().stream()
        .filter(ms -> ms.name().equals("fromPreset")).count()).isEqualTo(2);
  }
}
