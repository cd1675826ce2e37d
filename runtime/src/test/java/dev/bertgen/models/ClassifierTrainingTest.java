package dev.bertgen.models;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.bertgen.dsl.Truncation;
import dev.bertgen.layers.VariableLayout;
import dev.bertgen.preprocessing.PackedInputs;
import dev.bertgen.preprocessing.TextClassifierBatch;
import dev.bertgen.spec.TokenizerConfig;
import dev.bertgen.training.CompileOptions;
import dev.bertgen.training.EvaluateOptions;
import dev.bertgen.training.FitOptions;
import dev.bertgen.training.History;
import dev.bertgen.training.OptimizerState;
import dev.bertgen.training.Optimizers;
import dev.bertgen.training.TrainingListener;
import dev.bertgen.training.Verbosity;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link BertTextClassifier} beyond fitting: keras-hub's constructor arguments (softmax activation,
 * classifier dropout), predict in batches, the default compile, validation data, sample weights,
 * the optimizer's state, stopping and the preprocessor's checks, on a tiny model.
 */
class ClassifierTrainingTest {
  @TempDir Path tmp;

  private static BertTextClassifier tiny(TextClassifierConfig config, long seed) {
    BertTextClassifier c = BertTextClassifier.create(CustomPresets.of("tiny-text", TinyTextModels.config(0.0)),
        config, seed);
    c.setPreprocessor(new BertTextClassifierPreprocessor(tokenizer(TinyTextModels.VOCABULARY), 12,
        Truncation.ROUND_ROBIN));
    return c;
  }

  private static BertTokenizer tokenizer(List<String> vocabulary) {
    return new BertTokenizer(vocabulary, TokenizerConfig.kerasHub(true, null));
  }

  private static FitOptions.Builder quiet() {
    return FitOptions.builder().verbosity(Verbosity.SILENT);
  }

  @Test
  void predictRunsInBatchesAndSoftmaxGivesProbabilities() {
    BertTextClassifier linear = tiny(TextClassifierConfig.defaults(3), 4);
    BertTextClassifier softmax = tiny(TextClassifierConfig.defaults(3).withActivation(ClassifierActivation.SOFTMAX),
        4);
    assertThat(softmax.classifierConfig().activation()).isEqualTo(ClassifierActivation.SOFTMAX);
    List<String> texts = TinyTextModels.corpus(10); // 40 rows: two batches of predict
    texts.set(37, "the bird ran on the big red mat .");
    PackedInputs x = linear.preprocessor().call(texts);
    float[][] logits = linear.predict(x);
    assertThat(logits.length).isEqualTo(40);
    assertThat(logits[0]).hasLength(3);
    // the second batch's rows are those of a prediction of them alone
    float[][] tail = linear.predict(List.of("the bird ran on the big red mat ."));
    for (int k = 0; k < 3; k++) {
      assertThat((double) logits[37][k]).isWithin(1e-5).of(tail[0][k]);
    }
    assertThat(logits[37]).isNotEqualTo(logits[1]);

    float[][] probabilities = softmax.predict(x);
    for (int i = 0; i < probabilities.length; i++) {
      double sum = 0;
      for (int k = 0; k < 3; k++) {
        assertThat(probabilities[i][k]).isAtLeast(0f);
        sum += probabilities[i][k];
      }
      assertWithMessage("row %s", i).that(sum).isWithin(1e-5).of(1.0);
      float[] expected = logits[i].clone();
      BertTextClassifier.softmaxInPlace(expected);
      for (int k = 0; k < 3; k++) {
        assertThat((double) probabilities[i][k]).isWithin(1e-5).of(expected[k]);
      }
    }
    // a softmax classifier's probabilities are not normalized twice
    float[][] again = softmax.predictProbabilities(texts.subList(0, 2));
    assertThat((double) again[1][2]).isWithin(1e-5).of(probabilities[1][2]);
    linear.close();
    softmax.close();
  }

