package dev.bertgen.presets;

import dev.bertgen.testing.ReferenceFixtures;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bertgen.dsl.Activation;
import dev.bertgen.dsl.TokenizerFlavor;
import dev.bertgen.layers.ModelWeights;
import dev.bertgen.layers.Variable;
import dev.bertgen.models.ModelState;
import dev.bertgen.models.PresetOptions;
import dev.bertgen.spec.BackboneConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.logging.Level;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads the Hugging Face checkpoint that transformers' save_pretrained wrote. Expected values are
 * computed here from the raw safetensors tensors with explicit index arithmetic, so a wrong transpose
 * or reshape in the loader shows up as a mismatch.
 */
class HuggingFaceLoaderTest {
  static final int H = 48;
  static final int N = 3;
  static final int DH = 16;
  static final int I = 96;
  static final int V = 30522;
  static final BackboneConfig EXPECTED = new BackboneConfig(V, 3, N, H, I, 0.1, 512, 2,
      Activation.GELU, 1e-12, Activation.GELU, 1e-12);

  static Path dir;
  static ModelState state;
  static SafetensorsWriter raw;
  static List<String> warnings;

  @BeforeAll
  static void load() {
    dir = ReferenceFixtures.huggingFace();
    try (LogCapture log = new LogCapture()) {
      state = ModelState.load(dir.toString(), PresetOptions.defaults(), null, true);
      warnings = log.messages(Level.WARNING);
    }
    raw = SafetensorsWriter.copyOf(dir.resolve("model.safetensors"), k -> true);
  }

  private static float[] keras(String path) {
    return state.weights().get(path);
  }

  private static float[] hf(String key) {
    return raw.floats(key);
  }

  @Test
  void configIsHuggingFaceFlavored() {
    assertThat(state.config()).isEqualTo(EXPECTED);
    assertThat(state.specialization().spec().backbone()).isEqualTo(EXPECTED);
    assertThat(state.specialization().spec().name()).isEqualTo("hf_bert_mlm");
  }

  @Test
  void embeddingsAndLayerNormsAreCopied() {
    assertThat(keras("token_embedding/embeddings")).isEqualTo(hf("bert.embeddings.word_embeddings.weight"));
    assertThat(keras("position_embedding/embeddings")).isEqualTo(hf("bert.embeddings.position_embeddings.weight"));
    assertThat(keras("segment_embedding/embeddings")).isEqualTo(hf("bert.embeddings.token_type_embeddings.weight"));
    assertThat(keras("embeddings_layer_norm/gamma")).isEqualTo(hf("bert.embeddings.LayerNorm.weight"));
    assertThat(keras("embeddings_layer_norm/beta")).isEqualTo(hf("bert.embeddings.LayerNorm.bias"));
    for (int l = 0; l < 3; l++) {
      String k = "transformer_layer_" + l + "/";
      String h = "bert.encoder.layer." + l + ".";
      assertThat(keras(k + "self_attention_layer_norm/gamma")).isEqualTo(hf(h + "attention.output.LayerNorm.weight"));
      assertThat(keras(k + "self_attention_layer_norm/beta")).isEqualTo(hf(h + "attention.output.LayerNorm.bias"));
      assertThat(keras(k + "feedforward_layer_norm/gamma")).isEqualTo(hf(h + "output.LayerNorm.weight"));
      assertThat(keras(k + "feedforward_layer_norm/beta")).isEqualTo(hf(h + "output.LayerNorm.bias"));
    }
  }

  /** Keras (H, N, Dh)[h][n][d] = Hugging Face (N·Dh, H)[n·Dh + d][h]; biases (N, Dh) = (N·Dh). */
  @Test
  void queryKeyValueAreTransposedIntoHeads() {
    for (int l = 0; l < 3; l++) {
      for (String p : List.of("query", "key", "value")) {
        float[] k = keras("transformer_layer_" + l + "/self_attention_layer/" + p + "/kernel");
        float[] w = hf("bert.encoder.layer." + l + ".attention.self." + p + ".weight");
        for (int h = 0; h < H; h++) {
          for (int n = 0; n < N; n++) {
            for (int d = 0; d < DH; d++) {
              assertWithMessage(l + " " + p + " " + h + "," + n + "," + d)
                  .that(k[(h * N + n) * DH + d]).isEqualTo(w[(n * DH + d) * H + h]);
            }
          }
        }
        assertThat(keras("transformer_layer_" + l + "/self_attention_layer/" + p + "/bias"))
            .isEqualTo(hf("bert.encoder.layer." + l + ".attention.self." + p + ".bias"));
      }
    }
  }

