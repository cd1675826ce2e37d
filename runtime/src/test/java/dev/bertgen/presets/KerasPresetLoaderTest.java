package dev.bertgen.presets;

import dev.bertgen.presets.formats.KerasH5Paths;
import dev.bertgen.testing.ReferenceFixtures;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bertgen.compute.KernelFactory;
import dev.bertgen.dsl.Activation;
import dev.bertgen.dsl.TokenizerFlavor;
import dev.bertgen.layers.ModelWeights;
import dev.bertgen.layers.Variable;
import dev.bertgen.layers.VariableLayout;
import dev.bertgen.models.ModelState;
import dev.bertgen.models.PresetOptions;
import dev.bertgen.models.Specialization;
import dev.bertgen.spec.BackboneConfig;
import dev.bertgen.spec.Diagnostic;
import dev.bertgen.spec.PreprocessorConfig;
import dev.bertgen.spec.PresetSpec;
import dev.bertgen.spec.TaskConfig;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loads the keras-hub preset that keras-hub's own save_to_preset wrote. */
class KerasPresetLoaderTest {
  static final BackboneConfig EXPECTED = new BackboneConfig(30522, 3, 3, 24, 48, 0.0, 512, 2,
      Activation.GELU_APPROXIMATE, 1e-12, Activation.GELU, 1e-5);

  static Path preset;
  static ModelState state;

  @BeforeAll
  static void load() {
    preset = ReferenceFixtures.kerasPreset();
    state = ModelState.load(preset.toString(), PresetOptions.defaults(), null, true);
  }

  @Test
  void configIsKerasHubFlavored() {
    assertThat(state.config()).isEqualTo(EXPECTED);
    assertThat(state.source()).isEqualTo(preset.toString());
    assertThat(state.weights().layout().hasMaskedLmHead()).isTrue();
  }

  @Test
  void weightsMatchKerasBeforeTheTrainingStep() throws IOException {
    JsonNode before = new ObjectMapper().readTree(preset.resolveSibling("fixture.json").toFile())
        .path("train_step").path("before_step");
    assertThat(before.size()).isAtLeast(9);
    for (Iterator<Map.Entry<String, JsonNode>> it = before.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      float[] loaded = state.weights().get(e.getKey());
      assertWithMessage(e.getKey()).that(e.getValue().size()).isEqualTo(24);
      for (int i = 0; i < 24; i++) {
        assertWithMessage(e.getKey() + "[" + i + "]").that((double) loaded[i])
            .isWithin(1e-6).of(e.getValue().get(i).asDouble());
      }
    }
  }

  /**
   * Every variable equals the dataset at its place in the .weights.h5 files, with VariableLayout's
   * shape; the {@code name} attributes along the group path spell VariableLayout's Keras path.
   */
  @Test
  void everyVariableIsItsDatasetUnderItsKerasPath() {
    try (HdfFile model = new HdfFile(preset.resolve("model.weights.h5"));
        HdfFile task = new HdfFile(preset.resolve("task.weights.h5"))) {
      Map<String, Integer> indexInLayer = new java.util.HashMap<>();
      int checked = 0;
      for (Variable v : state.weights().layout().variables()) {
        String layer = KerasH5Paths.layerOf(v.path());
        int index = indexInLayer.merge(layer, 1, Integer::sum) - 1;
        String group = KerasH5Paths.groups(layer).get(0);
        HdfFile file = v.backbone() ? model : task;
        Dataset d = file.getDatasetByPath(group + "/vars/" + index);
        assertWithMessage(v.path()).that(d.getDimensions()).isEqualTo(v.shape());
        assertWithMessage(v.path()).that(state.weights().get(v.path())).isEqualTo((float[]) d.getDataFlat());
        assertWithMessage(group).that(kerasNameOf(file, group)).isEqualTo(layer);
        checked++;
      }
      assertThat(checked).isEqualTo(5 + 3 * 16 + 2 + 5);
    }
  }

  /** The layer names of the {@code vars} groups along {@code group}, joined: the Keras layer path. */
  private static String kerasNameOf(HdfFile file, String group) {
    List<String> names = new ArrayList<>();
    String[] parts = group.split("/");
    String path = "";
    for (String part : parts) {
      path = path.isEmpty() ? part : path + "/" + part;
      Node vars;
      try {
        vars = file.getByPath(path + "/vars");
      } catch (RuntimeException e) {
        continue;
      }
      Attribute name = vars.getAttribute("name");
      if (name != null) {
        names.add(String.valueOf(name.getData()));
      }
    }
    return String.join("/", names);
  }

  @Test
  void tokenizerComesFromThePreset() {
    assertThat(state.tokenizer()).isNotNull();
    assertThat(state.tokenizer().vocabularySize()).isEqualTo(30522);
    assertThat(state.tokenizer().clsId()).isEqualTo(101);
    assertThat(state.tokenizer().maskId()).isEqualTo(103);
    assertThat(state.tokenizer().config().flavor()).isEqualTo(TokenizerFlavor.KERAS_HUB);
    assertThat(state.tokenizer().config().lowercase()).isTrue();
    assertThat(state.tokenizer().config().stripAccents()).isFalse();
  }

