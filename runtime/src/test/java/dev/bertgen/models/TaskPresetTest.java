package dev.bertgen.models;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.bertgen.presets.hub.HubSettings;
import dev.bertgen.presets.PresetException;
import dev.bertgen.presets.PresetInfo;
import dev.bertgen.testing.ReferenceFixtures;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Task inference as keras-hub's {@code Task.from_preset} does it, and presets(). */
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
  void huggingFaceArchitecturesGiveTheTask() {
    // transformers' config.json names the architecture: BertForMaskedLM is keras-hub's BertMaskedLM
    assertThat(Task.fromPreset(ReferenceFixtures.huggingFace().toString())).isInstanceOf(BertMaskedLM.class);
  }

  @Test
  void backboneOnlyPresetNeedsATaskClass() throws java.io.IOException {
    Path copy = tmp.resolve("backbone");
    java.nio.file.Files.createDirectories(copy);
    for (String f : new String[] {"config.json", "model.weights.h5"}) {
      java.nio.file.Files.copy(ReferenceFixtures.kerasPreset().resolve(f), copy.resolve(f));
    }
    String m = assertThrows(PresetException.class, () -> Task.fromPreset(copy.toString())).getMessage();
    assertThat(m).contains("saves only a backbone (it has no task.json), so the task cannot be inferred");
    assertThat(m).contains("MaskedLM.fromPreset(");
    assertThat(m).contains("TextClassifier.fromPreset(");
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
