package dev.bertgen.models;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bertgen.dsl.Truncation;
import dev.bertgen.layers.VariableLayout;
import dev.bertgen.preprocessing.PackedInputs;
import dev.bertgen.preprocessing.TextClassifierBatch;
import dev.bertgen.presets.PresetException;
import dev.bertgen.spec.TokenizerConfig;
import dev.bertgen.testing.ReferenceFixtures;
import dev.bertgen.training.CompileOptions;
import dev.bertgen.training.FitOptions;
import dev.bertgen.training.History;
import dev.bertgen.training.Optimizers;
import dev.bertgen.training.Verbosity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link BertTextClassifier}: keras-hub parity through the public API, {@code from_preset}'s
 * semantics with and without {@code num_classes}, and training on text and sentence pairs.
 */
class TextClassifierTest {

  static BertTextClassifier tiny(long seed, int classes) {
    BertTextClassifier c = BertTextClassifier.create(CustomPresets.of("tiny-text", TinyTextModels.config(0.0)),
        classes, seed);
    BertTokenizer tokenizer = new BertTokenizer(TinyTextModels.VOCABULARY, TokenizerConfig.kerasHub(true, null));
    c.setPreprocessor(new BertTextClassifierPreprocessor(tokenizer, 12, Truncation.ROUND_ROBIN));
    return c;
  }

  /** The animal of each sentence of {@link TinyTextModels#corpus}: cat, dog, bird, fish. */
  static int[] animals(List<String> texts) {
    int[] labels = new int[texts.size()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = texts.get(i).contains("cat") ? 0 : texts.get(i).contains("dog") ? 1
          : texts.get(i).contains("bird") ? 2 : 3;
    }
    return labels;
  }

  @Test
  void kerasHubClassifierPresetPredictsAndTrainsAsKerasHub() {
    JsonNode f = ReferenceFixtures.kerasClassifierFixture();
    BertTextClassifier c = BertTextClassifier.fromPreset(ReferenceFixtures.kerasClassifierPreset().toString());
    assertThat(c.numClasses()).isEqualTo(3);
    assertThat(c.classifierConfig().activation()).isEqualTo(ClassifierActivation.LINEAR);
    assertThat(c.classifierConfig().dropout()).isEqualTo(0.0);
    assertThat(c.preprocessor().sequenceLength()).isEqualTo(64);
    JsonNode in = f.get("inputs");
    PackedInputs x = new PackedInputs(FixtureForwardTest.ints(in.get("token_ids")),
        FixtureForwardTest.ints(in.get("padding_mask")), FixtureForwardTest.ints(in.get("segment_ids")));
    assertWithMessage("logits").that(TextClassifierRunnerTest.relativeError(c.predict(x), f.get("logits")))
        .isAtMost(1e-5);
    JsonNode ts = f.get("train_step");
    c.compile(CompileOptions.builder().optimizer(Optimizers.adam(ts.get("learning_rate").asDouble())
        .withEpsilon(ts.get("epsilon").asDouble())).build());
    Map<String, Double> m = c.trainOnBatch(x, FixtureForwardTest.ints1(f.get("labels")));
    double loss = ts.get("metrics").get("loss").asDouble();
    assertWithMessage("loss").that(m.get("loss")).isWithin(1e-5 * loss).of(loss);
    assertThat(m.get("sparse_categorical_accuracy"))
        .isWithin(1e-9).of(ts.get("metrics").get("sparse_categorical_accuracy").asDouble());
    Map<String, float[]> after = c.getWeights();
    ts.get("after_step").fields().forEachRemaining(e -> {
      double num = 0;
      double den = 0;
      for (int i = 0; i < e.getValue().size(); i++) {
        double want = e.getValue().get(i).asDouble();
        double d = after.get(e.getKey())[i] - want;
        num += d * d;
        den += want * want;
      }
      assertWithMessage("%s after the step", e.getKey()).that(Math.sqrt(num / den)).isAtMost(1e-4);
    });
    assertWithMessage("logits after the step")
        .that(TextClassifierRunnerTest.relativeError(c.predict(x), f.get("logits_after_step"))).isAtMost(1e-4);
    c.close();
  }