  @Test
  void softmaxClassifierWithItsDropoutAndClassNamesSavesAndLoadsBack() {
    TextClassifierConfig config = TextClassifierConfig.defaults(3).withActivation(ClassifierActivation.SOFTMAX)
        .withDropout(0.25).withClassNames(List.of("cat", "dog", "other"));
    BertTextClassifier c = tiny(config, 6);
    Path dir = tmp.resolve("softmax");
    c.saveToPreset(dir);
    BertTextClassifier loaded = BertTextClassifier.fromPreset(dir.toString());
    assertThat(loaded.classifierConfig()).isEqualTo(config);
    List<String> texts = TinyTextModels.corpus(1);
    float[][] a = c.predict(texts);
    float[][] b = loaded.predict(texts);
    for (int i = 0; i < a.length; i++) {
      assertThat(b[i]).isEqualTo(a[i]);
    }
    // a fresh head with keras-hub's constructor arguments over the saved backbone
    BertTextClassifier fresh = BertTextClassifier.fromPreset(dir.toString(),
        TextClassifierConfig.defaults(2).withActivation(ClassifierActivation.SOFTMAX), PresetOptions.defaults());
    assertThat(fresh.numClasses()).isEqualTo(2);
    assertThat(fresh.classifierConfig().activation()).isEqualTo(ClassifierActivation.SOFTMAX);
    assertThat(fresh.getWeights().get("pooled_dense/kernel")).isEqualTo(c.getWeights().get("pooled_dense/kernel"));
    c.close();
    loaded.close();
    fresh.close();
  }

  @Test
  void compiledWithKerasHubsAdamAtConstruction() {
    // Adam's first step moves each parameter with a gradient by the learning rate
    BertTextClassifier c = tiny(TextClassifierConfig.defaults(3).withDropout(0), 2);
    c.backbone().setTrainable(false);
    PackedInputs x = c.preprocessor().call(TinyTextModels.corpus(1));
    c.trainOnBatch(x, new int[] {0, 1, 2, 0});
    float[] bias = c.getWeights().get(VariableLayout.CLASSIFIER_BIAS);
    for (float b : bias) {
      assertThat((double) Math.abs(b)).isWithin(1e-6).of(BertTextClassifier.DEFAULT_LEARNING_RATE);
    }
    assertThat(c.iterations()).isEqualTo(1);
    c.compile(CompileOptions.builder().optimizer(Optimizers.adam(1e-3)).build());
    assertThat(c.iterations()).isEqualTo(0);
    c.trainOnBatch(x, new int[] {0, 1, 2, 0});
    float[] after = c.getWeights().get(VariableLayout.CLASSIFIER_BIAS);
    for (int k = 0; k < 3; k++) {
      assertThat((double) Math.abs(after[k] - bias[k])).isWithin(2e-5).of(1e-3);
    }
    c.close();
  }

  @Test
  void fitReportsValidationMetricsOnATextClassifierBatch() {
    BertTextClassifier c = tiny(TextClassifierConfig.defaults(4), 3);
    List<String> texts = TinyTextModels.corpus(2);
    int[] labels = TextClassifierTest.animals(texts);
    TextClassifierBatch held = c.preprocessor().call(TinyTextModels.corpus(1), TextClassifierTest.animals(
        TinyTextModels.corpus(1)));
    History h = c.fit(texts, labels, quiet().batchSize(4).epochs(2).validationData(held).build());
    assertThat(h.history().keySet()).containsExactly("loss", "sparse_categorical_accuracy", "val_loss",
        "val_sparse_categorical_accuracy").inOrder();
    assertThat(h.get("val_loss")).hasSize(2);
    assertThat(h.last("val_loss")).isWithin(1e-5).of(c.evaluate(held, EvaluateOptions.defaults()).get("loss"));

    BertMaskedLM mlm = TinyTextModels.model(1);
    String m = assertThrows(IllegalArgumentException.class, () -> c.fit(texts, labels,
        quiet().validationData(mlm.preprocessor().call(texts)).build())).getMessage();
    assertThat(m).contains("validationData is a MaskedLMBatch; a text classifier evaluates a TextClassifierBatch");
    m = assertThrows(IllegalArgumentException.class, () -> c.fit(texts, labels,
        quiet().validationTexts(texts).build())).getMessage();
    assertThat(m).contains("validationTexts has no labels");
    mlm.close();
    c.close();
  }

