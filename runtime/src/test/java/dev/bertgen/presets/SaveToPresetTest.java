package dev.bertgen.presets;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bertgen.models.BertMaskedLM;
import dev.bertgen.models.PresetOptions;
import dev.bertgen.presets.loading.PresetWriter;
import dev.bertgen.testing.ReferenceFixtures;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code saveToPreset}: keras-hub's layout, a bit-exact round trip, and the same HDF5 structure as keras-hub's. */
class SaveToPresetTest {
  @TempDir Path tmp;

  @Test
  void roundTripIsBitExactAndReproducesTheFixtureLogits() {
    BertMaskedLM original = BertMaskedLM.fromPreset(KerasFixture.preset().toString());
    Path saved = tmp.resolve("saved");
    original.saveToPreset(saved);
    for (String f : PresetWriter.writtenFiles(true)) {
      assertWithMessage(f).that(Files.isRegularFile(saved.resolve(f))).isTrue();
    }
    BertMaskedLM reloaded = BertMaskedLM.fromPreset(saved.toString());
    assertThat(KerasFixture.sameWeights(original, reloaded)).isTrue();
    assertThat(KerasFixture.logitsError(reloaded)).isAtMost(1e-5);
    assertThat(reloaded.preprocessor().config()).isEqualTo(original.preprocessor().config());
    assertThat(reloaded.preprocessor().tokenizer().vocabulary()).isEqualTo(original.preprocessor().tokenizer().vocabulary());
    assertThat(reloaded.backbone().config()).isEqualTo(original.backbone().config());
  }

  @Test
  void weightFilesHaveKerasHubsGroupsDatasetsShapesAndAttributes() throws IOException {
    BertMaskedLM mlm = BertMaskedLM.fromPreset(KerasFixture.preset().toString());
    Path saved = tmp.resolve("saved");
    mlm.saveToPreset(saved);
    for (String file : new String[] {"model.weights.h5", "task.weights.h5"}) {
      Map<String, String> expected = structure(KerasFixture.preset().resolve(file));
      Map<String, String> actual = structure(saved.resolve(file));
      assertWithMessage(file).that(actual).containsExactlyEntriesIn(expected);
      assertWithMessage(file + " values").that(values(saved.resolve(file)))
          .containsExactlyEntriesIn(values(KerasFixture.preset().resolve(file)));
    }
  }

  @Test
  void jsonFilesMatchKerasHubs() {
    BertMaskedLM mlm = BertMaskedLM.fromPreset(KerasFixture.preset().toString());
    Path saved = tmp.resolve("saved");
    mlm.saveToPreset(saved);
    Path ref = KerasFixture.preset();
    assertThat(ReferenceFixtures.json(saved.resolve("config.json"))).isEqualTo(ReferenceFixtures.json(ref.resolve("config.json")));
    assertThat(ReferenceFixtures.json(saved.resolve("tokenizer.json")))
        .isEqualTo(ReferenceFixtures.json(ref.resolve("tokenizer.json")));
    JsonNode task = ReferenceFixtures.json(saved.resolve("task.json"));
    JsonNode refTask = ReferenceFixtures.json(ref.resolve("task.json"));
    assertThat(task.get("class_name")).isEqualTo(refTask.get("class_name"));
    assertThat(task.get("registered_name")).isEqualTo(refTask.get("registered_name"));
    assertThat(task.get("module")).isEqualTo(refTask.get("module"));
    assertThat(task.at("/config/backbone")).isEqualTo(refTask.at("/config/backbone"));
    assertThat(task.at("/config/name")).isEqualTo(refTask.at("/config/name"));
    // keras-hub nests the whole preprocessor config in task.json when the task has one
    assertThat(task.at("/config/preprocessor/class_name").asText()).isEqualTo("BertMaskedLMPreprocessor");
    assertThat(task.at("/config/preprocessor")).isEqualTo(ReferenceFixtures.json(saved.resolve("preprocessor.json")));
    JsonNode meta = ReferenceFixtures.json(saved.resolve("metadata.json"));
    JsonNode refMeta = ReferenceFixtures.json(ref.resolve("metadata.json"));
    assertThat(meta.get("parameter_count")).isEqualTo(refMeta.get("parameter_count"));
    assertThat(meta.get("tasks")).isEqualTo(refMeta.get("tasks"));
    assertThat(meta.get("date_saved").asText()).matches("\\d{4}-\\d\\d-\\d\\d@\\d\\d:\\d\\d:\\d\\d");
  }

