package dev.bertgen.models;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.bertgen.compute.ComputeDevice;
import dev.bertgen.preprocessing.MaskedLMBatch;
import dev.bertgen.testing.TestDevices;
import dev.bertgen.training.CompileOptions;
import dev.bertgen.training.EvaluateOptions;
import dev.bertgen.training.FitOptions;
import dev.bertgen.training.History;
import dev.bertgen.training.Optimizers;
import dev.bertgen.training.Trainer;
import dev.bertgen.training.TrainingListener;
import dev.bertgen.training.Verbosity;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** keras' fit / evaluate / predict loops on text and on preprocessed data. */
class FitTest {

  static List<ComputeDevice> devices() {
    return TestDevices.all();
  }

  private static FitOptions.Builder quiet() {
    return FitOptions.builder().verbosity(Verbosity.SILENT);
  }

  private static BertMaskedLM compiled(long seed, double learningRate) {
    BertMaskedLM mlm = TinyTextModels.model(seed);
    mlm.compile(new CompileOptions(Optimizers.adam(learningRate)));
    return mlm;
  }

  @Tag("devices")
  @ParameterizedTest(name = "{0}")
  @MethodSource("devices")
  void fitOnTextLearnsTheCorpusAndFillsTheMask(ComputeDevice device) {
    BertMaskedLM mlm = compiled(3, 1e-2);
    mlm.backbone().setDevice(device);
    mlm.setDropoutRate(0);
    // 80 epochs: the context is then learned with 0.94-0.99 probability on every device; at 40 the fish's place was
    // still a near tie with the dog's, decided by the last bits of a sum's order
    History h = mlm.fit(TinyTextModels.corpus(16), quiet().batchSize(8).epochs(80).build());
    List<Double> loss = h.get("masked_token_loss");
    assertWithMessage("per-token loss by epoch %s", loss).that(loss.get(0)).isGreaterThan(2.5);
    assertWithMessage("per-token loss by epoch %s", loss).that(loss.get(loss.size() - 1)).isLessThan(0.6);
    assertThat(h.get("loss")).hasSize(80);
    assertThat(h.steps()).isEqualTo(80 * 8);
    assertThat(h.stopReason()).isEqualTo(History.StopReason.COMPLETED);
    // The answer depends on the context: the animal decides the place, and the place the animal.
    List<List<MaskPrediction>> p = mlm.fillMask(List.of("a fish swam in the [MASK] .",
        "the dog ran in the [MASK] .", "a [MASK] swam in the pond ."), 3);
    assertWithMessage("%s", p).that(p.get(0).get(0).best().token()).isEqualTo("pond");
    assertWithMessage("%s", p).that(p.get(1).get(0).best().token()).isEqualTo("park");
    assertWithMessage("%s", p).that(p.get(2).get(0).best().token()).isEqualTo("fish");
  }

