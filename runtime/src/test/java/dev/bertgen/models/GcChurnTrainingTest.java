package dev.bertgen.models;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bertgen.compute.ComputeDevice;
import dev.bertgen.testing.TestDevices;
import dev.bertgen.training.CompileOptions;
import dev.bertgen.training.FitOptions;
import dev.bertgen.training.History;
import dev.bertgen.training.Optimizers;
import dev.bertgen.training.TrainingListener;
import dev.bertgen.training.Verbosity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training a small model on OpenCL while the garbage collector works hard: between steps the test
 * allocates, calls {@code System.gc()} and saves a checkpoint (which downloads the weights and
 * Adam's moments). Before BertGen kept every array shared with OpenCL in place, this crashed the
 * JVM or silently changed the weights (a download after a move left OpenCL writing freed heap).
 */
class GcChurnTrainingTest {

  private static final int EPOCHS = 6;

  @TempDir
  Path dir;

  @Test
  void sameSeedSameWeightsUnderGcChurnAndCheckpointsAndCloseToJavaThreads() throws Exception {
    ComputeDevice cpu = TestDevices.openClCpu();
    assumeTrue(cpu != null, "no OpenCL CPU device (PoCL) here");
    Map<String, float[]> quiet = train(cpu, false, "quiet");
    Map<String, float[]> churned = train(cpu, true, "churn-1");
    Map<String, float[]> again = train(cpu, true, "churn-2");
    for (Map.Entry<String, float[]> e : quiet.entrySet()) {
      assertWithMessage("%s with churn", e.getKey()).that(churned.get(e.getKey())).isEqualTo(e.getValue());
      assertWithMessage("%s, second run", e.getKey()).that(again.get(e.getKey())).isEqualTo(e.getValue());
    }
    // Java threads compute in another order (and Math in double): close, not equal
    // (measured: about 3e-7 per variable). The key bias is left out: softmax ignores it, so its
    // gradient is zero up to rounding, and Adam turns that rounding noise into full-size steps.
    Map<String, float[]> java = train(ComputeDevice.javaThreads(), true, "java");
    for (Map.Entry<String, float[]> e : quiet.entrySet()) {
      if (!e.getKey().endsWith("key/bias")) {
        assertWithMessage("%s on Java threads against OpenCL", e.getKey())
            .that(relativeError(java.get(e.getKey()), e.getValue())).isLessThan(TOLERANCE);
      }
    }
  }

  /** Normwise relative error allowed per variable between devices (TrainStepFixtureTest's, per step). */
  static final double TOLERANCE = 1e-4;

  private Map<String, float[]> train(ComputeDevice device, boolean churn, String name) throws Exception {
    BertMaskedLM mlm = TinyTextModels.model(11);
    mlm.backbone().setDevice(device);
    mlm.compile(new CompileOptions(Optimizers.adam(3e-3)));
    List<long[]> canaries = new ArrayList<>();
    FitOptions.Builder options = FitOptions.builder().verbosity(Verbosity.SILENT).batchSize(4).epochs(EPOCHS)
        .seed(21);
    if (churn) {
      options.listener(new TrainingListener() {
        @Override
        public void onBatchEnd(int epoch, int step, Map<String, Double> logs) {
          // the heap that survived the last step: anything OpenCL wrote into it is corruption
          requireIntact(canaries);
          canaries.clear();
          System.gc(); // moves whatever G1 may move
          if (step % 3 == 2) {
            mlm.saveToPreset(dir.resolve(name + "-" + epoch + "-" + step)); // downloads the weights
            mlm.optimizerState(); // and Adam's moments
          }
          // fill the heap the collection freed with known values, for the next step to check
          for (int i = 0; i < 2048; i++) {
            long[] c = new long[(i % 61 + 1) * 16];
            java.util.Arrays.fill(c, CANARY);
            canaries.add(c);
          }
        }
      });
    }
    History h = mlm.fit(TinyTextModels.corpus(4), options.build());
    assertThat(mlm.backbone().device()).isEqualTo(device); // Launcher refuses any silent fallback, too
    assertThat(h.steps()).isEqualTo(EPOCHS * 4L);
    assertThat(h.get("loss").get(EPOCHS - 1)).isLessThan(h.get("loss").get(0));
    if (churn) {
      assertThat(Files.list(dir).filter(p -> p.getFileName().toString().startsWith(name)).count()).isGreaterThan(0);
    }
    Map<String, float[]> weights = mlm.getWeights();
    return weights;
  }

  private static final long CANARY = 0x5AFE_C0DE_5AFE_C0DEL;

  private static void requireIntact(List<long[]> canaries) {
    for (long[] c : canaries) {
      for (long v : c) {
        if (v != CANARY) {
          throw new AssertionError("an array the program filled with 0x5AFEC0DE... now holds " + Long.toHexString(v)
              + ": something outside Java wrote into the heap");
        }
      }
    }
  }

  static double relativeError(float[] actual, float[] expected) {
    double diff = 0;
    double norm = 0;
    for (int i = 0; i < expected.length; i++) {
      diff += (actual[i] - (double) expected[i]) * (actual[i] - (double) expected[i]);
      norm += (double) expected[i] * expected[i];
    }
    return Math.sqrt(diff / Math.max(norm, 1e-30));
  }
}