  /** Keras (N, Dh, H)[n][d][h] = Hugging Face (H, N·Dh)[h][n·Dh + d]. */
  @Test
  void attentionOutputIsTransposedFromHeads() {
    for (int l = 0; l < 3; l++) {
      float[] k = keras("transformer_layer_" + l + "/self_attention_layer/attention_output/kernel");
      float[] w = hf("bert.encoder.layer." + l + ".attention.output.dense.weight");
      for (int n = 0; n < N; n++) {
        for (int d = 0; d < DH; d++) {
          for (int h = 0; h < H; h++) {
            assertThat(k[(n * DH + d) * H + h]).isEqualTo(w[h * (N * DH) + n * DH + d]);
          }
        }
      }
      assertThat(keras("transformer_layer_" + l + "/self_attention_layer/attention_output/bias"))
          .isEqualTo(hf("bert.encoder.layer." + l + ".attention.output.dense.bias"));
    }
  }

  @Test
  void feedForwardKernelsAreTransposed() {
    for (int l = 0; l < 3; l++) {
      String k = "transformer_layer_" + l + "/";
      String h = "bert.encoder.layer." + l + ".";
      assertTransposed(keras(k + "feedforward_intermediate_dense/kernel"), hf(h + "intermediate.dense.weight"), H, I);
      assertThat(keras(k + "feedforward_intermediate_dense/bias")).isEqualTo(hf(h + "intermediate.dense.bias"));
      assertTransposed(keras(k + "feedforward_output_dense/kernel"), hf(h + "output.dense.weight"), I, H);
      assertThat(keras(k + "feedforward_output_dense/bias")).isEqualTo(hf(h + "output.dense.bias"));
    }
  }