  @Test
  void genericSpecializationDescribesTheLoadedPreset() {
    Specialization s = state.specialization();
    assertThat(s.isGenerated()).isFalse();
    PresetSpec spec = s.spec();
    assertThat(spec.name()).isEqualTo("preset");
    assertThat(spec.backbone()).isEqualTo(EXPECTED);
    assertThat(spec.task()).isEqualTo(TaskConfig.maskedLm());
    assertThat(spec.tokenizer()).isEqualTo(state.tokenizer().config());
    assertThat(spec.preprocessor()).isEqualTo(PreprocessorConfig.kerasHubDefaults());
    assertThat(spec.params()).isEqualTo(EXPECTED.parameterCount());
  }

  @Test
  void maskedLmPreprocessorJsonSetsThePreprocessor(@TempDir Path tmp) throws IOException {
    Path copy = PresetCopies.copyWithout(preset, tmp.resolve("with_preprocessor"));
    Files.writeString(copy.resolve("preprocessor.json"), "{\"class_name\": \"BertMaskedLMPreprocessor\", "
        + "\"config\": {\"sequence_length\": 128, \"truncate\": \"waterfall\", \"mask_selection_rate\": 0.2, "
        + "\"mask_selection_length\": 20, \"mask_token_rate\": 0.7, \"random_token_rate\": 0.2}}");
    ModelState s = ModelState.load(copy.toString(), PresetOptions.builder().loadWeights(false).build(), null, true);
    assertThat(s.specialization().spec().preprocessor()).isEqualTo(
        new PreprocessorConfig(128, dev.bertgen.dsl.Truncation.WATERFALL, 0.2, 20, 0.7, 0.2));
    assertThat(s.specialization().spec().name()).isEqualTo("with_preprocessor");
  }

  /** keras-hub ignores a preprocessor of another class and uses the task's defaults. */
  @Test
  void classifierPreprocessorJsonIsIgnored(@TempDir Path tmp) throws IOException {
    Path copy = PresetCopies.copyWithout(preset, tmp.resolve("classifier_preprocessor"));
    Files.writeString(copy.resolve("preprocessor.json"), "{\"class_name\": \"BertTextClassifierPreprocessor\", "
        + "\"config\": {\"sequence_length\": 128, \"truncate\": \"round_robin\"}}");
    ModelState s = ModelState.load(copy.toString(), PresetOptions.builder().loadWeights(false).build(), null, true);
    assertThat(s.specialization().spec().preprocessor()).isEqualTo(PreprocessorConfig.kerasHubDefaults());
  }

  @Test
  void withoutLoadingWeightsEverythingIsInitializedButTheTokenizerLoads() {
    ModelState fresh = ModelState.load(preset.toString(),
        PresetOptions.builder().loadWeights(false).seed(7).build(), null, true);
    ModelWeights expected = ModelWeights.initialize(VariableLayout.maskedLm(EXPECTED), 7);
    assertThat(fresh.weights().arena()).isEqualTo(expected.arena());
    assertThat(fresh.tokenizer()).isNotNull();
    assertThat(fresh.config()).isEqualTo(EXPECTED);
  }

  @Test
  void withoutTheHeadOnlyTheBackboneIsLoaded() {
    ModelState backbone = ModelState.load(preset.toString(), PresetOptions.defaults(), null, false);
    assertThat(backbone.weights().layout().hasMaskedLmHead()).isFalse();
    assertThat(backbone.weights().toMap(true).keySet()).isEqualTo(state.weights().toMap(true).keySet());
    for (Map.Entry<String, float[]> e : backbone.weights().toMap(true).entrySet()) {
      assertWithMessage(e.getKey()).that(e.getValue()).isEqualTo(state.weights().get(e.getKey()));
    }
  }

  @Test
  void withoutTaskFilesTheHeadIsInitializedFromTheSeed(@TempDir Path tmp) {
    Path copy = PresetCopies.copyWithout(preset, tmp.resolve("bare"), "task.json", "task.weights.h5");
    try (LogCapture log = new LogCapture()) {
      ModelState bare = ModelState.load(copy.toString(), PresetOptions.builder().seed(3).build(), null, true);
      ModelWeights init = ModelWeights.initialize(bare.weights().layout(), 3);
      for (Variable v : bare.weights().layout().variables()) {
        float[] expected = v.backbone() ? state.weights().get(v.path()) : init.get(v.path());
        assertWithMessage(v.path()).that(bare.weights().get(v.path())).isEqualTo(expected);
      }
      assertThat(String.join("\n", log.messages(java.util.logging.Level.INFO))).contains("MaskedLM head is initialized");
    }
  }

