package dev.bertgen.spark;

import static com.google.common.truth.Truth.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code bertgen-spark} command line: a run on local[2], its resume, and one-line errors. */
class SparkTrainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    out.reset();
    err.reset();
    return SparkTrain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void trainsOnLocalWorkersThenKnowsTheRunIsComplete(@TempDir Path dir) throws Exception {
    Path preset = TinyPreset.write(dir.resolve("tiny"), 0.1, 4);
    Path data = TinyPreset.corpus(dir.resolve("corpus.txt"), 40);
    Path output = dir.resolve("out");
    int code = run("--data", data.toString(), "--preset", preset.toString(), "--output", output.toString(),
        "--workers", "2", "--batch-size", "4", "--epochs", "2", "--steps-per-epoch", "4", "--learning-rate", "1e-3",
        "--device", "java", "--checkpoint-every", "3");
    assertThat(err()).isEmpty();
    assertThat(code).isEqualTo(0);
    assertThat(out()).contains("master local[2,4]");
    assertThat(out()).contains("with 2 workers, batch 4 per worker (8 in all), 2 epochs");
    assertThat(out()).contains("done: 8 updates");
    assertThat(DataParallelTraining.saved(output).iterations()).isEqualTo(8);

    // the same command again: nothing to do; fewer settings given: the saved run's are used
    assertThat(run("--data", data.toString(), "--output", output.toString(), "--device", "java")).isEqualTo(0);
    assertThat(out()).contains("is complete (2 epochs, 8 updates)");
    assertThat(run("--data", data.toString(), "--output", output.toString(), "--device", "java", "--epochs", "3"))
        .isEqualTo(0);
    assertThat(out()).contains("resuming from " + output.resolve("checkpoint") + ": epoch 3, step 0 (8 updates done)");
    assertThat(out()).contains("done: 12 updates (4 in this job)");

    assertThat(run("--data", data.toString(), "--output", output.toString(), "--batch-size", "2")).isEqualTo(2);
    assertThat(err()).contains("holds a run started with --batch-size 4; resume it with those");
  }

  @Test
  void badArgumentsGetOneLineAndExitCode2(@TempDir Path dir) throws Exception {
    Path data = TinyPreset.corpus(dir.resolve("corpus.txt"), 4);
    assertThat(run("--output", dir.resolve("o").toString())).isEqualTo(2);
    assertThat(err()).contains("Missing required option: '--data=PATH'");
    assertThat(run("--data", data.toString(), "--output", dir.resolve("o").toString(), "--workers", "0")).isEqualTo(2);
    assertThat(err()).contains("bertgen-spark: --workers must be at least 1, got 0");
    assertThat(run("--data", data.toString(), "--output", dir.resolve("o").toString(), "--batch-size", "-3"))
        .isEqualTo(2);
    assertThat(err()).contains("--batch-size must be at least 1, got -3");
    assertThat(run("--data", data.toString(), "--output", dir.resolve("o").toString(), "--all-reduce-timeout", "0"))
        .isEqualTo(2);
    assertThat(err()).contains("--all-reduce-timeout must be a positive number of seconds");
    assertThat(run("--data", data.toString(), "--output", data.toString(), "--from-scratch")).isEqualTo(2);
    assertThat(err()).contains("is a file");
    java.nio.file.Files.writeString(java.nio.file.Files.createDirectories(dir.resolve("mine")).resolve("notes.txt"),
        "mine");
    assertThat(run("--data", data.toString(), "--output", dir.resolve("mine").toString())).isEqualTo(2);
    assertThat(err()).contains("holds " + dir.resolve("mine/notes.txt") + ", which BertGen did not write (an output "
        + "folder must be new, empty, or an earlier output of bertgen-spark)");
    assertThat(java.nio.file.Files.readString(dir.resolve("mine/notes.txt"))).isEqualTo("mine");
  }
}
