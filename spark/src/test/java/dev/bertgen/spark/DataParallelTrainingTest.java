package dev.bertgen.spark;

import static com.google.common.truth.Truth.assertThat;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.bertgen.compute.DeviceKind;
import dev.bertgen.compute.Devices;
import dev.bertgen.examples.app.BertGenApp.UserException;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataParallelTrainingTest {
  private static JavaSparkContext sc;

  @TempDir
  static Path shared;

  @BeforeAll
  static void startSpark() {
    sc = LocalSpark.start("bertgen-test");
  }

  @AfterAll
  static void stopSpark() {
    if (sc != null) {
      sc.stop();
    }
  }

  private static DataParallelOptions options(Path data, Path preset, Path output, int workers, int batch, int epochs,
      int checkpointEvery, long failAt) {
    return new DataParallelOptions(data.toString(), preset.toString(), false, output.toString(), workers, batch,
        epochs, 0, null, null, 1e-3, 7, false, checkpointEvery, System.getProperty("bertgen.spark.testDevice", "java"), 60_000, failAt, TaskKind.MASKED_LM, null, false, null);
  }

  private static DataParallelResult run(DataParallelOptions o, StringBuilder log) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataParallelResult r = DataParallelTraining.run(sc, o, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    log.append(bytes.toString(StandardCharsets.UTF_8));
    return r;
  }

  @Test
  void twoWorkersWithBatchBMatchOneWorkerWithBatch2B(@TempDir Path dir) throws Exception {
    Path preset = TinyPreset.write(dir.resolve("tiny"), 0.0, 3);
    Path data = TinyPreset.corpus(dir.resolve("corpus.txt"), 48);
    StringBuilder log = new StringBuilder();
    DataParallelResult two = run(options(data, preset, dir.resolve("two"), 2, 4, 2, 100, -1), log);
    DataParallelResult one = run(options(data, preset, dir.resolve("one"), 1, 8, 2, 100, -1), log);
    System.out.println(log);
    assertThat(two.iterations()).isEqualTo(12); // 24 lines per worker / 4 = 6 steps, 2 epochs
    assertThat(one.iterations()).isEqualTo(12);
    Map<String, float[]> start = TinyPreset.weights(preset);
    Map<String, float[]> a = TinyPreset.weights(dir.resolve("two/preset"));
    Map<String, float[]> b = TinyPreset.weights(dir.resolve("one/preset"));
    double moved = TinyPreset.maxDifference(start, a);
    double apart = TinyPreset.maxDifference(a, b);
    System.out.printf("moved %.3g, apart %.3g%n", moved, apart);
    assertThat(moved).isGreaterThan(5e-3);
    // the same examples and masks; only the order of the floating-point sums differs
    assertThat(apart).isLessThan(1e-5);
    for (WorkerReport r : two.reports()) {
      assertThat(InetAddress.getByName(r.ringAddress().substring(0, r.ringAddress().lastIndexOf(':')))
          .isLoopbackAddress()).isTrue();
    }
  }

  @Test
  void twoWorkersOnOneOpenClCpuMatchOneWorker(@TempDir Path dir) throws Exception {
    // two models training at once in one JVM on the same OpenCL device (PoCL), as local[N] runs them
    boolean pocl = Devices.openCl().stream().anyMatch(d -> d.kind() == DeviceKind.CPU);
    Assumptions.assumeTrue(pocl, "needs an OpenCL CPU device (PoCL)");
    Path preset = TinyPreset.write(dir.resolve("tiny"), 0.0, 3);
    Path data = TinyPreset.corpus(dir.resolve("corpus.txt"), 32);
    StringBuilder log = new StringBuilder();
    DataParallelOptions two = options(data, preset, dir.resolve("two"), 2, 4, 1, 100, -1);
    DataParallelOptions one = options(data, preset, dir.resolve("one"), 1, 8, 1, 100, -1);
    DataParallelResult a = run(withDevice(two, "cpu"), log);
    run(withDevice(one, "cpu"), log);
    for (WorkerReport r : a.reports()) {
      assertThat(r.device()).startsWith("cpu: ");
    }
    assertThat(TinyPreset.maxDifference(TinyPreset.weights(dir.resolve("two/preset")),
        TinyPreset.weights(dir.resolve("one/preset")))).isLessThan(1e-5);
  }

  private static DataParallelOptions withDevice(DataParallelOptions o, String device) {
    return new DataParallelOptions(o.data(), o.preset(), o.fromScratch(), o.output(), o.workers(), o.batchSize(),
        o.epochs(), o.stepsPerEpoch(), o.sequenceLength(), o.maskSlots(), o.learningRate(), o.seed(), o.shuffle(),
        o.checkpointEvery(), device, o.allReduceTimeoutMillis(), o.failAtUpdate(), o.task(), o.numClasses(),
        o.freezeBackbone(), o.dropout());
  }

  @Test
  void aWorkerThatFailsMidEpochRestartsTheStageFromTheLastCheckpoint(@TempDir Path dir) throws Exception {
    Path preset = TinyPreset.write(dir.resolve("tiny"), 0.0, 5);
    Path data = TinyPreset.corpus(dir.resolve("corpus.txt"), 48);
    StringBuilder log = new StringBuilder();
    // 24 lines per worker, batch 3: 8 steps per epoch, 16 updates; checkpoints at 3, 6, 9, ...; worker 1 fails at 7
    DataParallelResult faulty = run(options(data, preset, dir.resolve("faulty"), 2, 3, 2, 3, 7), log);
    DataParallelResult clean = run(options(data, preset, dir.resolve("clean"), 2, 3, 2, 3, -1), log);
    System.out.println(log);
    assertThat(faulty.iterations()).isEqualTo(16);
    WorkerReport last = faulty.reports().get(0);
    assertThat(last.stageAttempt()).isEqualTo(1);
    assertThat(last.resumedAt()).isEqualTo(6);
    assertThat(last.updates()).isEqualTo(10);
    assertThat(log.toString()).contains("the training stage ran 2 times: the last attempt resumed from update 6");
    SparkRunState state = DataParallelTraining.saved(dir.resolve("faulty"));
    assertThat(state.finished()).isTrue();
    assertThat(state.iterations()).isEqualTo(16);
    // the resumed run saw the batches, masks and optimizer state of the uninterrupted one
    assertThat(TinyPreset.maxDifference(TinyPreset.weights(dir.resolve("faulty/preset")),
        TinyPreset.weights(dir.resolve("clean/preset")))).isEqualTo(0.0);
  }

  @Test
  void runningAgainWithMoreEpochsContinuesAFinishedRun(@TempDir Path dir) throws Exception {
    Path preset = TinyPreset.write(dir.resolve("tiny"), 0.0, 9);
    Path data = TinyPreset.corpus(dir.resolve("corpus.txt"), 32);
    StringBuilder log = new StringBuilder();
    Path output = dir.resolve("run");
    assertThat(run(options(data, preset, output, 2, 4, 1, 100, -1), log).iterations()).isEqualTo(4);
    DataParallelResult again = run(options(data, preset, output, 2, 4, 1, 100, -1), log);
    assertThat(again.reports()).isEmpty();
    assertThat(log.toString()).contains("is complete (1 epochs, 4 updates)");
    DataParallelResult more = run(options(data, preset, output, 2, 4, 2, 100, -1), log);
    assertThat(more.iterations()).isEqualTo(8);
    assertThat(more.reports().get(0).resumedAt()).isEqualTo(4);
    run(options(data, preset, dir.resolve("straight"), 2, 4, 2, 100, -1), log);
    assertThat(TinyPreset.maxDifference(TinyPreset.weights(output.resolve("preset")),
        TinyPreset.weights(dir.resolve("straight/preset")))).isEqualTo(0.0);

    DataParallelOptions capped = options(data, preset, output, 2, 4, 3, 100, -1);
    UserException steps = assertThrows(UserException.class, () -> run(new DataParallelOptions(capped.data(),
        capped.preset(), false, capped.output(), 2, 4, 3, 2, null, null, 1e-3, 7, false, 100, "java", 60_000, -1,
        TaskKind.MASKED_LM, null, false, null), log));
    assertThat(steps).hasMessageThat().contains("holds a run of 4 steps per epoch; these settings give 2");
    UserException other = assertThrows(UserException.class,
        () -> run(options(data, preset, output, 1, 4, 3, 100, -1), log));
    assertThat(other).hasMessageThat().contains("holds a run started with --workers 2");
  }

  @Test
  void badDataOrPresetFailsOnTheDriverNamingTheFix(@TempDir Path dir) throws Exception {
    Path preset = TinyPreset.write(dir.resolve("tiny"), 0.0, 1);
    Path data = TinyPreset.corpus(dir.resolve("corpus.txt"), 10);
    UserException e = assertThrows(UserException.class,
        () -> run(options(data, preset, dir.resolve("out"), 2, 8, 1, 100, -1), new StringBuilder()));
    assertThat(e).hasMessageThat().contains("fewer than one batch of 8");
    UserException missing = assertThrows(UserException.class, () -> run(options(dir.resolve("nothing.txt"), preset,
        dir.resolve("out2"), 2, 8, 1, 100, -1), new StringBuilder()));
    assertThat(missing).hasMessageThat().contains("cannot be read");
    UserException noVocabulary = assertThrows(UserException.class, () -> run(options(data, dir.resolve("absent"),
        dir.resolve("out3"), 2, 8, 1, 100, -1), new StringBuilder()));
    assertThat(noVocabulary).hasMessageThat().contains("--preset " + dir.resolve("absent"));
  }
}
