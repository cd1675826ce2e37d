package dev.bertgen.presets;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bertgen.layers.VariableLayout;
import dev.bertgen.models.BertTextClassifier;
import dev.bertgen.models.TextClassifier;
import dev.bertgen.testing.ReferenceFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A text classifier saved by BertGen has keras-hub's layout (the HDF5 groups, datasets and shapes and
 * the JSON structure of keras-hub's own preset) and loads back exactly; Hugging Face
 * {@code BertForSequenceClassification} checkpoints load with their head and class names.
 */
class ClassifierPresetTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  @Test
  void savedClassifierHasKerasHubsLayoutAndLoadsBack() throws IOException {
    Path reference = ReferenceFixtures.kerasClassifierPreset();
    BertTextClassifier original = BertTextClassifier.fromPreset(reference.toString());
    Path saved = tmp.resolve("saved");
    original.saveToPreset(saved);
    for (String file : new String[] {"model.weights.h5", "task.weights.h5"}) {
      assertWithMessage(file).that(SaveToPresetTest.structure(saved.resolve(file)))
          .containsExactlyEntriesIn(SaveToPresetTest.structure(reference.resolve(file)));
    }
    assertWithMessage("model.weights.h5 values").that(SaveToPresetTest.values(saved.resolve("model.weights.h5")))
        .containsExactlyEntriesIn(SaveToPresetTest.values(reference.resolve("model.weights.h5")));
    for (String file : new String[] {"config.json", "task.json", "preprocessor.json", "tokenizer.json",
        "metadata.json"}) {
      assertWithMessage(file).that(keys(JSON.readTree(saved.resolve(file).toFile()), "", false))
          .containsAtLeastElementsIn(keys(JSON.readTree(reference.resolve(file).toFile()), "", true));
    }
    JsonNode task = JSON.readTree(saved.resolve("task.json").toFile());
    assertThat(task.path("class_name").asText()).isEqualTo("BertTextClassifier");
    assertThat(task.path("config").path("num_classes").asInt()).isEqualTo(3);
    assertThat(task.path("config").path("preprocessor").path("class_name").asText())
        .isEqualTo("BertTextClassifierPreprocessor");
    assertThat(Files.readAllLines(saved.resolve("assets/tokenizer/vocabulary.txt")))
        .isEqualTo(Files.readAllLines(reference.resolve("assets/tokenizer/vocabulary.txt")));

    BertTextClassifier reloaded = (BertTextClassifier) TextClassifier.fromPreset(saved.toString());
    assertThat(reloaded.numClasses()).isEqualTo(3);
    assertThat(reloaded.preprocessor().sequenceLength()).isEqualTo(64);
    Map<String, float[]> a = original.getWeights();
    Map<String, float[]> b = reloaded.getWeights();
    assertThat(b.keySet()).isEqualTo(a.keySet());
    for (String path : a.keySet()) {
      assertWithMessage(path).that(b.get(path)).isEqualTo(a.get(path));
    }
  }

  @Test
  void classNamesRoundTrip() throws IOException {
    BertTextClassifier c = BertTextClassifier.fromPreset(ReferenceFixtures.kerasClassifierPreset().toString());
    Path dir = tmp.resolve("named");
    c.saveToPreset(dir);
    Files.write(dir.resolve("class_names.txt"), List.of("animal", "plant", "food"));
    BertTextClassifier named = BertTextClassifier.fromPreset(dir.toString());
    assertThat(named.classifierConfig().classNames()).containsExactly("animal", "plant", "food").inOrder();
    named.saveToPreset(tmp.resolve("again"));
    assertThat(Files.readAllLines(tmp.resolve("again/class_names.txt"))).containsExactly("animal", "plant", "food");
    Files.write(dir.resolve("class_names.txt"), List.of("animal", "plant"));
    assertThat(assertThrows(PresetException.class, () -> BertTextClassifier.fromPreset(dir.toString()))
        .getMessage()).contains("class_names.txt has 2 class names but");
  }

  @Test
  void missingClassifierWeightsAreNamed() throws IOException {
    Path copy = tmp.resolve("copy");
    copyTree(ReferenceFixtures.kerasClassifierPreset(), copy);
    Files.delete(copy.resolve("task.weights.h5"));
    String m = assertThrows(PresetException.class, () -> BertTextClassifier.fromPreset(copy.toString()))
        .getMessage();
    assertThat(m).contains("task.weights.h5 is missing");
    assertThat(m).contains("pass numClasses");
    assertThat(BertTextClassifier.fromPreset(copy.toString(), 3).numClasses()).isEqualTo(3);
  }

  @Test
  void huggingFaceSequenceClassifierLoadsWithItsHeadAndLabels() throws IOException {
    Path hf = ReferenceFixtures.huggingFace();
    Path dir = tmp.resolve("hf-classifier");
    Files.createDirectories(dir);
    for (String f : new String[] {"tokenizer.json", "tokenizer_config.json"}) {
      if (Files.exists(hf.resolve(f))) {
        Files.copy(hf.resolve(f), dir.resolve(f));
      }
    }
    ObjectMapper m = new ObjectMapper();
    com.fasterxml.jackson.databind.node.ObjectNode config = (com.fasterxml.jackson.databind.node.ObjectNode)
        m.readTree(hf.resolve("config.json").toFile());
    config.putArray("architectures").add("BertForSequenceClassification");
    config.putObject("id2label").put("0", "negative").put("1", "positive");
    config.putObject("label2id").put("negative", 0).put("positive", 1);
    Files.writeString(dir.resolve("config.json"), config.toString());
    int hidden = config.get("hidden_size").asInt();
    float[] weight = new float[2 * hidden];
    for (int i = 0; i < weight.length; i++) {
      weight[i] = (i % 7) * 0.01f - 0.03f;
    }
    float[] poolerW = new float[hidden * hidden];
    for (int i = 0; i < poolerW.length; i++) {
      poolerW[i] = ((i * 31) % 11) * 0.002f - 0.01f;
    }
    SafetensorsWriter.copyOf(hf.resolve("model.safetensors"), k -> !k.startsWith("cls."))
        .put("bert.pooler.dense.weight", SafetensorsWriter.Tensor.f32(new long[] {hidden, hidden}, poolerW))
        .put("bert.pooler.dense.bias", SafetensorsWriter.Tensor.f32(new long[] {hidden}, new float[hidden]))
        .put("classifier.weight", SafetensorsWriter.Tensor.f32(new long[] {2, hidden}, weight))
        .put("classifier.bias", SafetensorsWriter.Tensor.f32(new long[] {2}, new float[] {0.5f, -0.5f}))
        .write(dir.resolve("model.safetensors"));

    BertTextClassifier c = BertTextClassifier.fromPreset(dir.toString());
    assertThat(c.numClasses()).isEqualTo(2);
    assertThat(c.classifierConfig().classNames()).containsExactly("negative", "positive").inOrder();
    float[] kernel = c.getWeights().get(VariableLayout.CLASSIFIER_KERNEL);
    for (int cls = 0; cls < 2; cls++) {
      for (int i = 0; i < hidden; i++) {
        assertThat(kernel[i * 2 + cls]).isEqualTo(weight[cls * hidden + i]); // (classes, hidden) transposed
      }
    }
    assertThat(c.getWeights().get(VariableLayout.CLASSIFIER_BIAS)).isEqualTo(new float[] {0.5f, -0.5f});
    assertThat(c.getWeights().get("pooled_dense/kernel")[1]).isEqualTo(poolerW[hidden]); // transposed too
    assertThat(c.predict(List.of("the capital of france"))[0]).hasLength(2);
  }

  /** Every key path of {@code node} (values of arrays and of null-able fields left out). */
  private static TreeSet<String> keys(JsonNode node, String prefix, boolean reference) {
    TreeSet<String> out = new TreeSet<>();
    Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String path = prefix + e.getKey();
      if (reference && path.endsWith("date_saved") || path.endsWith("keras_version") || path.endsWith("_version")) {
        continue;
      }
      out.add(path);
      if (e.getValue().isObject()) {
        out.addAll(keys(e.getValue(), path + "/", reference));
      }
    }
    return out;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (var files = Files.walk(from)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
