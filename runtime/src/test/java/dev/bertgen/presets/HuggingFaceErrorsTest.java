package dev.bertgen.presets;

import dev.bertgen.models.ModelState;
import dev.bertgen.testing.ReferenceFixtures;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.bertgen.models.PresetOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged Hugging Face checkpoints: each error names the file, the safetensors key, the Keras
 * variable, the expected shape and what was found.
 */
class HuggingFaceErrorsTest {
  @TempDir Path tmp;
  Path copy;
  Path weights;

  @BeforeEach
  void copyCheckpoint() {
    copy = PresetCopies.copyWithout(ReferenceFixtures.huggingFace(), tmp.resolve("hf"), "fixture.json");
    weights = copy.resolve("model.safetensors");
  }

  private PresetException loadFails(boolean withHead) {
    return assertThrows(PresetException.class,
        () -> ModelState.load(copy.toString(), PresetOptions.defaults(), null, withHead));
  }

  @Test
  void truncatedFileNamesTheTensorItCuts() throws IOException {
    long size = Files.size(weights);
    PresetCopies.truncate(weights, size - 1000);
    String m = loadFails(true).getMessage();
    assertThat(m).contains(weights + " is truncated");
    assertThat(m).contains("tensor cls.predictions.transform.dense.weight");
    assertThat(m).contains("Keras variable mlm_head/intermediate_dense/kernel");
    assertThat(m).contains("expected shape (48, 48)");
    assertThat(m).contains("but the file ends at byte " + (size - 1000));
  }

  @Test
  void truncationInATensorThatIsNotUsedIsStillReported() throws IOException {
    long size = Files.size(weights);
    PresetCopies.truncate(weights, size - 1000);
    String m = loadFails(false).getMessage(); // the head's tensors are not read
    assertThat(m).contains(weights + " is truncated: tensor cls.predictions.transform.dense.weight");
    assertThat(m).contains("but the file ends at byte " + (size - 1000));
  }

  @Test
  void truncatedHeaderIsReported() {
    PresetCopies.truncate(weights, 3000);
    String m = loadFails(true).getMessage();
    assertThat(m).contains(weights + " is truncated: its header needs 6424 bytes but the file has 3000");
  }

  @Test
  void configThatDoesNotMatchTheCheckpointNamesBothShapes() {
    PresetCopies.editJson(copy.resolve("config.json"), "", c -> c.put("intermediate_size", 64));
    String m = loadFails(true).getMessage();
    assertThat(m).contains(weights.toString());
    assertThat(m).contains("tensor bert.encoder.layer.0.intermediate.dense.weight");
    assertThat(m).contains("Keras variable transformer_layer_0/feedforward_intermediate_dense/kernel");
    assertThat(m).contains("expected (64, 48), found (96, 48)");
  }

  @Test
  void missingTensorIsNamed() {
    String dropped = "bert.encoder.layer.1.attention.self.key.bias";
    SafetensorsWriter.copyOf(ReferenceFixtures.huggingFace().resolve("model.safetensors"), k -> !k.equals(dropped))
        .write(weights);
    String m = loadFails(true).getMessage();
    assertThat(m).contains(weights + ": missing tensor " + dropped);
    assertThat(m).contains("Keras variable transformer_layer_1/self_attention_layer/key/bias");
    assertThat(m).contains("expected shape (48,)");
    assertThat(m).contains("found no tensor of that name among the 57 in the checkpoint");
  }

  @Test
  void configWithMoreLayersNamesTheFirstMissingTensor() {
    PresetCopies.editJson(copy.resolve("config.json"), "", c -> c.put("num_hidden_layers", 4));
    String m = loadFails(true).getMessage();
    assertThat(m).contains("missing tensor bert.encoder.layer.3.attention.self.query.weight");
    assertThat(m).contains("Keras variable transformer_layer_3/self_attention_layer/query/kernel");
    assertThat(m).contains("expected shape (48, 48)");
  }

  @Test
  void integerTensorIsRefused() {
    String key = "bert.embeddings.token_type_embeddings.weight";
    SafetensorsWriter w = SafetensorsWriter.copyOf(ReferenceFixtures.huggingFace().resolve("model.safetensors"), k -> true);
    byte[] asLongs = new byte[2 * 48 * 8];
    w.put(key, new SafetensorsWriter.Tensor("I64", new long[] {2, 48}, asLongs)).write(weights);
    String m = loadFails(true).getMessage();
    assertThat(m).contains("tensor " + key + " (Keras variable segment_embedding/embeddings");
    assertThat(m).contains("its type is I64");
  }

  @Test
  void pytorchPickleGetsConversionInstructions() throws IOException {
    Files.move(weights, copy.resolve("pytorch_model.bin"));
    String m = loadFails(true).getMessage();
    assertThat(m).contains("has pytorch_model.bin");
    assertThat(m).contains("save_file");
    assertThat(m).contains("model.safetensors");
  }

  @Test
  void noWeightsAtAllSaysWhatWasLookedFor() throws IOException {
    Files.delete(weights);
    String m = loadFails(true).getMessage();
    assertThat(m).contains("model.safetensors.index.json");
    assertThat(m).contains("loadWeights(false)");
  }

  @Test
  void otherModelTypeIsRefused() {
    PresetCopies.editJson(copy.resolve("config.json"), "", c -> c.put("model_type", "roberta"));
    assertThat(loadFails(true).getMessage()).contains("is a Hugging Face \"roberta\" model");
  }

  @Test
  void unsupportedActivationIsRefused() {
    PresetCopies.editJson(copy.resolve("config.json"), "", c -> c.put("hidden_act", "relu"));
    assertThat(loadFails(true).getMessage()).contains("hidden_act \"relu\" is not supported");
  }

  @Test
  void missingShardIsNamed() throws IOException {
    Files.delete(weights);
    Files.writeString(copy.resolve("model.safetensors.index.json"),
        "{\"weight_map\": {\"bert.embeddings.word_embeddings.weight\": \"model-00001-of-00002.safetensors\"}}");
    String m = loadFails(true).getMessage();
    assertThat(m).contains("lists shard model-00001-of-00002.safetensors");
    assertThat(m).contains("does not exist");
  }

  @Test
  void nonBertTokenizerClassIsRefused() {
    PresetCopies.editJson(copy.resolve("tokenizer_config.json"), "", c -> c.put("tokenizer_class", "RobertaTokenizer"));
    String m = loadFails(true).getMessage();
    assertThat(m).contains(copy.resolve("tokenizer_config.json") + ": tokenizer_class \"RobertaTokenizer\" is not "
        + "a BERT WordPiece tokenizer");
  }

  @Test
  void malformedTokenizerJsonNamesTheFile() throws IOException {
    Files.writeString(copy.resolve("tokenizer.json"), "{\"model\": ");
    String m = loadFails(true).getMessage();
    assertThat(m).contains(copy.resolve("tokenizer.json") + " is not valid JSON");
  }

  @Test
  void vocabularyWithoutASpecialTokenNamesTheFile() throws IOException {
    Files.delete(copy.resolve("tokenizer.json"));
    Files.writeString(copy.resolve("vocab.txt"), "[PAD]\n[UNK]\n[CLS]\n[SEP]\nthe\n");
    String m = loadFails(true).getMessage();
    assertThat(m).contains(copy.resolve("vocab.txt") + ": the vocabulary (5 tokens) lacks the special token "
        + "\"[MASK]\"");
  }
}
