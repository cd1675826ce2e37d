package dev.bertgen.spec;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import dev.bertgen.dsl.Activation;
import dev.bertgen.dsl.TokenizerFlavor;
import dev.bertgen.dsl.Truncation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every shipped preset file against the schema and against keras-hub's preset table. */
class ShippedPresetsTest {

  /** keras-hub's table (keras-hub-bert-spec.md §1): L, H, heads, I, V, params, lowercase. */
  static final Map<String, long[]> KERAS_HUB_TABLE = Map.of(
      "bert_tiny_en_uncased", new long[] {2, 128, 2, 512, 30522, 4_385_920L, 1},
      "bert_tiny_en_uncased_sst2", new long[] {2, 128, 2, 512, 30522, 4_385_920L, 1},
      "bert_small_en_uncased", new long[] {4, 512, 8, 2048, 30522, 28_763_648L, 1},
      "bert_medium_en_uncased", new long[] {8, 512, 8, 2048, 30522, 41_373_184L, 1},
      "bert_base_en_uncased", new long[] {12, 768, 12, 3072, 30522, 109_482_240L, 1},
      "bert_base_en", new long[] {12, 768, 12, 3072, 28996, 108_310_272L, 0},
      "bert_base_zh", new long[] {12, 768, 12, 3072, 21128, 102_267_648L, 0},
      "bert_base_multi", new long[] {12, 768, 12, 3072, 119547, 177_853_440L, 0},
      "bert_large_en_uncased", new long[] {24, 1024, 16, 4096, 30522, 335_141_888L, 1},
      "bert_large_en", new long[] {24, 1024, 16, 4096, 28996, 333_579_264L, 0});

  static Stream<String> names() {
    return BuiltinPresets.names().stream();
  }

  @Test
  void indexListsExactlyTheTenKerasHubPresetsAndEveryFile() throws IOException {
    assertThat(new TreeSet<>(BuiltinPresets.names())).isEqualTo(new TreeSet<>(KERAS_HUB_TABLE.keySet()));
    Path dir = Path.of("src/main/resources", BuiltinPresets.DIRECTORY);
    try (Stream<Path> files = Files.list(dir)) {
      List<String> yamls = files.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".yaml"))
          .map(f -> f.substring(0, f.length() - 5)).sorted().collect(Collectors.toList());
      assertThat(yamls).containsExactlyElementsIn(new TreeSet<>(BuiltinPresets.names()));
    }
  }

  @ParameterizedTest
  @MethodSource("names")
  void fileIsValidAndSpellsOutEveryKey(String name) {
    PresetYaml.Result r = BuiltinPresets.read(name).orElseThrow();
    assertWithMessage(r.describeProblems()).that(r.problems()).isEmpty();
    assertWithMessage("keys left to defaults in %s.yaml", name).that(r.defaulted()).isEmpty();
    assertThat(r.spec().name()).isEqualTo(name);
  }

  @ParameterizedTest
  @MethodSource("names")
  void matchesKerasHubTable(String name) {
    PresetSpec s = BuiltinPresets.get(name);
    long[] row = KERAS_HUB_TABLE.get(name);
    BackboneConfig b = s.backbone();
    assertThat(new long[] {b.numLayers(), b.hiddenDim(), b.numHeads(), b.intermediateDim(), b.vocabularySize()})
        .isEqualTo(new long[] {row[0], row[1], row[2], row[3], row[4]});
    assertThat(b.parameterCount()).isEqualTo(row[5]);
    assertThat(s.params()).isEqualTo(row[5]);
    assertThat(s.tokenizer().lowercase()).isEqualTo(row[6] == 1);
    // keras-hub flavor everywhere: tanh GELU + 1e-12 in the encoder, erf GELU + 1e-5 in the head
    assertThat(b.hiddenActivation()).isEqualTo(Activation.GELU_APPROXIMATE);
    assertThat(b.layerNormEpsilon()).isEqualTo(1e-12);
    assertThat(b.mlmHeadActivation()).isEqualTo(Activation.GELU);
    assertThat(b.mlmHeadLayerNormEpsilon()).isEqualTo(1e-5);
    assertThat(b.dropout()).isEqualTo(0.1);
    assertThat(b.maxSequenceLength()).isEqualTo(512);
    assertThat(b.numSegments()).isEqualTo(2);
    assertThat(s.tokenizer().flavor()).isEqualTo(TokenizerFlavor.KERAS_HUB);
    assertThat(s.tokenizer().stripAccents()).isFalse();
    assertThat(s.tokenizer().splitOnCjk()).isTrue();
    assertThat(s.preprocessor()).isEqualTo(PresetSpecs.kerasHubPreprocessor());
    assertThat(s.preprocessor().truncate()).isEqualTo(Truncation.ROUND_ROBIN);
    assertThat(s.kaggleHandle()).isEqualTo("kaggle://keras/bert/keras/" + name
        + (name.endsWith("sst2") ? "/5" : "/3"));
    assertThat(s.tokenizer().bundledVocabulary()).isEqualTo(row[6] == 1 ? "bert_en_uncased" : null);
  }

  @Test
  void sst2IsATwoClassTextClassifier() {
    assertThat(BuiltinPresets.get("bert_tiny_en_uncased_sst2").task()).isEqualTo(TaskConfig.textClassifier(2));
    assertThat(BuiltinPresets.get("bert_tiny_en_uncased").task()).isEqualTo(TaskConfig.maskedLm());
  }

  @ParameterizedTest
  @MethodSource("names")
  void roundTripsThroughWrite(String name) {
    PresetSpec s = BuiltinPresets.get(name);
    PresetYaml.Result again = PresetYaml.parse("written.yaml", PresetYaml.write(s));
    assertWithMessage(again.describeProblems()).that(again.problems()).isEmpty();
    assertThat(again.defaulted()).isEmpty();
    assertThat(again.spec()).isEqualTo(s);
  }

  @Test
  void bundledUncasedVocabularyIsGooglesBertVocabulary() {
    List<String> v = BuiltinPresets.bundledVocabulary("bert_en_uncased").orElseThrow();
    assertThat(v).hasSize(30522);
    assertThat(v.get(0)).isEqualTo("[PAD]");
    assertThat(v.get(100)).isEqualTo("[UNK]");
    assertThat(v.get(101)).isEqualTo("[CLS]");
    assertThat(v.get(102)).isEqualTo("[SEP]");
    assertThat(v.get(103)).isEqualTo("[MASK]");
    assertThat(v.get(1996)).isEqualTo("the");
    assertThat(BuiltinPresets.bundledVocabulary("nope")).isEmpty();
  }

  @Test
  void tinyMaskedLmParameterCountIncludesHead() {
    BackboneConfig b = BuiltinPresets.get("bert_tiny_en_uncased").backbone();
    assertThat(b.parameterCount() + b.maskedLmHeadParameterCount()).isEqualTo(4_433_210L);
  }

  @Test
  void unknownNameSuggestsClosest() {
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> BuiltinPresets.get("bert_tiny_en_uncase"));
    assertThat(e).hasMessageThat().startsWith("[BertUnknownPreset] Unknown preset \"bert_tiny_en_uncase\"; "
        + "did you mean \"bert_tiny_en_uncased\"?");
  }
}
