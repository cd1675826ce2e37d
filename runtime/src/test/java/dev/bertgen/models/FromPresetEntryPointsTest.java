package dev.bertgen.models;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.bertgen.dsl.Truncation;
import dev.bertgen.presets.PresetException;
import dev.bertgen.presets.hub.HubSettings;
import dev.bertgen.presets.hub.KaggleFiles;
import dev.bertgen.presets.hub.KaggleHandle;
import dev.bertgen.testing.ReferenceFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * keras-hub's other {@code from_preset} entry points: {@code BertBackbone}, {@code BertTokenizer},
 * {@code BertMaskedLMPreprocessor} and {@code BertTextClassifierPreprocessor}, from a directory and
 * from kagglehub's cache ({@code kaggle://} and a built-in name), offline.
 */
class FromPresetEntryPointsTest {
  @TempDir Path home;

  @Test
  void fromDirectories() {
    String classifier = ReferenceFixtures.kerasClassifierPreset().toString();
    BertTextClassifierPreprocessor p = BertTextClassifierPreprocessor.fromPreset(classifier);
    assertThat(p.sequenceLength()).isEqualTo(64);
    assertThat(p.truncate()).isEqualTo(Truncation.ROUND_ROBIN);
    assertThat(p.tokenizer().vocabularySize()).isEqualTo(30522);
    assertThat(p.call(List.of("the quick brown fox"), List.of("jumps")).tokenIds()[0][0]).isEqualTo(101);
    BertMaskedLMPreprocessor mlm = BertMaskedLMPreprocessor.fromPreset(ReferenceFixtures.kerasPreset().toString());
    assertThat(mlm.config()).isEqualTo(BertMaskedLM.fromPreset(ReferenceFixtures.kerasPreset().toString())
        .preprocessor().config());
    BertTokenizer hf = BertTokenizer.fromPreset(ReferenceFixtures.huggingFace().toString());
    assertThat(hf.tokenize("hello world")).isEqualTo(BertMaskedLM.fromPreset(ReferenceFixtures.huggingFace()
        .toString()).preprocessor().tokenizer().tokenize("hello world"));

    BertBackbone backbone = BertBackbone.fromPreset(classifier);
    BertTextClassifier c = BertTextClassifier.fromPreset(classifier);
    assertThat(backbone.parameterCount()).isEqualTo(c.backbone().parameterCount());
    Map<String, float[]> a = backbone.getWeights();
    Map<String, float[]> b = c.backbone().getWeights();
    assertThat(a.keySet()).isEqualTo(b.keySet());
    for (String k : a.keySet()) {
      assertThat(a.get(k)).isEqualTo(b.get(k));
    }
    int[][] ids = {{101, 2023, 2003, 102}};
    assertThat(backbone.call(ids, new int[1][4], new int[][] {{1, 1, 1, 1}}).pooledOutput()[0])
        .isEqualTo(c.backbone().call(ids, new int[1][4], new int[][] {{1, 1, 1, 1}}).pooledOutput()[0]);
  }

  @Test
  void fromKagglehubCacheByHandleAndName() throws IOException {
    HubSettings hub = HubSettings.fromEnvironment(Map.of(), home).withOffline(true);
    KaggleHandle handle = KaggleHandle.parse("kaggle://keras/bert/keras/bert_tiny_en_uncased_sst2/5");
    Path model = KaggleFiles.modelDir(hub, handle);
    BertTextClassifier.create(dev.bertgen.spec.BuiltinPresets.get("bert_tiny_en_uncased_sst2"), 2, 3)
        .saveToPreset(model.resolve("5"));
    Files.writeString(model.resolve("5.complete"), "");
    PresetOptions offline = PresetOptions.builder().hub(hub).build();
    for (String source : List.of("kaggle://keras/bert/keras/bert_tiny_en_uncased_sst2/5", "bert_tiny_en_uncased_sst2")) {
      assertThat(BertTokenizer.fromPreset(source, offline).vocabularySize()).isEqualTo(30522);
      assertThat(BertTextClassifierPreprocessor.fromPreset(source, offline).sequenceLength()).isEqualTo(512);
      assertThat(BertMaskedLMPreprocessor.fromPreset(source, offline).config().sequenceLength()).isEqualTo(512);
      assertThat(BertBackbone.fromPreset(source, offline).config().hiddenDim()).isEqualTo(128);
    }
    String m = assertThrows(PresetException.class, () -> BertTokenizer.fromPreset("bert_base_en", offline))
        .getMessage();
    assertThat(m).contains("bert_base_en");
  }
}