  @Test
  void fitWithoutCompileRaisesKerasError() {
    BertMaskedLM mlm = TinyTextModels.model(1);
    mlm.uncompile();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> mlm.fit(TinyTextModels.corpus(1), quiet().build()));
    assertThat(e).hasMessageThat().startsWith("You must call `compile()` before calling `fit()`.");
    e = assertThrows(IllegalStateException.class, () -> {
      MaskedLMBatch b = mlm.preprocessor().call(TinyTextModels.corpus(1));
      mlm.trainOnBatch(b.inputs(), b.labels(), b.sampleWeights());
    });
    assertThat(e).hasMessageThat().contains("before calling `trainOnBatch()`");
  }

  @Test
  void historyHasKerasNamesAndValidation() {
    BertMaskedLM mlm = compiled(1, 1e-3);
    History h = mlm.fit(TinyTextModels.corpus(5), quiet().batchSize(6).epochs(2)
        .validationTexts(TinyTextModels.corpus(2)).build());
    assertThat(h.history().keySet()).containsExactly("loss", "sparse_categorical_accuracy", "masked_token_loss",
        "val_loss", "val_sparse_categorical_accuracy", "val_masked_token_loss").inOrder();
    for (List<Double> values : h.history().values()) {
      assertThat(values).hasSize(2);
      assertThat(values.get(1)).isFinite();
    }
    assertThat(h.steps()).isEqualTo(2 * 4); // 20 texts in batches of 6: 6, 6, 6, 2
    assertThat(h.tokens()).isEqualTo(2 * 20 * 12);
    assertThat(h.tokensPerSecond()).isGreaterThan(0.0);
    assertThat(mlm.iterations()).isEqualTo(8);
    // Validation masks use a fixed seed: evaluating again gives the last epoch's numbers.
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> h.get("accuracy"));
    assertThat(e).hasMessageThat().contains("sparse_categorical_accuracy");
  }

  @Test
  void sameSeedSameRunOtherSeedOtherRun() {
    FitOptions o = quiet().batchSize(4).epochs(2).seed(7).build();
    History a = compiled(1, 1e-3).fit(TinyTextModels.corpus(3), o);
    History b = compiled(1, 1e-3).fit(TinyTextModels.corpus(3), o);
    History c = compiled(1, 1e-3).fit(TinyTextModels.corpus(3), quiet().batchSize(4).epochs(2).seed(8).build());
    assertThat(b.history()).isEqualTo(a.history());
    assertThat(c.get("loss")).isNotEqualTo(a.get("loss"));
  }

  @Test
  void rawTextIsMaskedAnewEachEpoch() {
    BertMaskedLM mlm = TinyTextModels.model(1);
    Trainer.Source<MaskedLMBatch> s = Trainer.texts(mlm.preprocessor()::call, TinyTextModels.corpus(4), "texts");
    int[] rows = {0, 1, 2, 3, 4, 5, 6, 7};
    MaskedLMBatch epoch0 = s.batch(rows, Trainer.mix(5, 0, 0));
    MaskedLMBatch again = s.batch(rows, Trainer.mix(5, 0, 0));
    MaskedLMBatch epoch1 = s.batch(rows, Trainer.mix(5, 1, 0));
    assertThat(again).isEqualTo(epoch0);
    assertThat(epoch1.inputs().maskPositions()).isNotEqualTo(epoch0.inputs().maskPositions());
    assertThat(Trainer.order(10, true, 1)).isNotEqualTo(Trainer.order(10, true, 2));
    assertThat(Trainer.order(4, false, 1)).asList().containsExactly(0, 1, 2, 3).inOrder();
  }

  @Test
  void fitOnPreprocessedDataIsTrainOnBatchInALoop() {
    BertMaskedLM a = compiled(2, 1e-3);
    BertMaskedLM b = compiled(2, 1e-3);
    MaskedLMBatch data = a.preprocessor().call(TinyTextModels.corpus(3), 11);
    a.setDropoutSeed(4);
    b.setDropoutSeed(4);
    History h = a.fit(data, quiet().batchSize(5).shuffle(false).build());
    Map<String, Double> first = b.trainOnBatch(data.select(0, 1, 2, 3, 4).inputs(),
        data.select(0, 1, 2, 3, 4).labels(), data.select(0, 1, 2, 3, 4).sampleWeights());
    MaskedLMBatch rest = data.select(5, 6, 7, 8, 9);
    b.trainOnBatch(rest.inputs(), rest.labels(), rest.sampleWeights());
    rest = data.select(10, 11);
    b.trainOnBatch(rest.inputs(), rest.labels(), rest.sampleWeights());
    assertThat(h.steps()).isEqualTo(3);
    assertThat(a.getWeights().keySet()).isEqualTo(b.getWeights().keySet());
    Map<String, float[]> wb = b.getWeights();
    a.getWeights().forEach((k, v) -> assertWithMessage(k).that(v).isEqualTo(wb.get(k)));
    assertThat(first.get("loss")).isGreaterThan(0.0);
  }

  @Test
  void stopTrainingInterruptAndTimeLimitReturnBetweenBatches() {
    BertMaskedLM mlm = compiled(1, 1e-3);
    History stopped = mlm.fit(TinyTextModels.corpus(10), quiet().batchSize(2).epochs(3)
        .listener(new TrainingListener() {
          @Override
          public void onBatchEnd(int epoch, int step, Map<String, Double> logs) {
            if (step == 2) {
              mlm.stopTraining();
            }
          }
        }).build());
    assertThat(stopped.stopReason()).isEqualTo(History.StopReason.STOPPED);
    assertThat(stopped.steps()).isEqualTo(3);
    assertThat(stopped.epochs()).isEqualTo(1);

    History interrupted = mlm.fit(TinyTextModels.corpus(10), quiet().batchSize(2)
        .listener(new TrainingListener() {
          @Override
          public void onBatchEnd(int epoch, int step, Map<String, Double> logs) {
            if (step == 1) {
              Thread.currentThread().interrupt();
            }
          }
        }).build());
    assertThat(Thread.interrupted()).isTrue(); // fit keeps the flag for the caller
    assertThat(interrupted.stopReason()).isEqualTo(History.StopReason.INTERRUPTED);
    assertThat(interrupted.steps()).isEqualTo(2);

    History timed = mlm.fit(TinyTextModels.corpus(10), quiet().batchSize(2).epochs(1000)
        .timeLimit(java.time.Duration.ofMillis(1)).build());
    assertThat(timed.stopReason()).isEqualTo(History.StopReason.TIME_LIMIT);
    assertThat(timed.steps()).isEqualTo(1);
    assertThat(mlm.iterations()).isEqualTo(3 + 2 + 1);
  }

  @Test
  void perBatchMetricsAddUpToTheEpochMeans() {
    BertMaskedLM mlm = compiled(2, 1e-3);
    java.util.List<Double> losses = new java.util.ArrayList<>();
    java.util.List<Double> running = new java.util.ArrayList<>();
    History h = mlm.fit(TinyTextModels.corpus(3), quiet().batchSize(4).listener(new TrainingListener() {
      @Override
      public void onTrainBatch(int epoch, int step, Map<String, Double> batchLogs) {
        losses.add(batchLogs.get("loss"));
      }

      @Override
      public void onBatchEnd(int epoch, int step, Map<String, Double> logs) {
        running.add(logs.get("loss"));
      }
    }).build());
    assertThat(losses).hasSize(3);
    assertThat(running.get(0)).isWithin(1e-9).of(losses.get(0));
    // equal batches of 4: the epoch's loss is the mean of the three batch losses
    double mean = (losses.get(0) + losses.get(1) + losses.get(2)) / 3;
    assertThat(h.last("loss")).isWithin(1e-9).of(mean);
    assertThat(losses.get(1)).isNotEqualTo(running.get(1));
  }

  @Test
  void progressOutput() {
    ByteArrayOutputStream lines = new ByteArrayOutputStream();
    compiled(1, 1e-3).fit(TinyTextModels.corpus(2), quiet().batchSize(4).epochs(2)
        .verbosity(Verbosity.EPOCH_LINES).output(new PrintStream(lines, true, StandardCharsets.UTF_8)).build());
    String text = lines.toString(StandardCharsets.UTF_8);
    assertThat(text).contains("Epoch 1/2\n");
    assertThat(text).contains("Epoch 2/2\n");
    assertThat(text).containsMatch("2/2 \\[=+\\] \\d:\\d\\d \\d+ms/step - loss: \\d\\.\\d{4} - "
        + "sparse_categorical_accuracy: \\d\\.\\d{4} - masked_token_loss: \\d\\.\\d{4} - [\\d,]+ tokens/s\n");
    assertThat(text).doesNotContain("\r");

    ByteArrayOutputStream bar = new ByteArrayOutputStream();
    compiled(1, 1e-3).fit(TinyTextModels.corpus(2), quiet().batchSize(1)
        .verbosity(Verbosity.PROGRESS_BAR).output(new PrintStream(bar, true, StandardCharsets.UTF_8)).build());
    assertThat(bar.toString(StandardCharsets.UTF_8)).contains("\r8/8 [");

    ByteArrayOutputStream auto = new ByteArrayOutputStream();
    compiled(1, 1e-3).fit(TinyTextModels.corpus(2), quiet().verbosity(Verbosity.AUTO)
        .output(new PrintStream(auto, true, StandardCharsets.UTF_8)).build());
    assertWithMessage("AUTO prints only to a terminal").that(auto.size()).isEqualTo(0);
  }

  @Test
  void evaluateIsDeterministicWithoutDropoutAndMatchesTestOnBatch() {
    BertMaskedLM mlm = compiled(1, 1e-3);
    mlm.setDropoutRate(0.5);
    EvaluateOptions o = EvaluateOptions.defaults().withVerbosity(Verbosity.SILENT).withBatchSize(100);
    Map<String, Double> first = mlm.evaluate(TinyTextModels.corpus(3), o);
    assertThat(mlm.evaluate(TinyTextModels.corpus(3), o)).isEqualTo(first);
    MaskedLMBatch data = mlm.preprocessor().call(TinyTextModels.corpus(3), 5);
    Map<String, Double> eval = mlm.evaluate(data, o);
    Map<String, Double> test = mlm.testOnBatch(data.inputs(), data.labels(), data.sampleWeights());
    assertThat(eval.get("loss")).isWithin(1e-9).of(test.get("loss"));
    assertThat(eval.get("sparse_categorical_accuracy")).isWithin(1e-9).of(test.get("sparse_categorical_accuracy"));
    // In batches, keras averages the loss over examples and the accuracy over weights.
    Map<String, Double> batched = mlm.evaluate(data, o.withBatchSize(5));
    assertThat(batched.get("loss")).isWithin(1e-6).of(eval.get("loss"));
    assertThat(batched.get("sparse_categorical_accuracy")).isWithin(1e-9)
        .of(eval.get("sparse_categorical_accuracy"));
    assertThat(mlm.iterations()).isEqualTo(0);
  }

  @Test
  void predictOnTextAndInBatches() {
    BertMaskedLM mlm = TinyTextModels.model(1);
    MaskedLMPredictions p = mlm.predict(TinyTextModels.corpus(2));
    assertThat(p.logits().length).isEqualTo(8);
    assertThat(p.logits()[0].length).isEqualTo(3);
    assertThat(p.logits()[0][0].length).isEqualTo(TinyTextModels.VOCABULARY.size());
    float[][][] whole = mlm.predict(p.batch().inputs());
    float[][][] batched = mlm.predict(p.batch().inputs(), 3);
    for (int b = 0; b < whole.length; b++) {
      for (int j = 0; j < whole[b].length; j++) {
        assertThat(batched[b][j]).usingTolerance(1e-6).containsExactly(whole[b][j]).inOrder();
      }
    }
    assertThrows(IllegalArgumentException.class, () -> mlm.predict(p.batch().inputs(), 0));
  }

  @Test
  void badInputsNameTheProblem() {
    BertMaskedLM mlm = compiled(1, 1e-3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> mlm.fit(List.of(), quiet().build()));
    assertThat(e).hasMessageThat().contains("the training texts is empty");
    e = assertThrows(IllegalArgumentException.class, () -> FitOptions.builder().batchSize(0).build());
    assertThat(e).hasMessageThat().contains("batchSize");
    e = assertThrows(IllegalArgumentException.class, () -> mlm.setPreprocessor(
        mlm.preprocessor().withSequenceLength(17)));
    assertThat(e).hasMessageThat().contains("max_sequence_length 16");
    BertMaskedLM noVocabulary = BertMaskedLM.create(CustomPresets.of("x", TinyTextModels.config(0)), 1);
    IllegalStateException s = assertThrows(IllegalStateException.class,
        () -> noVocabulary.fit(List.of("a"), quiet().build()));
    assertThat(s).hasMessageThat().contains("needs a tokenizer");
  }
}