  @Test
  void numClassesGivesAFreshHeadAsKerasHubDoes() {
    String preset = ReferenceFixtures.kerasClassifierPreset().toString();
    BertTextClassifier saved = BertTextClassifier.fromPreset(preset);
    BertTextClassifier same = BertTextClassifier.fromPreset(preset, 3);
    BertTextClassifier five = (BertTextClassifier) TextClassifier.fromPreset(preset, 5);
    assertThat(same.numClasses()).isEqualTo(3);
    assertThat(five.numClasses()).isEqualTo(5);
    assertThat(same.getWeights().get(VariableLayout.CLASSIFIER_KERNEL))
        .isNotEqualTo(saved.getWeights().get(VariableLayout.CLASSIFIER_KERNEL));
    assertThat(same.getWeights().get(VariableLayout.CLASSIFIER_BIAS)).isEqualTo(new float[3]);
    assertThat(same.classifierConfig().dropout()).isEqualTo(TextClassifierConfig.DEFAULT_DROPOUT);
    // the backbone, pooler included, is the preset's either way
    assertThat(five.backbone().getWeights().get("pooled_dense/kernel"))
        .isEqualTo(saved.backbone().getWeights().get("pooled_dense/kernel"));
    assertThat(Task.fromPreset(preset)).isInstanceOf(BertTextClassifier.class);
    // keras-hub: a classifier preset loads as a masked LM with a fresh MaskedLM head
    BertMaskedLM mlm = BertMaskedLM.fromPreset(preset);
    assertThat(mlm.backbone().getWeights().get("pooled_dense/kernel"))
        .isEqualTo(saved.backbone().getWeights().get("pooled_dense/kernel"));
  }

  @Test
  void maskedLmOrBackbonePresetWithoutNumClassesIsRefusedWithTheFix() {
    for (String preset : List.of(ReferenceFixtures.kerasPreset().toString(), ReferenceFixtures.huggingFace().toString())) {
      String m = assertThrows(PresetException.class, () -> BertTextClassifier.fromPreset(preset)).getMessage();
      assertThat(m).contains("no classifier head to load; pass the number of classes");
      assertThat(m).contains("BertTextClassifier.fromPreset(\"" + preset + "\", 2)");
      BertTextClassifier c = BertTextClassifier.fromPreset(preset, 2);
      assertThat(c.numClasses()).isEqualTo(2);
    }
  }

  @Test
  void fitsTexts() {
    List<String> texts = TinyTextModels.corpus(8);
    int[] labels = animals(texts);
    // seed 4 leaves the plateau (loss ~0.82, one pair of animals told apart) within 100 steps on every
    // device; other seeds can sit there for 300 steps, which would make the bound below a coin flip
    BertTextClassifier c = tiny(4, 4);
    assertThat(c.isCompiled()).isTrue();
    c.compile(CompileOptions.builder().optimizer(Optimizers.adam(3e-3)).build());
    Map<String, Double> before = c.evaluate(texts, labels);
    assertThat(before.keySet()).containsExactly("loss", "sparse_categorical_accuracy");
    History h = c.fit(texts, labels, FitOptions.builder().batchSize(8).epochs(100).verbosity(Verbosity.SILENT)
        .build());
    Map<String, Double> after = c.evaluate(texts, labels);
    assertThat(after.get("loss")).isLessThan(before.get("loss") / 4);
    assertThat(after.get("sparse_categorical_accuracy")).isEqualTo(1.0);
    assertThat(h.epochs()).isEqualTo(100);
    assertThat(c.iterations()).isEqualTo(400);
    float[][] p = c.predictProbabilities(List.of("the cat sat on the mat .", "a fish swam in the pond ."));
    double sum = 0;
    for (float v : p[0]) {
      sum += v;
    }
    assertThat(sum).isWithin(1e-5).of(1.0);
    assertThat(argmax(p[0])).isEqualTo(0);
    assertThat(argmax(p[1])).isEqualTo(3);
    c.close();
  }

  @Test
  void fitsSentencePairs() {
    // the label is the word of the second segment: the classifier must read past the first [SEP]
    List<String> first = new ArrayList<>();
    List<String> second = new ArrayList<>();
    List<String> words = List.of("red", "blue", "big", "small");
    List<Integer> labels = new ArrayList<>();
    for (String a : TinyTextModels.corpus(1)) {
      for (int w = 0; w < words.size(); w++) {
        first.add(a);
        second.add(words.get(w));
        labels.add(w);
      }
    }
    int[] y = labels.stream().mapToInt(Integer::intValue).toArray();
    BertTextClassifier pairs = tiny(5, 4);
    pairs.compile(CompileOptions.builder().optimizer(Optimizers.adam(1e-3)).build());
    TextClassifierBatch data = pairs.preprocessor().withSequenceLength(16).call(first, second, y);
    assertThat(data.inputs().segmentIds()[1]).asList().contains(1);
    pairs.setPreprocessor(pairs.preprocessor().withSequenceLength(16));
    double start = pairs.evaluate(data, dev.bertgen.training.EvaluateOptions.defaults()).get("loss");
    pairs.fit(first, second, y, FitOptions.builder().batchSize(16).epochs(400).verbosity(Verbosity.SILENT).build());
    Map<String, Double> end = pairs.evaluate(data, dev.bertgen.training.EvaluateOptions.defaults());
    assertThat(end.get("loss")).isLessThan(start / 4);
    assertThat(end.get("sparse_categorical_accuracy")).isEqualTo(1.0);
    pairs.close();
  }