  @Test
  void generatedClassOfAnotherArchitectureIsRefusedBeforeReadingWeights(@TempDir Path tmp) throws IOException {
    Path copy = PresetCopies.copyWithout(preset, tmp.resolve("p"));
    Files.write(copy.resolve("model.weights.h5"), new byte[] {1, 2, 3}); // never read
    PresetSpec other = new PresetSpec("tiny", "", null, null, TaskConfig.maskedLm(),
        BackboneConfig.kerasHub(30522, 2, 2, 128, 512), state.specialization().spec().tokenizer(),
        PreprocessorConfig.kerasHubDefaults());
    Specialization generated = new Specialization(other, "TinyBertMaskedLM", KernelFactory.generic());
    PresetException e = assertThrows(PresetException.class,
        () -> ModelState.load(copy.toString(), PresetOptions.defaults(), generated, true));
    assertThat(e.diagnostic()).isEqualTo(Diagnostic.ARCHITECTURE_MISMATCH);
    assertThat(e.getMessage()).contains("TinyBertMaskedLM");
    assertThat(e.getMessage()).contains("hidden_dim=24");
  }

  @Test
  void generatedClassOfTheSameArchitectureIsKept() {
    PresetSpec same = state.specialization().spec().withBackbone(BackboneConfig.kerasHub(30522, 3, 3, 24, 48));
    Specialization generated = new Specialization(same, "MyBertMaskedLM", KernelFactory.generic());
    ModelState s = ModelState.load(preset.toString(), PresetOptions.defaults(), generated, true);
    assertThat(s.specialization()).isSameInstanceAs(generated);
    assertThat(s.config()).isEqualTo(EXPECTED);
    assertThat(s.weights().arena()).isEqualTo(state.weights().arena());
  }

  @Test
  void olderQueryDenseSpellingLoads(@TempDir Path tmp) {
    Path copy = PresetCopies.copyWithout(preset, tmp.resolve("old"), "model.weights.h5");
    H5Copier.copy(preset.resolve("model.weights.h5"), copy.resolve("model.weights.h5"), p -> true,
        p -> p.replace("/query_dense/", "/_query_dense/").replace("/output_dense/", "/_output_dense/"));
    ModelState old = ModelState.load(copy.toString(), PresetOptions.defaults(), null, true);
    assertThat(old.weights().arena()).isEqualTo(state.weights().arena());
  }

  @Test
  void shardedWeightsLoad(@TempDir Path tmp) throws IOException {
    Path copy = PresetCopies.copyWithout(preset, tmp.resolve("sharded"), "model.weights.h5");
    Path source = preset.resolve("model.weights.h5");
    java.util.function.Predicate<String> second = p -> p.startsWith("layers/transformer_encoder_");
    H5Copier.copy(source, copy.resolve("model_00000.weights.h5"), second.negate(), p -> p);
    H5Copier.copy(source, copy.resolve("model_00001.weights.h5"), second, p -> p);
    StringBuilder map = new StringBuilder("{\"metadata\": {\"total_size\": 0}, \"weight_map\": {");
    map.append("\"/layers/reversible_embedding/vars\": \"model_00000.weights.h5\"");
    for (int i = 1; i < 3; i++) {
      for (String g : List.of("_feedforward_intermediate_dense", "_feedforward_output_dense",
          "_self_attention_layer/query_dense")) {
        map.append(", \"/layers/transformer_encoder_").append(i).append('/').append(g)
            .append("/vars\": \"model_00001.weights.h5\"");
      }
    }
    Files.writeString(copy.resolve("model.weights.json"), map.append("}}").toString());
    ModelState sharded = ModelState.load(copy.toString(), PresetOptions.defaults(), null, true);
    assertThat(sharded.weights().arena()).isEqualTo(state.weights().arena());
  }

  @Test
  void withoutVocabularyThereIsNoTokenizer(@TempDir Path tmp) {
    Path copy = PresetCopies.copyWithout(preset, tmp.resolve("no_vocab"), "assets/tokenizer/vocabulary.txt",
        "tokenizer.json");
    try (LogCapture log = new LogCapture()) {
      ModelState s = ModelState.load(copy.toString(), PresetOptions.builder().loadWeights(false).build(), null, true);
      assertThat(s.tokenizer()).isNull();
      assertThat(String.join("\n", log.messages(java.util.logging.Level.INFO))).contains(copy + " has no vocabulary");
    }
  }

  /** keras-hub's special_tokens and special_tokens_in_strings are honored, as BertTokenizer.fromPreset does. */
  @Test
  void tokenizerJsonSpecialTokensInStringsIsUsed(@TempDir Path tmp) {
    Path copy = PresetCopies.copyWithout(preset, tmp.resolve("specials"));
    PresetCopies.editJson(copy.resolve("tokenizer.json"), "/config", c -> c.put("special_tokens_in_strings", true));
    ModelState s = ModelState.load(copy.toString(), PresetOptions.builder().loadWeights(false).build(), null, true);
    assertThat(s.tokenizer().options().specialTokensInStrings()).isTrue();
    assertThat(s.tokenizer().tokenize("the [MASK].")).asList().containsExactly(1996, 103, 1012).inOrder();
  }
}