  /** Keras (rows, cols)[r][c] = Hugging Face (cols, rows)[c][r]. */
  private static void assertTransposed(float[] keras, float[] hf, int rows, int cols) {
    assertThat(keras.length).isEqualTo(rows * cols);
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        assertThat(keras[r * cols + c]).isEqualTo(hf[c * rows + r]);
      }
    }
  }

  @Test
  void headComesFromClsPredictions() {
    assertTransposed(keras("mlm_head/intermediate_dense/kernel"), hf("cls.predictions.transform.dense.weight"), H, H);
    assertThat(keras("mlm_head/intermediate_dense/bias")).isEqualTo(hf("cls.predictions.transform.dense.bias"));
    assertThat(keras("mlm_head/intermediate_layer_norm/gamma")).isEqualTo(hf("cls.predictions.transform.LayerNorm.weight"));
    assertThat(keras("mlm_head/intermediate_layer_norm/beta")).isEqualTo(hf("cls.predictions.transform.LayerNorm.bias"));
    assertThat(keras("mlm_head/output_bias")).isEqualTo(hf("cls.predictions.bias"));
  }

  @Test
  void missingPoolerIsInitializedWithAWarning() {
    ModelWeights init = ModelWeights.initialize(state.weights().layout(), PresetOptions.DEFAULT_SEED);
    assertThat(keras("pooled_dense/kernel")).isEqualTo(init.get("pooled_dense/kernel"));
    assertThat(keras("pooled_dense/bias")).isEqualTo(init.get("pooled_dense/bias"));
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0)).contains("has no pooler");
    assertThat(warnings.get(0)).contains("pooled_dense is initialized");
  }

  @Test
  void tokenizerIsHuggingFaceFlavoredAndAgreesWithTransformers() throws IOException {
    assertThat(state.tokenizer()).isNotNull();
    assertThat(state.tokenizer().config().flavor()).isEqualTo(TokenizerFlavor.HUGGING_FACE);
    assertThat(state.tokenizer().config().lowercase()).isTrue();
    assertThat(state.tokenizer().config().stripAccents()).isTrue(); // strip_accents null follows lowercasing
    assertThat(state.tokenizer().vocabularySize()).isEqualTo(V);
    JsonNode fixture = new ObjectMapper().readTree(dir.resolve("fixture.json").toFile());
    for (int row = 0; row < fixture.get("tokens").size(); row++) {
      JsonNode tokens = fixture.get("tokens").get(row);
      for (int i = 0; i < tokens.size(); i++) {
        assertThat(state.tokenizer().tokenToId(tokens.get(i).asText()))
            .isEqualTo(fixture.get("input_ids").get(row).get(i).asInt());
      }
    }
  }

  @Test
  void poolerInTheCheckpointIsLoaded(@TempDir Path tmp) {
    Path copy = PresetCopies.copyWithout(dir, tmp.resolve("with_pooler"), "model.safetensors");
    float[] weight = randomValues(H * H, 1);
    float[] bias = randomValues(H, 2);
    SafetensorsWriter.copyOf(dir.resolve("model.safetensors"), k -> true)
        .put("bert.pooler.dense.weight", SafetensorsWriter.Tensor.f32(new long[] {H, H}, weight))
        .put("bert.pooler.dense.bias", SafetensorsWriter.Tensor.f32(new long[] {H}, bias))
        .write(copy.resolve("model.safetensors"));
    try (LogCapture log = new LogCapture()) {
      ModelState s = ModelState.load(copy.toString(), PresetOptions.defaults(), null, true);
      assertThat(log.messages(Level.WARNING)).isEmpty();
      assertTransposed(s.weights().get("pooled_dense/kernel"), weight, H, H);
      assertThat(s.weights().get("pooled_dense/bias")).isEqualTo(bias);
    }
  }

  @Test
  void untiedDecoderIsWarnedAbout(@TempDir Path tmp) {
    Path copy = PresetCopies.copyWithout(dir, tmp.resolve("untied"), "model.safetensors");
    float[] decoder = hf("bert.embeddings.word_embeddings.weight");
    decoder[5] += 0.5f;
    SafetensorsWriter.copyOf(dir.resolve("model.safetensors"), k -> true)
        .put("cls.predictions.decoder.weight", SafetensorsWriter.Tensor.f32(new long[] {V, H}, decoder))
        .write(copy.resolve("model.safetensors"));
    try (LogCapture log = new LogCapture()) {
      ModelState.load(copy.toString(), PresetOptions.defaults(), null, true);
      assertThat(String.join("\n", log.messages(Level.WARNING))).contains("cls.predictions.decoder.weight differs");
    }
  }

  @Test
  void tiedDecoderIsNotWarnedAbout(@TempDir Path tmp) {
    Path copy = PresetCopies.copyWithout(dir, tmp.resolve("tied"), "model.safetensors");
    SafetensorsWriter.copyOf(dir.resolve("model.safetensors"), k -> true)
        .put("cls.predictions.decoder.weight", SafetensorsWriter.Tensor.f32(new long[] {V, H},
            hf("bert.embeddings.word_embeddings.weight")))
        .write(copy.resolve("model.safetensors"));
    try (LogCapture log = new LogCapture()) {
      ModelState.load(copy.toString(), PresetOptions.defaults(), null, true);
      assertThat(String.join("\n", log.messages(Level.WARNING))).doesNotContain("decoder");
    }
  }

  /** A BertModel-style checkpoint (no "bert." prefix) with TF-era LayerNorm names gamma / beta. */
  @Test
  void unprefixedNamesAndGammaBetaLoad(@TempDir Path tmp) {
    Path copy = PresetCopies.copyWithout(dir, tmp.resolve("bare_names"), "model.safetensors");
    SafetensorsWriter renamed = new SafetensorsWriter();
    SafetensorsWriter original = SafetensorsWriter.copyOf(dir.resolve("model.safetensors"), k -> true);
    for (String key : original.keys()) {
      String to = key.startsWith("bert.") ? key.substring(5) : key;
      to = to.replace("LayerNorm.weight", "LayerNorm.gamma").replace("LayerNorm.bias", "LayerNorm.beta");
      renamed.put(to, original.tensor(key));
    }
    renamed.write(copy.resolve("model.safetensors"));
    ModelState s = ModelState.load(copy.toString(), PresetOptions.defaults(), null, true);
    assertThat(s.weights().arena()).isEqualTo(state.weights().arena());
  }

  @Test
  void checkpointWithoutHeadInitializesIt(@TempDir Path tmp) {
    Path copy = PresetCopies.copyWithout(dir, tmp.resolve("no_head"), "model.safetensors");
    SafetensorsWriter.copyOf(dir.resolve("model.safetensors"), k -> !k.startsWith("cls."))
        .write(copy.resolve("model.safetensors"));
    try (LogCapture log = new LogCapture()) {
      ModelState s = ModelState.load(copy.toString(), PresetOptions.builder().seed(11).build(), null, true);
      ModelWeights init = ModelWeights.initialize(s.weights().layout(), 11);
      for (Variable v : s.weights().layout().variables()) {
        boolean initialized = !v.backbone() || v.path().startsWith("pooled_dense/");
        assertWithMessage(v.path()).that(s.weights().get(v.path()))
            .isEqualTo(initialized ? init.get(v.path()) : state.weights().get(v.path()));
      }
      assertThat(String.join("\n", log.messages(Level.INFO))).contains("has no MaskedLM head");
    }
  }

  @Test
  void shardedCheckpointLoads(@TempDir Path tmp) throws IOException {
    Path copy = PresetCopies.copyWithout(dir, tmp.resolve("sharded"), "model.safetensors");
    java.util.function.Predicate<String> first = k -> k.startsWith("bert.embeddings.");
    SafetensorsWriter.copyOf(dir.resolve("model.safetensors"), first).write(copy.resolve("model-00001-of-00002.safetensors"));
    SafetensorsWriter.copyOf(dir.resolve("model.safetensors"), first.negate()).write(copy.resolve("model-00002-of-00002.safetensors"));
    StringBuilder index = new StringBuilder("{\"metadata\": {\"total_size\": 0}, \"weight_map\": {");
    String sep = "";
    for (String key : raw.keys()) {
      index.append(sep).append('"').append(key).append("\": \"model-0000").append(first.test(key) ? 1 : 2)
          .append("-of-00002.safetensors\"");
      sep = ", ";
    }
    Files.writeString(copy.resolve("model.safetensors.index.json"), index.append("}}"));
    ModelState s = ModelState.load(copy.toString(), PresetOptions.defaults(), null, true);
    assertThat(s.weights().arena()).isEqualTo(state.weights().arena());
  }

  @Test
  void vocabTxtIsReadWhenPresent(@TempDir Path tmp) throws IOException {
    Path copy = PresetCopies.copyWithout(dir, tmp.resolve("vocab_txt"), "tokenizer.json");
    Files.write(copy.resolve("vocab.txt"), state.tokenizer().vocabulary());
    ModelState s = ModelState.load(copy.toString(), PresetOptions.builder().loadWeights(false).build(), null, true);
    assertThat(s.tokenizer().vocabulary()).isEqualTo(state.tokenizer().vocabulary());
    assertThat(s.tokenizer().config()).isEqualTo(state.tokenizer().config());
  }

  @Test
  void withoutVocabularyThereIsNoTokenizer(@TempDir Path tmp) {
    Path copy = PresetCopies.copyWithout(dir, tmp.resolve("no_vocab"), "tokenizer.json");
    try (LogCapture log = new LogCapture()) {
      ModelState s = ModelState.load(copy.toString(), PresetOptions.builder().loadWeights(false).build(), null, false);
      assertThat(s.tokenizer()).isNull();
      assertThat(String.join("\n", log.messages(Level.INFO))).contains("has no vocabulary");
    }
  }

  private static float[] randomValues(int n, long seed) {
    Random r = new Random(seed);
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) r.nextGaussian();
    }
    return out;
  }

  /** transformers' BertTokenizerFast loads tokenizer.json and ignores vocab.txt; so does the loader. */
  @Test
  void tokenizerJsonWinsOverVocabTxt(@TempDir Path tmp) throws IOException {
    Path copy = PresetCopies.copyWithout(dir, tmp.resolve("both"));
    List<String> swapped = new java.util.ArrayList<>(state.tokenizer().vocabulary());
    java.util.Collections.swap(swapped, 1996, 4248);
    Files.write(copy.resolve("vocab.txt"), swapped);
    ModelState s = ModelState.load(copy.toString(), PresetOptions.builder().loadWeights(false).build(), null, true);
    assertThat(s.tokenizer().vocabulary()).isEqualTo(state.tokenizer().vocabulary());
  }

  @Test
  void vocabularyOfAnotherSizeIsRefused(@TempDir Path tmp) throws IOException {
    Path copy = PresetCopies.copyWithout(dir, tmp.resolve("bigger_vocab"), "tokenizer.json");
    List<String> bigger = new java.util.ArrayList<>(state.tokenizer().vocabulary());
    bigger.add("[EXTRA]");
    Files.write(copy.resolve("vocab.txt"), bigger);
    PresetException e = assertThrows(PresetException.class,
        () -> ModelState.load(copy.toString(), PresetOptions.builder().loadWeights(false).build(), null, true));
    assertThat(e).hasMessageThat().contains(copy.resolve("vocab.txt") + " has 30,523 tokens but "
        + copy.resolve("config.json") + " says vocab_size 30,522");
  }

  @Test
  void withoutVocabularyTheSpecHasTransformersTokenizerDefaults(@TempDir Path tmp) {
    Path copy = PresetCopies.copyWithout(dir, tmp.resolve("no_vocab"), "tokenizer.json");
    ModelState s = ModelState.load(copy.toString(), PresetOptions.builder().loadWeights(false).build(), null, false);
    assertThat(s.specialization().spec().tokenizer())
        .isEqualTo(dev.bertgen.tokenizers.TokenizerFiles.defaults(TokenizerFlavor.HUGGING_FACE));
  }
}