  @Test
  void savingAgainReplacesThePresetKeepsForeignFilesAndDropsStaleShards() throws IOException {
    BertMaskedLM mlm = BertMaskedLM.fromPreset(KerasFixture.preset().toString());
    Path saved = tmp.resolve("saved");
    mlm.saveToPreset(saved);
    Files.writeString(saved.resolve("README.md"), "my notes");
    Files.writeString(saved.resolve("model.weights.json"), "{}");
    Files.writeString(saved.resolve("model_00000.weights.h5"), "stale");
    mlm.saveToPreset(saved);
    assertThat(Files.readString(saved.resolve("README.md"))).isEqualTo("my notes");
    assertThat(Files.exists(saved.resolve("model.weights.json"))).isFalse();
    assertThat(Files.exists(saved.resolve("model_00000.weights.h5"))).isFalse();
    try (var siblings = Files.list(tmp)) {
      assertThat(siblings.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".bertgen-lock")).toList())
          .containsExactly("saved");
    }
  }

  @Test
  void refusesToReplaceSomethingThatIsNotAPreset() throws IOException {
    BertMaskedLM mlm = BertMaskedLM.fromPreset(KerasFixture.preset().toString(),
        PresetOptions.builder().loadWeights(false).build());
    Path notPreset = Files.createDirectories(tmp.resolve("documents"));
    Files.writeString(notPreset.resolve("thesis.tex"), "precious");
    String m = assertThrows(PresetException.class, () -> mlm.saveToPreset(notPreset)).getMessage();
    assertThat(m).contains("it is a directory with other contents than a preset");
    assertThat(Files.readString(notPreset.resolve("thesis.tex"))).isEqualTo("precious");
    Path file = Files.writeString(tmp.resolve("file"), "x");
    assertThat(assertThrows(PresetException.class, () -> mlm.saveToPreset(file)).getMessage()).contains("it is a file");
  }

  @Test
  void aSaveKilledBetweenItsRenamesIsRepairedOnLoad() throws IOException {
    BertMaskedLM mlm = BertMaskedLM.fromPreset(KerasFixture.preset().toString());
    // the old preset moved aside, the new one not complete: the old one comes back
    Path a = tmp.resolve("a");
    mlm.saveToPreset(tmp.resolve(".a.bertgen-old"));
    Files.createDirectories(tmp.resolve(".a.bertgen-new"));
    assertThat(KerasFixture.sameWeights(mlm, BertMaskedLM.fromPreset(a.toString()))).isTrue();
    assertThat(Files.exists(tmp.resolve(".a.bertgen-old"))).isFalse();
    assertThat(Files.exists(tmp.resolve(".a.bertgen-new"))).isFalse();
    // the new preset complete and the old one moved aside: the new one is put in place
    Path b = tmp.resolve("b");
    mlm.saveToPreset(tmp.resolve(".b.bertgen-new"));
    Files.writeString(tmp.resolve(".b.bertgen-new.complete"), "");
    Files.createDirectories(tmp.resolve(".b.bertgen-old"));
    assertThat(KerasFixture.sameWeights(mlm, BertMaskedLM.fromPreset(b.toString()))).isTrue();
    assertThat(Files.exists(tmp.resolve(".b.bertgen-old"))).isFalse();
  }

  @Test
  void huggingFaceModelsSaveAsKerasHubPresets() {
    BertMaskedLM hf = BertMaskedLM.fromPreset(ReferenceFixtures.huggingFace().toString());
    Path saved = tmp.resolve("from-hf");
    try (LogCapture log = new LogCapture()) {
      hf.saveToPreset(saved);
      assertThat(String.join("\n", log.messages(java.util.logging.Level.WARNING)))
          .contains("a keras-hub preset has no field for these");
    }
    BertMaskedLM reloaded = BertMaskedLM.fromPreset(saved.toString());
    assertThat(KerasFixture.sameWeights(hf, reloaded)).isTrue();
    assertThat(ReferenceFixtures.json(saved.resolve("config.json")).at("/config/hidden_dim").asInt()).isEqualTo(48);
  }

  /** Every group and dataset: path → kind, shape, Java type, attributes. */
  static Map<String, String> structure(Path file) {
    Map<String, String> out = new TreeMap<>();
    try (HdfFile f = new HdfFile(file)) {
      walk(f, out);
      out.put("/", "group " + attributes(f));
    }
    return out;
  }

  private static void walk(Group g, Map<String, String> out) {
    for (Node n : g) {
      if (n instanceof Group c) {
        out.put(c.getPath(), "group " + attributes(c));
        walk(c, out);
      } else if (n instanceof Dataset d) {
        out.put(d.getPath(), "dataset " + Arrays.toString(d.getDimensions()) + " " + d.getJavaType().getSimpleName()
            + " " + d.getDataType().getSize() + " bytes " + attributes(d));
      }
    }
  }

  private static String attributes(Node n) {
    Map<String, String> a = new TreeMap<>();
    for (Map.Entry<String, Attribute> e : n.getAttributes().entrySet()) {
      a.put(e.getKey(), String.valueOf(e.getValue().getData()));
    }
    return a.toString();
  }

  /** Every dataset's values, flattened, as text. */
  static Map<String, String> values(Path file) {
    Map<String, String> out = new TreeMap<>();
    try (HdfFile f = new HdfFile(file)) {
      collect(f, out);
    }
    return out;
  }

  private static void collect(Group g, Map<String, String> out) {
    for (Node n : g) {
      if (n instanceof Group c) {
        collect(c, out);
      } else if (n instanceof Dataset d) {
        Object v = d.isScalar() ? d.getData() : d.getDataFlat();
        out.put(d.getPath(), v instanceof float[] fa ? Integer.toHexString(Arrays.hashCode(fa)) + "/" + fa.length
            : String.valueOf(v));
      }
    }
  }
}
