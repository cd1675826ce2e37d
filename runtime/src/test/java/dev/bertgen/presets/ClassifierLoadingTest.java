package dev.bertgen.presets;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.bertgen.dsl.Truncation;
import dev.bertgen.layers.ModelWeights;
import dev.bertgen.layers.TaskHead;
import dev.bertgen.layers.Variable;
import dev.bertgen.layers.VariableLayout;
import dev.bertgen.models.ModelState;
import dev.bertgen.models.PresetOptions;
import dev.bertgen.presets.hub.HubSettings;
import dev.bertgen.presets.loading.PresetCatalog;
import dev.bertgen.presets.loading.PresetWriter;
import dev.bertgen.spec.BackboneConfig;
import dev.bertgen.spec.BuiltinPresets;
import dev.bertgen.spec.TokenizerConfig;
import dev.bertgen.testing.KaggleCacheFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading a text classifier preset at the preset layer ({@code ModelState.load} with a
 * {@link TaskHead}): the saved head and task from kagglehub's cache, keras-hub's fresh heads on a
 * classifier's backbone, the refusals, and which files a download fetches.
 */
class ClassifierLoadingTest {
  private static final List<String> VOCAB = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "a",
      "good", "bad", "film", "was", "not", "very", "##s", ".", ",");
  private static final BackboneConfig CONFIG = BackboneConfig.kerasHub(VOCAB.size(), 1, 2, 16, 32);
  private static final List<String> NAMES = List.of("negative", "positive");

  @TempDir Path tmp;

  /** A BertGen-saved 2-class classifier (softmax, dropout 0.2, class names) in {@code dir}; its weights. */
  private static ModelWeights saveTinyClassifier(Path dir) {
    ModelWeights w = ModelWeights.initialize(VariableLayout.textClassifier(CONFIG, 2), 5);
    w.set(VariableLayout.CLASSIFIER_BIAS, new float[] {0.25f, -0.25f});
    PresetWriter.save(dir, new PresetWriter.Content(CONFIG, w,
        new PresetWriter.SavedTokenizer(TokenizerConfig.kerasHub(true, null), VOCAB, false), null,
        new PresetWriter.Classifier(2, "softmax", 0.2, 64, Truncation.WATERFALL, NAMES)));
    return w;
  }

  private static PresetOptions options(HubSettings hub, long seed) {
    return PresetOptions.builder().hub(hub).seed(seed).build();
  }

  private static void assertSameWeights(ModelWeights actual, ModelWeights expected, boolean backboneOnly) {
    for (Variable v : expected.layout().variables()) {
      if (!backboneOnly || v.backbone()) {
        assertWithMessage(v.path()).that(actual.get(v.path())).isEqualTo(expected.get(v.path()));
      }
    }
  }

  @Test
  void sst2LayoutInTheKagglehubCacheLoadsTheSavedHeadAndTask() {
    ModelWeights saved = saveTinyClassifier(tmp.resolve("saved"));
    HubSettings hub = KaggleCacheFixtures.offlineHub(tmp.resolve("home"));
    String handle = BuiltinPresets.get("bert_tiny_en_uncased_sst2").kaggleHandle();
    KaggleCacheFixtures.install(hub, handle, tmp.resolve("saved"));

    for (String source : List.of(handle, "bert_tiny_en_uncased_sst2")) {
      ModelState s = ModelState.load(source, options(hub, 1), null, TaskHead.savedTextClassifier(2));
      assertThat(s.config()).isEqualTo(CONFIG);
      assertThat(s.weights().layout().numClasses()).isEqualTo(2);
      assertSameWeights(s.weights(), saved, false);
      assertThat(s.savedTask()).isEqualTo(new SavedTask("BertTextClassifier", 2, "softmax", 0.2, NAMES));
    }
    assertThat(PresetCatalog.savedTaskDetails(handle, () -> hub).orElseThrow().classNames())
        .containsExactlyElementsIn(NAMES).inOrder();
  }

  @Test
  void freshHeadsOnAClassifierKeepItsBackbone() {
    ModelWeights saved = saveTinyClassifier(tmp.resolve("saved"));
    String dir = tmp.resolve("saved").toString();
    // keras-hub: a classifier preset loaded as a masked LM gets its backbone and a fresh MaskedLM head
    ModelState mlm = ModelState.load(dir, options(null, 9), null, TaskHead.maskedLm());
    assertSameWeights(mlm.weights(), saved, true);
    ModelWeights initialized = ModelWeights.initialize(VariableLayout.maskedLm(CONFIG), 9);
    for (Variable v : mlm.weights().layout().variables()) {
      if (!v.backbone()) {
        assertWithMessage(v.path()).that(mlm.weights().get(v.path())).isEqualTo(initialized.get(v.path()));
      }
    }
    assertThat(mlm.savedTask().isTextClassifier()).isTrue();
    // num_classes given: a fresh classifier head from the seed, even with the saved count
    ModelState fresh = ModelState.load(dir, options(null, 9), null, TaskHead.textClassifier(2));
    assertSameWeights(fresh.weights(), saved, true);
    ModelWeights freshHead = ModelWeights.initialize(VariableLayout.textClassifier(CONFIG, 2), 9);
    assertThat(fresh.weights().get(VariableLayout.CLASSIFIER_KERNEL))
        .isEqualTo(freshHead.get(VariableLayout.CLASSIFIER_KERNEL));
    assertThat(fresh.weights().get(VariableLayout.CLASSIFIER_BIAS)).isEqualTo(new float[2]);
  }

  @Test
  void savedHeadIsRefusedWhereThePresetHasNone() throws IOException {
    Path saved = tmp.resolve("saved");
    saveTinyClassifier(saved);
    String other = assertThrows(PresetException.class, () -> ModelState.load(saved.toString(),
        options(null, 1), null, TaskHead.savedTextClassifier(3))).getMessage();
    assertThat(other).contains("is a classifier of 2 classes, not 3");
    String mlm = assertThrows(PresetException.class, () -> ModelState.load(KerasFixture.preset().toString(),
        options(null, 1), null, TaskHead.savedTextClassifier(2))).getMessage();
    assertThat(mlm).contains("is a BertMaskedLM preset, so it has no classifier head to load; pass numClasses");
    Path backbone = PresetCopies.copyWithout(saved, tmp.resolve("backbone"), "task.json", "task.weights.h5");
    String none = assertThrows(PresetException.class, () -> ModelState.load(backbone.toString(),
        options(null, 1), null, TaskHead.savedTextClassifier(2))).getMessage();
    assertThat(none).contains("saved only a backbone");
    assertThat(ModelState.load(backbone.toString(), options(null, 1), null, TaskHead.none()).savedTask()).isNull();
  }

  @Test
  void misshapenTruncatedOrMissingHeadNamesTaskWeights() throws IOException {
    Path saved = tmp.resolve("saved");
    saveTinyClassifier(saved);
    Path three = PresetCopies.copyWithout(saved, tmp.resolve("three"), "class_names.txt");
    PresetCopies.editJson(three.resolve("task.json"), "/config", c -> c.put("num_classes", 3));
    String shape = assertThrows(PresetException.class, () -> ModelState.load(three.toString(),
        options(null, 1), null, TaskHead.savedTextClassifier(3))).getMessage();
    assertThat(shape).contains(three.resolve("task.weights.h5").toString());
    assertThat(shape).contains("logits/kernel");
    assertThat(shape).contains("(16, 2)");

    Path cut = PresetCopies.copyWithout(saved, tmp.resolve("cut"));
    Path weights = cut.resolve("task.weights.h5");
    PresetCopies.truncate(weights, Files.size(weights) - 200);
    String truncated = assertThrows(PresetException.class, () -> ModelState.load(cut.toString(),
        options(null, 1), null, TaskHead.savedTextClassifier(2))).getMessage();
    assertThat(truncated).contains(weights.toString());
    assertThat(truncated).contains("truncated");

    Path missing = PresetCopies.copyWithout(saved, tmp.resolve("missing"), "task.weights.h5");
    String absent = assertThrows(PresetException.class, () -> ModelState.load(missing.toString(),
        options(null, 1), null, TaskHead.savedTextClassifier(2))).getMessage();
    assertThat(absent).contains("task.weights.h5 is missing");
    // a fresh head needs no task weights
    assertThat(ModelState.load(missing.toString(), options(null, 1), null, TaskHead.textClassifier(2))
        .weights().layout().numClasses()).isEqualTo(2);
  }

  @Test
  void downloadFetchesTheClassifierHeadOnlyWhenItIsReadAndTheClassNamesAlways() throws Exception {
    ModelWeights saved = saveTinyClassifier(tmp.resolve("saved"));
    String handle = "kaggle://test-owner/bert/keras/classifier/1";
    try (HubTestServer server = new HubTestServer().kaggleModel("test-owner/bert/keras/classifier", 1,
        tmp.resolve("saved"))) {
      Map<TaskHead, Boolean> headFetched = new java.util.LinkedHashMap<>();
      headFetched.put(TaskHead.maskedLm(), false);
      headFetched.put(TaskHead.textClassifier(2), false);
      headFetched.put(TaskHead.savedTextClassifier(2), true);
      int cache = 0;
      for (Map.Entry<TaskHead, Boolean> e : headFetched.entrySet()) {
        server.clearRequests();
        HubSettings hub = HubSettings.fromEnvironment(Map.of(), tmp.resolve("home"))
            .withKaggleEndpoint(server.endpoint()).withKaggleCache(tmp.resolve("kagglehub" + cache++));
        ModelState s = ModelState.load(handle, options(hub, 1), null, e.getKey());
        List<String> asked = server.requests().stream().map(HubTestServer.Request::path)
            .filter(p -> p.startsWith("/api/")).toList();
        assertWithMessage(e.getKey() + " " + asked).that(asked.stream().anyMatch(p -> p.endsWith("/task.weights.h5")))
            .isEqualTo(e.getValue());
        assertWithMessage(e.getKey() + " " + asked).that(asked.stream().anyMatch(p -> p.endsWith("/class_names.txt")))
            .isTrue();
        assertThat(s.savedTask()).isEqualTo(new SavedTask("BertTextClassifier", 2, "softmax", 0.2, NAMES));
        if (e.getValue()) {
          assertSameWeights(s.weights(), saved, false);
        }
      }
    }
  }
}
