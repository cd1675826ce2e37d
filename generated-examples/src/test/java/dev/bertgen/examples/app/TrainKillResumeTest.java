package dev.bertgen.examples.app;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bertgen.compute.DeviceKind;
import dev.bertgen.compute.Devices;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code bertgen train} on OpenCL (PoCL) killed with SIGKILL while it trains and writes checkpoints,
 * then run again: the resumed run ends with exactly the weights of a run that was never interrupted,
 * for a small model (keras-hub's 0.76 M-parameter reference preset, whose arrays are smaller than a
 * G1 region) and for bert_tiny (4.4 M).
 */
class TrainKillResumeTest {

  private static final int LINES = 48;
  private static final int BATCH = 4;
  private static final int EPOCHS = 3;
  private static final int STEPS = EPOCHS * LINES / BATCH;

  @TempDir
  Path dir;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"small", "bert_tiny"})
  void aKilledRunResumesToTheWeightsOfAnUnbrokenOne(String size) throws Exception {
    assumeTrue(Devices.openCl().stream().anyMatch(d -> d.kind() == DeviceKind.CPU), "no OpenCL CPU device (PoCL)");
    Path data = dir.resolve("glosses.txt");
    Files.write(data, EmbeddedCorpus.lines().subList(500, 500 + LINES), StandardCharsets.UTF_8);
    List<String> model = size.equals("small") ? List.of("--preset", referencePreset().toString(), "--learning-rate",
        "1e-3") : List.of("--from-scratch");

    Path unbroken = dir.resolve("unbroken");
    Process reference = start(args(model, data, unbroken), dir.resolve("unbroken.log"));
    assertThat(reference.waitFor(300, TimeUnit.SECONDS)).isTrue();
    String referenceLog = Files.readString(dir.resolve("unbroken.log"));
    assertWithMessage("%s", referenceLog).that(reference.exitValue()).isEqualTo(0);
    assertThat(referenceLog).contains("on cpu:");

    Path resumed = dir.resolve("resumed");
    Path log = dir.resolve("killed.log");
    Process first = start(args(model, data, resumed), log);
    Path state = resumed.resolve(Checkpoint.DIR).resolve(Checkpoint.STATE);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (!Files.exists(state) && first.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertWithMessage("no checkpoint appeared; the run printed:\n%s", Files.readString(log))
        .that(Files.exists(state)).isTrue();
    Thread.sleep(150); // into the next steps, possibly the next checkpoint
    first.destroyForcibly(); // SIGKILL: no shutdown hook, no last checkpoint
    assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertWithMessage("%s", Files.readString(log)).that(first.exitValue()).isEqualTo(137);

    Path secondLog = dir.resolve("resumed.log");
    Process second = start(args(model, data, resumed), secondLog);
    assertThat(second.waitFor(300, TimeUnit.SECONDS)).isTrue();
    String resumedLog = Files.readString(secondLog);
    assertWithMessage("%s\n--- killed run:\n%s", resumedLog, Files.readString(log)).that(second.exitValue())
        .isEqualTo(0);
    assertThat(resumedLog).contains("resuming from ");
    // the resumed epochs, the interrupted one first, report the metrics of whole epochs as the unbroken
    // run did (the checkpoint keeps the sums behind the running means)
    List<String> resumedEpochs = resumedLog.lines().filter(l -> l.startsWith("epoch ")).toList();
    assertThat(resumedEpochs).isNotEmpty();
    for (String line : resumedEpochs) {
      String epoch = line.substring(0, line.indexOf(':') + 1);
      assertThat(line).isEqualTo(lastLine(referenceLog, epoch));
    }
    Checkpoint.State done = Checkpoint.readState(resumed.resolve(Checkpoint.DIR));
    assertThat(done.finished()).isTrue();
    assertThat(done.iterations()).isEqualTo(STEPS);
    for (String file : List.of("model.weights.h5", "task.weights.h5")) {
      assertWithMessage("%s of the resumed run against the unbroken one", file)
          .that(Files.readAllBytes(resumed.resolve("preset").resolve(file)))
          .isEqualTo(Files.readAllBytes(unbroken.resolve("preset").resolve(file)));
    }
  }

  private static String lastLine(String log, String prefix) {
    return log.lines().filter(l -> l.startsWith(prefix)).reduce((a, b) -> b).orElse("no line starting with " + prefix);
  }

  /**
   * {@code bertgen train} in a JVM of its own with 32 MiB G1 regions, under which this small model's
   * arrays would be small enough for G1 to move (as the app's launcher once ran it).
   */
  private static Process start(List<String> args, Path log) throws java.io.IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseG1GC", "-XX:G1HeapRegionSize=32m", "-Xmx2g", "-cp", System.getProperty("java.class.path"),
        BertGenApp.class.getName()));
    command.addAll(args);
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  private static List<String> args(List<String> model, Path data, Path output) {
    List<String> a = new ArrayList<>(List.of("train", "--device", "cpu"));
    a.addAll(model);
    a.addAll(List.of("--data", data.toString(), "--batch-size", Integer.toString(BATCH), "--sequence-length", "16",
        "--epochs", Integer.toString(EPOCHS), "--seed", "7", "--checkpoint-every", "2", "--output", output.toString()));
    return a;
  }

  /** keras-hub's reference preset in the repository's testdata. */
  static Path referencePreset() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path p = d.resolve("testdata/reference/keras_bert_mlm/preset");
      if (Files.isDirectory(p)) {
        return p;
      }
    }
    throw new AssertionError("testdata/reference/keras_bert_mlm/preset not found above " + Path.of("").toAbsolutePath());
  }
}