  @Test
  void sampleWeightsWeighTheLossAndAccuracyAsKeras() {
    BertTextClassifier c = tiny(TextClassifierConfig.defaults(3), 8);
    List<String> texts = TinyTextModels.corpus(1);
    PackedInputs x = c.preprocessor().call(texts);
    int[] labels = {0, 1, 2, 0};
    Map<String, Double> all = c.testOnBatch(x, labels);
    Map<String, Double> ones = c.testOnBatch(x, labels, new float[] {1, 1, 1, 1});
    assertThat(ones.get("loss")).isWithin(1e-6).of(all.get("loss"));
    // keras: Σ weight·CE / batch, and the accuracy's weighted mean
    Map<String, Double> first = c.testOnBatch(c.preprocessor().call(texts.subList(0, 1)), new int[] {0});
    Map<String, Double> weighted = c.testOnBatch(x, labels, new float[] {2, 0, 0, 0});
    assertThat(weighted.get("loss")).isWithin(1e-5).of(first.get("loss") * 2 / 4);
    assertThat(weighted.get("sparse_categorical_accuracy")).isEqualTo(first.get("sparse_categorical_accuracy"));
    assertThat(assertThrows(IllegalArgumentException.class, () -> c.trainOnBatch(x, labels,
        new float[] {1, -1, 1, 1})).getMessage()).isEqualTo("sampleWeight[1] = -1.0 must be a finite number >= 0");
    assertThat(c.iterations()).isEqualTo(0);
    c.close();
  }

  @Test
  void aGradientExchangeThatKeepsTheGradientsChangesNothing() {
    int[] labels = {0, 1, 2, 0};
    CompileOptions adam = CompileOptions.builder().optimizer(Optimizers.adam(1e-3)).build();
    BertTextClassifier local = tiny(TextClassifierConfig.defaults(3), 5);
    PackedInputs x = local.preprocessor().call(TinyTextModels.corpus(1));
    local.compile(adam);
    BertTextClassifier roundTrip = tiny(TextClassifierConfig.defaults(3), 5);
    roundTrip.compile(adam);
    List<Long> seen = new java.util.ArrayList<>();
    roundTrip.setGradientExchange((gradients, ranges) -> seen.add(dev.bertgen.training.ParameterRange.total(ranges)));
    double first = 0;
    double last = 0;
    for (int i = 0; i < 5; i++) {
      double a = local.trainOnBatch(x, labels).get("loss");
      double b = roundTrip.trainOnBatch(x, labels).get("loss");
      assertThat(b).isEqualTo(a);
      first = i == 0 ? a : first;
      last = a;
    }
    assertThat(last).isLessThan(first);
    assertThat(seen).hasSize(5);
    assertThat(seen.get(0)).isEqualTo(roundTrip.parameterCount());
    Map<String, float[]> want = local.getWeights();
    roundTrip.getWeights().forEach((path, v) -> assertWithMessage(path).that(v).usingExactEquality()
        .containsExactly(want.get(path)).inOrder());
    local.close();
    roundTrip.close();
  }

