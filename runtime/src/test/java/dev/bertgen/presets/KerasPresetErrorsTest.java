package dev.bertgen.presets;

import dev.bertgen.models.ModelState;
import dev.bertgen.testing.ReferenceFixtures;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.bertgen.models.PresetOptions;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged keras-hub presets: each error names the file, the dataset, the Keras variable, the
 * expected shape and what was found.
 */
class KerasPresetErrorsTest {
  @TempDir Path tmp;
  Path copy;

  @BeforeEach
  void copyPreset() {
    copy = PresetCopies.copyWithout(ReferenceFixtures.kerasPreset(), tmp.resolve("preset"));
  }

  private PresetException loadFails() {
    return assertThrows(PresetException.class,
        () -> ModelState.load(copy.toString(), PresetOptions.defaults(), null, true));
  }

  @Test
  void truncatedWeightsFileNamesTheTensorItCannotRead() {
    Path weights = copy.resolve("model.weights.h5");
    PresetCopies.truncate(weights, 3_000_000);
    String m = loadFails().getMessage();
    assertThat(m).contains(weights.toString());
    assertThat(m).contains("is truncated");
    assertThat(m).contains("layers/reversible_embedding/vars/0");
    assertThat(m).contains("Keras variable token_embedding/embeddings");
    assertThat(m).contains("expected shape (30522, 24)");
    assertThat(m).contains("the file has 3000000 bytes but its HDF5 superblock says 3169552");
  }

  @Test
  void truncationNearTheEndNamesTheLastTensor() {
    Path weights = copy.resolve("model.weights.h5");
    PresetCopies.truncate(weights, 3_169_000);
    String m = loadFails().getMessage();
    assertThat(m).contains("is truncated");
    assertThat(m).contains("layers/dense/vars/0");
    assertThat(m).contains("Keras variable pooled_dense/kernel");
    assertThat(m).contains("expected shape (24, 24)");
  }

  /** A file whose structure is intact but whose data is cut off (jhdf writes data after metadata). */
  @Test
  void truncatedDataNamesTheTensorAndItsBytes() throws java.io.IOException {
    Path weights = copy.resolve("model.weights.h5");
    H5Copier.copy(ReferenceFixtures.kerasPreset().resolve("model.weights.h5"), weights, p -> true, p -> p);
    long size = java.nio.file.Files.size(weights);
    PresetCopies.truncate(weights, size - 100);
    String m = loadFails().getMessage();
    assertThat(m).contains(weights + " is truncated: tensor layers/");
    assertThat(m).contains("cannot be read:");
    assertThat(m).containsMatch("(its data lies at bytes \\d+\\.\\.\\d+ but the file ends at byte "
        + (size - 100) + "|the file has " + (size - 100) + " bytes)");
  }

  @Test
  void configThatDoesNotMatchTheWeightsNamesBothShapes() {
    PresetCopies.editJson(copy.resolve("config.json"), "/config", c -> c.put("intermediate_dim", 64));
    String m = loadFails().getMessage();
    assertThat(m).contains(copy.resolve("model.weights.h5").toString());
    assertThat(m).contains("layers/transformer_encoder/_feedforward_intermediate_dense/vars/0");
    assertThat(m).contains("Keras variable transformer_layer_0/feedforward_intermediate_dense/kernel");
    assertThat(m).contains("expected (24, 64), found (24, 48)");
  }

  @Test
  void missingDatasetIsNamedWithWhatIsThere() {
    Path weights = copy.resolve("model.weights.h5");
    String dropped = "layers/transformer_encoder_2/_feedforward_output_dense/vars/1";
    H5Copier.copyWithout(ReferenceFixtures.kerasPreset().resolve("model.weights.h5"), weights, dropped);
    String m = loadFails().getMessage();
    assertThat(m).contains(weights.toString());
    assertThat(m).contains("missing tensor " + dropped);
    assertThat(m).contains("Keras variable transformer_layer_2/feedforward_output_dense/bias");
    assertThat(m).contains("expected shape (24,)");
    assertThat(m).contains("found nothing there; layers/transformer_encoder_2/_feedforward_output_dense/vars/ has 0");
  }

  @Test
  void configWithMoreLayersThanTheFileNamesTheMissingLayer() {
    PresetCopies.editJson(copy.resolve("config.json"), "/config", c -> c.put("num_layers", 4));
    String m = loadFails().getMessage();
    assertThat(m).contains("missing tensor layers/transformer_encoder_3/_self_attention_layer/query_dense/vars/0");
    assertThat(m).contains("Keras variable transformer_layer_3/self_attention_layer/query/kernel");
    assertThat(m).contains("expected shape (24, 3, 8)");
    assertThat(m).contains("transformer_encoder_2");
  }

  @Test
  void missingTaskWeightsTensorIsNamed() {
    Path task = copy.resolve("task.weights.h5");
    H5Copier.copyWithout(ReferenceFixtures.kerasPreset().resolve("task.weights.h5"), task,
        "layers/masked_lm_head/vars/0");
    String m = loadFails().getMessage();
    assertThat(m).contains(task + ": missing tensor layers/masked_lm_head/vars/0");
    assertThat(m).contains("Keras variable mlm_head/output_bias");
    assertThat(m).contains("expected shape (30522,)");
  }

  @Test
  void missingWeightsFileSaysWhatWasLookedFor() throws java.io.IOException {
    java.nio.file.Files.delete(copy.resolve("model.weights.h5"));
    String m = loadFails().getMessage();
    assertThat(m).contains("model.weights.h5");
    assertThat(m).contains("model.weights.json");
    assertThat(m).contains("loadWeights(false)");
  }

  @Test
  void otherBackboneClassIsRefused() {
    PresetCopies.editJson(copy.resolve("config.json"), "", c -> c.put("class_name", "DistilBertBackbone"));
    assertThat(loadFails().getMessage()).contains("keras-hub DistilBertBackbone");
  }

  @Test
  void missingSizeIsNamed() {
    PresetCopies.editJson(copy.resolve("config.json"), "/config", c -> c.remove("hidden_dim"));
    assertThat(loadFails().getMessage()).contains("has no \"hidden_dim\"");
  }

  @Test
  void headsThatDoNotDivideTheHiddenSizeAreRefused() {
    PresetCopies.editJson(copy.resolve("config.json"), "/config", c -> c.put("num_heads", 5));
    PresetException e = loadFails();
    assertThat(e.diagnostic()).isEqualTo(dev.bertgen.spec.Diagnostic.HEADS_DO_NOT_DIVIDE_HIDDEN);
    assertThat(e.getMessage()).contains("config.json");
  }

  @Test
  void vocabularyWithoutTokenizerJsonIsRefused() {
    copy = PresetCopies.copyWithout(ReferenceFixtures.kerasPreset(), tmp.resolve("no_tokenizer_json"), "tokenizer.json");
    String m = loadFails().getMessage();
    assertThat(m).contains(copy + " has assets/tokenizer/vocabulary.txt but no tokenizer.json");
  }

  @Test
  void otherTokenizerClassIsRefused() {
    PresetCopies.editJson(copy.resolve("tokenizer.json"), "", c -> c.put("class_name", "XLMRobertaTokenizer"));
    String m = loadFails().getMessage();
    assertThat(m).contains(copy.resolve("tokenizer.json") + " holds a keras-hub XLMRobertaTokenizer, not a "
        + "BertTokenizer");
  }
}
