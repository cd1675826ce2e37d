package dev.bertgen.models;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.bertgen.presets.hub.HubSettings;
import dev.bertgen.presets.PresetException;
import dev.bertgen.presets.PresetInfo;
import dev.bertgen.testing.ReferenceFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Task inference as keras-hub's {@code Task.from_preset} does it, the refused TextClassifier, and presets(). */
class TaskPresetTest {
  @TempDir Path tmp;

  private PresetOptions offline() {
    return PresetOptions.builder().hub(HubSettings.fromEnvironment(Map.of(), tmp.resolve("home")).withOffline(true))
        .build();
  }

  @Test
  void taskJsonGivesTheSubclass() {
    Task task = Task.fromPreset(ReferenceFixtures.kerasPreset().toString());
    assertThat(task).isInstanceOf(BertMaskedLM.class);
    MaskedLM mlm = MaskedLM.fromPreset(ReferenceFixtures.huggingFace().toString());
    assertThat(mlm).isInstanceOf(BertMaskedLM.class);
  }

  @Test
  void backboneOnlyPresetNeedsATaskClass() {
    String m = assertThrows(PresetException.class,
        () -> Task.fromPreset(ReferenceFixtures.huggingFace().toString())).getMessage();
    assertThat(m).contains("saves only a backbone (it has no task.json), so the task cannot be inferred");
    assertThat(m).contains("MaskedLM.fromPreset(");
  }

  @Test
  void textClassifierPresetIsRecognisedAndRefused() {
    String m = assertThrows(PresetException.class, () -> Task.fromPreset("bert_tiny_en_uncased_sst2", offline()))
        .getMessage();
    assertThat(m).contains("bert_tiny_en_uncased_sst2 is a keras-hub BertTextClassifier preset, and the "
        + "TextClassifier task is not supported yet");
    assertThat(m).contains("BertMaskedLM.fromPreset(\"bert_tiny_en_uncased_sst2\")");
    assertThat(assertThrows(PresetException.class, () -> TextClassifier.fromPreset("bert_tiny_en_uncased_sst2"))
        .getMessage()).contains("not supported yet");
  }

  @Test
  void classifierDirectoryIsRefusedAsATaskButLoadsAsAMaskedLmWithAFreshHead() throws IOException {
    Path copy = tmp.resolve("classifier");
    try (Stream<Path> files = Files.walk(ReferenceFixtures.kerasPreset())) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path to = copy.resolve(ReferenceFixtures.kerasPreset().relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to);
        }
      }
    }
    Path task = copy.resolve("task.json");
    Files.writeString(task, Files.readString(task).replace("BertMaskedLM", "BertTextClassifier")
        .replace("bert_masked_lm", "bert_text_classifier"));
    assertThat(assertThrows(PresetException.class, () -> Task.fromPreset(copy.toString())).getMessage())
        .contains("BertTextClassifier preset, and the TextClassifier task is not supported yet");
    BertMaskedLM mlm = BertMaskedLM.fromPreset(copy.toString());
    BertMaskedLM original = BertMaskedLM.fromPreset(ReferenceFixtures.kerasPreset().toString());
    assertThat(mlm.backbone().getWeights().get("pooled_dense/kernel"))
        .isEqualTo(original.backbone().getWeights().get("pooled_dense/kernel"));
    assertThat(mlm.getWeights().get("mlm_head/output_bias"))
        .isNotEqualTo(original.getWeights().get("mlm_head/output_bias")); // a fresh head: keras-hub's zeros
  }

  @Test
  void presetsListsTheBuiltInPresetsWithMetadata() {
    Map<String, PresetInfo> presets = BertMaskedLM.presets(HubSettings.fromEnvironment(Map.of(), tmp.resolve("home")));
    assertThat(presets).hasSize(10);
    assertThat(presets.keySet()).containsAtLeast("bert_tiny_en_uncased", "bert_tiny_en_uncased_sst2", "bert_large_en");
    PresetInfo tiny = presets.get("bert_tiny_en_uncased");
    assertThat(tiny.params()).isEqualTo(4_385_920L);
    assertThat(tiny.kaggleHandle()).isEqualTo("kaggle://keras/bert/keras/bert_tiny_en_uncased/3");
    assertThat(tiny.task()).isEqualTo("MaskedLM");
    assertThat(tiny.description()).isNotEmpty();
    assertThat(tiny.cached()).isFalse();
    assertThat(tiny.cacheDirectory()).isEqualTo(tmp.resolve("home/.cache/kagglehub/models/keras/bert/keras/"
        + "bert_tiny_en_uncased/3"));
    assertThat(presets.get("bert_tiny_en_uncased_sst2").task()).isEqualTo("TextClassifier");
    assertThat(MaskedLM.presets().keySet()).isEqualTo(presets.keySet());
  }
}