  @Test
  void optimizerStateResumesAsAnUnbrokenRunAndSurvivesClose() {
    int[] labels = {0, 1, 2, 0};
    CompileOptions adam = CompileOptions.builder().optimizer(Optimizers.adam(1e-3)).build();
    BertTextClassifier unbroken = tiny(TextClassifierConfig.defaults(3), 5);
    PackedInputs x = unbroken.preprocessor().call(TinyTextModels.corpus(1));
    unbroken.compile(adam);
    unbroken.trainOnBatch(x, labels);
    unbroken.trainOnBatch(x, labels);

    BertTextClassifier resumed = tiny(TextClassifierConfig.defaults(3), 5);
    resumed.compile(adam);
    resumed.trainOnBatch(x, labels);
    OptimizerState state = resumed.optimizerState();
    assertThat(state.iterations()).isEqualTo(1);
    resumed.close(); // the moments stay on the host
    assertThat(resumed.optimizerState()).isEqualTo(state);
    resumed.compile(adam); // a fresh optimizer
    resumed.setOptimizerState(state);
    resumed.trainOnBatch(x, labels);
    assertThat(resumed.iterations()).isEqualTo(2);
    Map<String, float[]> want = unbroken.getWeights();
    resumed.getWeights().forEach((path, v) -> {
      for (int i = 0; i < v.length; i++) {
        assertWithMessage("%s[%s]", path, i).that((double) v[i]).isWithin(1e-6).of(want.get(path)[i]);
      }
    });

    BertTextClassifier other = tiny(TextClassifierConfig.defaults(4), 5);
    assertThat(assertThrows(IllegalArgumentException.class, () -> other.setOptimizerState(state)).getMessage())
        .contains("it was saved from another model");
    unbroken.close();
    resumed.close();
    other.close();
  }

  @Test
  void stopTrainingReturnsAfterTheCurrentBatch() {
    BertTextClassifier c = tiny(TextClassifierConfig.defaults(4), 2);
    List<String> texts = TinyTextModels.corpus(2);
    History h = c.fit(texts, TextClassifierTest.animals(texts), quiet().batchSize(2).epochs(3)
        .listener(new TrainingListener() {
          @Override
          public void onBatchEnd(int epoch, int step, Map<String, Double> logs) {
            if (step == 1) {
              c.stopTraining();
            }
          }
        }).build());
    assertThat(h.stopReason()).isEqualTo(History.StopReason.STOPPED);
    assertThat(h.steps()).isEqualTo(2);
    assertThat(c.iterations()).isEqualTo(2);
    // the next fit runs again
    assertThat(c.fit(texts, TextClassifierTest.animals(texts), quiet().batchSize(8).build()).stopReason())
        .isEqualTo(History.StopReason.COMPLETED);
    c.close();
  }

  @Test
  void preprocessorIsCheckedAgainstTheModel() {
    BertTextClassifier bare = BertTextClassifier.create(CustomPresets.of("tiny-text", TinyTextModels.config(0.0)),
        2, 1);
    assertThat(bare.preprocessor()).isNull();
    assertThat(assertThrows(IllegalStateException.class, () -> bare.predict(List.of("the cat")))
        .getMessage()).contains("predict on raw strings needs a tokenizer");
    List<String> shorter = TinyTextModels.VOCABULARY.subList(0, 20);
    assertThat(assertThrows(IllegalArgumentException.class, () -> bare.setPreprocessor(
        new BertTextClassifierPreprocessor(tokenizer(shorter), 12, Truncation.ROUND_ROBIN))).getMessage())
        .contains("the preprocessor's tokenizer has 20 tokens but this model's vocabulary_size is 30");
    assertThat(assertThrows(IllegalArgumentException.class, () -> bare.setPreprocessor(
        new BertTextClassifierPreprocessor(tokenizer(TinyTextModels.VOCABULARY), 17, Truncation.ROUND_ROBIN)))
        .getMessage()).contains("sequence_length 17 is above this model's max_sequence_length 16");
    bare.setPreprocessor(new BertTextClassifierPreprocessor(tokenizer(TinyTextModels.VOCABULARY), 16,
        Truncation.ROUND_ROBIN));
    assertThat(bare.predict(List.of("the cat"))[0]).hasLength(2);
    bare.close();
  }
}