  @Test
  void frozenBackboneTrainsOnlyTheLogitsLayer() {
    BertTextClassifier c = tiny(7, 3);
    c.backbone().setTrainable(false);
    Map<String, float[]> before = c.getWeights();
    PackedInputs x = c.preprocessor().call(TinyTextModels.corpus(1));
    c.trainOnBatch(x, new int[] {0, 1, 2, 0});
    Map<String, float[]> after = c.getWeights();
    for (String path : before.keySet()) {
      boolean head = path.startsWith("logits/");
      assertWithMessage(path).that(java.util.Arrays.equals(before.get(path), after.get(path))).isEqualTo(!head);
    }
    c.backbone().setTrainable(true);
    c.trainOnBatch(x, new int[] {0, 1, 2, 0});
    assertThat(c.getWeights().get("pooled_dense/kernel")).isNotEqualTo(after.get("pooled_dense/kernel"));
    c.close();
  }

  @Test
  void badLabelsAndInputsAreNamed() {
    BertTextClassifier c = tiny(9, 3);
    List<String> texts = TinyTextModels.corpus(1);
    assertThat(assertThrows(IllegalArgumentException.class, () -> c.fit(texts, new int[] {0, 1, 3, 0},
        FitOptions.defaults())).getMessage()).isEqualTo("labels[2] = 3 is not a class of this classifier; use 0 to 2 "
            + "(numClasses 3)");
    assertThat(assertThrows(IllegalArgumentException.class, () -> c.evaluate(texts, new int[] {0}))
        .getMessage()).contains("1 labels for 4 examples");
    assertThat(assertThrows(IllegalArgumentException.class, () -> c.predict(List.of())).getMessage())
        .contains("texts is empty");
    c.uncompile();
    assertThat(assertThrows(IllegalStateException.class, () -> c.trainOnBatch(c.preprocessor().call(texts),
        new int[] {0, 1, 2, 0})).getMessage()).contains("You must call `compile()` before calling `trainOnBatch()`");
    c.close();
  }

  /**
   * keras-hub's {@code bert_tiny_en_uncased_sst2} layout in kagglehub's cache (a BertGen classifier of
   * its architecture saved there): {@code Task.fromPreset} gives a classifier with its 2 classes and
   * saved head; {@code BertMaskedLM.fromPreset} its backbone with a fresh MaskedLM head.
   */
  @Test
  void sst2PresetFromTheKagglehubCache(@org.junit.jupiter.api.io.TempDir java.nio.file.Path home) throws Exception {
    String name = "bert_tiny_en_uncased_sst2";
    dev.bertgen.presets.hub.KaggleHandle handle = dev.bertgen.presets.hub.KaggleHandle.parse(
        dev.bertgen.spec.BuiltinPresets.get(name).kaggleHandle());
    dev.bertgen.presets.hub.HubSettings hub = dev.bertgen.presets.hub.HubSettings.fromEnvironment(Map.of(), home)
        .withOffline(true);
    java.nio.file.Path model = dev.bertgen.presets.hub.KaggleFiles.modelDir(hub, handle);
    BertTextClassifier original = BertTextClassifier.create(dev.bertgen.spec.BuiltinPresets.get(name), 2, 11);
    original.saveToPreset(model.resolve(String.valueOf(handle.version())));
    java.nio.file.Files.writeString(model.resolve(handle.version() + ".complete"), "");
    PresetOptions offline = PresetOptions.builder().hub(hub).build();

    Task task = Task.fromPreset(name, offline);
    assertThat(task).isInstanceOf(BertTextClassifier.class);
    BertTextClassifier loaded = (BertTextClassifier) task;
    assertThat(loaded.numClasses()).isEqualTo(2);
    assertThat(loaded.getWeights().get(VariableLayout.CLASSIFIER_KERNEL))
        .isEqualTo(original.getWeights().get(VariableLayout.CLASSIFIER_KERNEL));
    assertThat(TextClassifier.fromPreset(name, offline)).isInstanceOf(BertTextClassifier.class);
    BertMaskedLM mlm = BertMaskedLM.fromPreset(name, offline);
    assertThat(mlm.backbone().getWeights().get("pooled_dense/kernel"))
        .isEqualTo(original.getWeights().get("pooled_dense/kernel"));
    assertThat(mlm.getWeights().get("mlm_head/output_bias")).isEqualTo(new float[30522]); // keras-hub's fresh head
  }

  static int argmax(float[] row) {
    int best = 0;
    for (int i = 1; i < row.length; i++) {
      best = row[i] > row[best] ? i : best;
    }
    return best;
  }
}
