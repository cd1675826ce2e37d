package dev.bertgen.models;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.bertgen.compute.ComputeDevice;
import dev.bertgen.testing.TestDevices;
import dev.bertgen.training.CompileOptions;
import dev.bertgen.training.EpochTotals;
import dev.bertgen.training.FitOptions;
import dev.bertgen.training.History;
import dev.bertgen.training.Optimizers;
import dev.bertgen.training.OptimizerState;
import dev.bertgen.training.TrainingListener;
import dev.bertgen.training.Verbosity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A run stopped mid-epoch, saved (weights + optimizer state) and resumed ends where an unbroken run ends. */
class ResumeTest {

  static java.util.List<ComputeDevice> devices() {
    return TestDevices.all();
  }

  private static FitOptions.Builder options() {
    return FitOptions.builder().verbosity(Verbosity.SILENT).batchSize(4).epochs(2).seed(11);
  }

  private static BertMaskedLM compiled(BertMaskedLM mlm, ComputeDevice device) {
    mlm.backbone().setDevice(device);
    mlm.compile(new CompileOptions(Optimizers.adam(3e-3)));
    return mlm;
  }

  @Tag("devices")
  @ParameterizedTest(name = "{0}")
  @MethodSource("devices")
  void aResumedRunMatchesAnUnbrokenOne(ComputeDevice device, @TempDir Path dir) {
    // 16 sentences, batch 4: 4 steps per epoch, 8 in all.
    BertMaskedLM unbroken = compiled(TinyTextModels.model(5), device);
    History whole = unbroken.fit(TinyTextModels.corpus(4), options().build());
    assertThat(whole.steps()).isEqualTo(8);

    BertMaskedLM first = compiled(TinyTextModels.model(5), device);
    EpochTotals[] atStop = new EpochTotals[1];
    History part = first.fit(TinyTextModels.corpus(4), options().listener(new TrainingListener() {
      @Override
      public void onBatchEnd(int epoch, int step, Map<String, Double> logs, EpochTotals totals) {
        if (epoch == 0 && step == 2) {
          atStop[0] = totals;
          first.stopTraining();
        }
      }
    }).build());
    assertThat(atStop[0].examples()).isEqualTo(12);
    assertThat(part.steps()).isEqualTo(3);
    assertThat(part.stopReason()).isEqualTo(History.StopReason.STOPPED);
    first.saveToPreset(dir.resolve("checkpoint"));
    first.optimizerState().save(dir.resolve("checkpoint/optimizer.bin"));

    BertMaskedLM resumed = BertMaskedLM.fromPreset(dir.resolve("checkpoint").toString());
    resumed.setPreprocessor(first.preprocessor());
    compiled(resumed, device);
    resumed.setOptimizerState(OptimizerState.load(dir.resolve("checkpoint/optimizer.bin")));
    assertThat(resumed.iterations()).isEqualTo(3);
    History rest = resumed.fit(TinyTextModels.corpus(4), options().initialEpoch(0, 3, atStop[0]).build());
    assertThat(rest.steps()).isEqualTo(5);
    // with the interrupted epoch's totals, the resumed run reports the whole epoch's metrics
    for (String metric : List.of("loss", "masked_token_loss", "sparse_categorical_accuracy")) {
      for (int epoch = 0; epoch < 2; epoch++) {
        assertWithMessage("%s of epoch %s", metric, epoch).that(rest.get(metric).get(epoch))
            .isWithin(1e-6 * Math.abs(whole.get(metric).get(epoch))).of(whole.get(metric).get(epoch));
      }
    }
    assertThat(resumed.iterations()).isEqualTo(8);

    Map<String, float[]> expected = unbroken.getWeights();
    Map<String, float[]> actual = resumed.getWeights();
    assertThat(actual.keySet()).isEqualTo(expected.keySet());
    for (String name : expected.keySet()) {
      float[] e = expected.get(name);
      float[] a = actual.get(name);
      double worst = 0;
      for (int i = 0; i < e.length; i++) {
        worst = Math.max(worst, Math.abs(e[i] - a[i]) / (Math.abs(e[i]) + 1e-3));
      }
      assertWithMessage("%s after resuming (worst relative difference)", name).that(worst).isLessThan(1e-5);
    }
    // Without the optimizer state the same resumption ends elsewhere: the check above can fail.
    BertMaskedLM fresh = BertMaskedLM.fromPreset(dir.resolve("checkpoint").toString());
    fresh.setPreprocessor(first.preprocessor());
    compiled(fresh, device);
    fresh.fit(TinyTextModels.corpus(4), options().initialEpoch(0, 3).build());
    assertThat(Arrays.equals(fresh.getWeights().get("token_embedding/embeddings"),
        expected.get("token_embedding/embeddings"))).isFalse();
  }

  @Test
  void theStateSurvivesAFileAndBadFilesAreNamed(@TempDir Path dir) throws Exception {
    OptimizerState s = new OptimizerState(42, new float[] {1, -2, 3.5f}, new float[] {0.25f, 0, 9});
    Path file = dir.resolve("optimizer.bin");
    s.save(file);
    assertThat(OptimizerState.load(file)).isEqualTo(s);
    assertThat(Files.list(dir).count()).isEqualTo(1); // no temporary file left

    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length - 5));
    IllegalArgumentException truncated = assertThrows(IllegalArgumentException.class, () -> OptimizerState.load(file));
    assertThat(truncated).hasMessageThat().contains("optimizer.bin is truncated");
    bytes[20] ^= 1;
    Files.write(file, bytes);
    assertThat(assertThrows(IllegalArgumentException.class, () -> OptimizerState.load(file)))
        .hasMessageThat().contains("CRC-32");
    Files.writeString(file, "hello");
    assertThat(assertThrows(IllegalArgumentException.class, () -> OptimizerState.load(file)))
        .hasMessageThat().contains("not a BertGen optimizer state");
    assertThat(assertThrows(IllegalArgumentException.class, () -> OptimizerState.load(dir.resolve("none.bin"))))
        .hasMessageThat().contains("no optimizer state at");
  }

  @Test
  void adamsStateFollowsTheModelToAnotherDevice() {
    java.util.List<ComputeDevice> openCl = dev.bertgen.compute.Devices.openCl();
    org.junit.jupiter.api.Assumptions.assumeFalse(openCl.isEmpty(), "needs an OpenCL device besides Java threads");
    BertMaskedLM mlm = compiled(TinyTextModels.model(2), ComputeDevice.javaThreads());
    OptimizerState untrained = mlm.optimizerState();
    assertThat(untrained.iterations()).isEqualTo(0);
    mlm.fit(TinyTextModels.corpus(2), options().epochs(1).build());
    OptimizerState before = mlm.optimizerState();
    assertThat(before.iterations()).isEqualTo(2);
    assertThat(Arrays.equals(before.secondMoments(), untrained.secondMoments())).isFalse();
    mlm.backbone().setDevice(openCl.get(0));
    assertThat(mlm.optimizerState()).isEqualTo(before);
  }

  @Test
  void aStateOfAnotherSizeIsRefused() {
    BertMaskedLM mlm = compiled(TinyTextModels.model(1), ComputeDevice.javaThreads());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> mlm.setOptimizerState(new OptimizerState(1, new float[3], new float[3])));
    assertThat(e).hasMessageThat().contains("covers 3 parameters");
    mlm.uncompile();
    assertThrows(IllegalStateException.class, () -> mlm.setOptimizerState(mlm.optimizerState()));
  }
}
