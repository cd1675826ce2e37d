package dev.bertgen.examples.app;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bertgen train} in its own JVM, stopped by a signal (SIGTERM: the same shutdown path as
 * Ctrl-C's SIGINT) while it trains, then run again: it resumes from the checkpoint it wrote on the
 * way out and finishes the run with exactly the planned number of updates.
 */
class TrainResumeTest {

  private static final int LINES = 64;
  private static final int BATCH = 4;
  private static final int EPOCHS = 8;
  private static final int STEPS = EPOCHS * LINES / BATCH;

  @Test
  void aSignalledRunResumesFromItsLastCheckpoint(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("glosses.txt");
    Files.write(data, EmbeddedCorpus.lines().subList(100, 100 + LINES), StandardCharsets.UTF_8);
    Path output = dir.resolve("run");
    List<String> args = List.of("train", "--from-scratch", "--data", data.toString(), "--batch-size",
        Integer.toString(BATCH), "--sequence-length", "16", "--epochs", Integer.toString(EPOCHS),
        "--checkpoint-every", "4", "--output", output.toString());

    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseG1GC", "-XX:G1HeapRegionSize=32m", "-Xmx2g", "-cp", System.getProperty("java.class.path"),
        BertGenApp.class.getName()));
    command.addAll(args);
    Path log = dir.resolve("first-run.log");
    Process first = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Path state = output.resolve(Checkpoint.DIR).resolve(Checkpoint.STATE);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (!Files.exists(state) && first.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertWithMessage("no checkpoint appeared; the run printed:\n%s", Files.readString(log))
        .that(Files.exists(state)).isTrue();
    first.destroy(); // SIGTERM
    assertThat(first.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String firstOutput = Files.readString(log);
    assertWithMessage("%s", firstOutput).that(firstOutput).contains("stopping after the current batch and saving");
    assertWithMessage("%s", firstOutput).that(firstOutput).contains("run the same command again to resume");

    Checkpoint.State stopped = Checkpoint.readState(output.resolve(Checkpoint.DIR));
    assertWithMessage("%s", firstOutput).that(stopped.finished()).isFalse();
    assertThat(stopped.iterations()).isGreaterThan(0L);
    assertThat(stopped.iterations()).isLessThan((long) STEPS);
    assertThat((long) stopped.epoch() * (LINES / BATCH) + stopped.step()).isEqualTo(stopped.iterations());

    List<String> resume = new ArrayList<>(args);
    resume.set(resume.indexOf("--checkpoint-every") + 1, "1000");
    BertGenAppTest.Result second = BertGenAppTest.run(resume.toArray(String[]::new));
    assertWithMessage("%s", second).that(second.exitCode()).isEqualTo(0);
    assertThat(second.out()).contains("resuming from " + output.resolve(Checkpoint.DIR));
    assertThat(second.out()).contains(String.format("(%d updates done)", stopped.iterations()));
    assertThat(second.out()).contains("done: " + (STEPS - stopped.iterations()) + " steps");
    Checkpoint.State done = Checkpoint.readState(output.resolve(Checkpoint.DIR));
    assertThat(done.finished()).isTrue();
    assertThat(done.iterations()).isEqualTo(STEPS);
    assertThat(Files.isRegularFile(output.resolve("preset/model.weights.h5"))).isTrue();
  }
}
