package dev.bertgen.examples.app;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every command of the app end to end, on tiny settings, and its one-line errors with exit code 2. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BertGenAppTest {

  private Path dir;

  private Path demo;
  private Result demoRun;
  private Path data;

  /** What a command printed and returned. */
  record Result(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- out\n" + out + "\n--- err\n" + err;
    }
  }

  static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = BertGenApp.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @BeforeAll
  void runTheDemoBriefly(@TempDir Path tempDir) throws Exception {
    dir = tempDir;
    demo = dir.resolve("demo");
    demoRun = run("demo", "--max-steps", "4", "--batch-size", "8", "--sequence-length", "32", "--pack",
        "--held-out", "24", "--eval-every", "2", "--output", demo.toString());
    data = dir.resolve("glosses.txt");
    Files.write(data, EmbeddedCorpus.lines().subList(0, 40), StandardCharsets.UTF_8);
  }

  @Test
  void demoTrainsWritesAPresetAndACurveAndFillsMasks() throws Exception {
    assertWithMessage("%s", demoRun).that(demoRun.exitCode()).isEqualTo(0);
    assertThat(demoRun.out()).contains("trained 4 steps");
    assertThat(demoRun.out()).containsMatch("165,882 for training, packed into \\d{2},\\d{3} examples");
    assertThat(demoRun.out()).contains("dropout off");
    assertThat(demoRun.out()).containsMatch("held-out masked-LM loss before training: 10\\.\\d+");
    assertThat(demoRun.out()).containsMatch("held-out text: \\d+\\.\\d+ before, \\d+\\.\\d+ after");
    assertThat(demoRun.out()).contains("a [MASK] of the genus canis");
    assertThat(Files.isRegularFile(demo.resolve("preset/config.json"))).isTrue();
    assertThat(Files.isRegularFile(demo.resolve("preset/model.weights.h5"))).isTrue();
    BufferedImage png = ImageIO.read(demo.resolve("loss-curve.png").toFile());
    assertThat(png.getWidth()).isEqualTo(960);
    assertThat(png.getHeight()).isEqualTo(560);
    // five candidates with probabilities for each of the five sentences
    long candidateLines = demoRun.out().lines().filter(l -> l.matches("\\s{4}\\S.*\\d\\.\\d{3}.*")).count();
    assertThat(candidateLines).isEqualTo(DemoCommand.SENTENCES.size());
  }

  @Test
  void fillMaskFromArgumentsAndFromStandardInput() {
    Result r = run("fill-mask", "--preset", demo.resolve("preset").toString(), "--top-k", "3",
        "a [MASK] of the genus canis", "the [MASK] of a [MASK]");
    assertWithMessage("%s", r).that(r.exitCode()).isEqualTo(0);
    List<String> lines = r.out().lines().toList();
    assertThat(lines).hasSize(2 + 3);
    assertThat(lines.get(1)).matches("  \\[MASK\\] 1: (\\S+ 0\\.\\d{3}\\s*){3}");
    assertThat(lines.get(4)).startsWith("  [MASK] 2: ");

    InputStream stdin = System.in;
    try {
      System.setIn(new ByteArrayInputStream("a [MASK] dog\n\nthe [MASK] tree\n".getBytes(StandardCharsets.UTF_8)));
      Result piped = run("fill-mask", "--preset", demo.resolve("preset").toString());
      assertWithMessage("%s", piped).that(piped.exitCode()).isEqualTo(0);
      assertThat(piped.out().lines().filter(l -> l.startsWith("  [MASK] 1: ")).count()).isEqualTo(2);
    } finally {
      System.setIn(stdin);
    }
  }

  @Test
  void evaluateReportsLossAccuracyAndPerplexity() {
    Result r = run("evaluate", "--preset", demo.resolve("preset").toString(), "--data", data.toString(),
        "--sequence-length", "32", "--batch-size", "16");
    assertWithMessage("%s", r).that(r.exitCode()).isEqualTo(0);
    assertThat(r.out()).contains("40 lines, 32 tokens per sequence");
    assertThat(r.out()).containsMatch("masked_token_loss \\d+\\.\\d{4}  perplexity \\d+");
  }

  @Test
  void trainSavesACheckpointAndThePresetAndRefusesAChangedRun() {
    Path out = dir.resolve("train");
    Result r = run("train", "--from-scratch", "--data", data.toString(), "--batch-size", "16", "--sequence-length",
        "16", "--epochs", "2", "--checkpoint-every", "2", "--output", out.toString());
    assertWithMessage("%s", r).that(r.exitCode()).isEqualTo(0);
    assertThat(r.out()).contains("epoch 2/2: loss");
    assertThat(r.out()).contains("done: 6 steps");
    Checkpoint.State s = Checkpoint.readState(out.resolve("checkpoint"));
    assertThat(s.iterations()).isEqualTo(6);
    assertThat(s.finished()).isTrue();
    assertThat(Files.isRegularFile(out.resolve("preset/model.weights.h5"))).isTrue();
    assertThat(Files.exists(out.resolve("checkpoint.partial"))).isFalse();
    assertThat(Files.exists(out.resolve("checkpoint.old"))).isFalse();

    Result again = run("train", "--from-scratch", "--data", data.toString(), "--batch-size", "16",
        "--sequence-length", "16", "--epochs", "2", "--output", out.toString());
    assertThat(again.exitCode()).isEqualTo(0);
    assertThat(again.out()).contains("is complete");

    Result changed = run("train", "--from-scratch", "--data", data.toString(), "--batch-size", "8", "--epochs", "3",
        "--output", out.toString());
    assertThat(changed.exitCode()).isEqualTo(2);
    assertThat(changed.err()).contains("started with --batch-size 16");
  }

  @Test
  void presetsAndDevices() {
    Result presets = run("presets");
    assertWithMessage("%s", presets).that(presets.exitCode()).isEqualTo(0);
    assertThat(presets.out()).containsMatch("bert_tiny_en_uncased\\s+4,385,920\\s+MaskedLM\\s+(yes|no)");
    assertThat(presets.out().lines().filter(l -> l.startsWith("bert_")).count()).isEqualTo(10);
    Result devices = run("devices");
    assertWithMessage("%s", devices).that(devices.exitCode()).isEqualTo(0);
    assertThat(devices.out()).containsMatch("(?m)^[ *] java  Java threads \\(\\d+ cores\\)");
    assertThat(devices.out()).contains("BertGen uses: ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"help", "demo", "train", "fill-mask", "evaluate", "presets", "devices"})
  void everyCommandHasHelpWithoutPicocliWarnings(String command) {
    // picocli warns on System.err about a description it cannot format (a lone %)
    PrintStream systemErr = System.err;
    ByteArrayOutputStream warnings = new ByteArrayOutputStream();
    Result r;
    Result viaHelp;
    try {
      System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
      r = command.equals("help") ? run("--help") : run(command, "--help");
      viaHelp = command.equals("help") ? r : run("help", command);
    } finally {
      System.setErr(systemErr);
    }
    assertThat(r.exitCode()).isEqualTo(0);
    assertThat(r.out()).startsWith("Usage: bertgen");
    assertThat(viaHelp.out()).isEqualTo(r.out());
    assertThat(warnings.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(r.err()).isEmpty();
  }

  @Test
  void demoMarksItsOutputAndTrainRefusesIt() throws Exception {
    assertThat(Files.readString(demo.resolve(".bertgen"))).contains("bertgen demo output");
    assertThat(Files.readString(demo.resolve("preset/.bertgen"))).contains("bertgen preset");
    Result r = run("train", "--from-scratch", "--data", data.toString(), "--output", demo.toString());
    assertOneLineError(r, "bertgen demo");
    assertThat(r.err()).contains("choose another --output");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void fillMaskAnswersEachLineOfStandardInputAsItArrives() throws Exception {
    PipedOutputStream feed = new PipedOutputStream();
    PipedInputStream stdin = new PipedInputStream(feed, 1 << 16);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int[] exit = {-1};
    InputStream systemIn = System.in;
    System.setIn(stdin);
    Thread command = new Thread(() -> exit[0] = BertGenApp.run(new String[] {"fill-mask", "--preset",
        demo.resolve("preset").toString(), "--top-k", "2"}, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8)), "fill-mask");
    try {
      command.start();
      feed.write("a [MASK] of the genus canis\n".getBytes(StandardCharsets.UTF_8));
      feed.flush();
      // the answer to the first line comes while standard input is still open
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!out.toString(StandardCharsets.UTF_8).contains("[MASK] 1: ") && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertWithMessage("no answer before the end of input; out: %s, err: %s", out, err)
          .that(out.toString(StandardCharsets.UTF_8)).contains("[MASK] 1: ");
      assertThat(command.isAlive()).isTrue();
      feed.write("\nthe [MASK] of a plant\nno mask here\n".getBytes(StandardCharsets.UTF_8));
    } finally {
      feed.close();
      command.join(TimeUnit.SECONDS.toMillis(60));
      System.setIn(systemIn);
    }
    List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0)).isEqualTo("a [MASK] of the genus canis");
    assertThat(lines.get(2)).isEqualTo("the [MASK] of a plant");
    assertThat(lines.get(3)).matches("  \\[MASK\\] 1: (\\S+ 0\\.\\d{3}\\s*){2}");
    // a line without [MASK] is refused in one line (exit code 2) and the others are still answered
    assertThat(exit[0]).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8).strip()).isEqualTo(
        "bertgen fill-mask: line 4 (\"no mask here\") has no [MASK] token; write [MASK] where a word is missing");
  }

  @Test
  void badArgumentsGiveOneLineAndExitCode2() {
    String preset = demo.resolve("preset").toString();
    assertOneLineError(run("evaluate", "--preset", preset, "--data", dir.resolve("missing.txt").toString()),
        "missing.txt: no such file");
    assertOneLineError(run("fill-mask", "--preset", "bert_tiny_en_uncasd", "a [MASK]"), "bert_tiny_en_uncased");
    assertOneLineError(run("train", "--data", data.toString(), "--batch-size", "0"), "--batch-size must be at least 1");
    assertOneLineError(run("fill-mask", "--preset", preset, "no mask here"), "has no [MASK] token");
    assertOneLineError(run("demo", "--minutes", "-1"), "--minutes must be a positive number");
    assertOneLineError(run("demo", "--dropout", "1.5"), "--dropout must be in [0, 1)");
    assertOneLineError(run("train", "--data"), "Missing required parameter");
    assertOneLineError(run("fill-mask", "--preset", preset, "--top-k", "many", "a [MASK]"), "--top-k");
    assertOneLineError(run("evaluate", "--preset", dir.resolve("nowhere").toString(), "--data", data.toString()),
        "no preset directory");
    assertOneLineError(run("frobnicate"), "Unmatched argument");
  }

  private static void assertOneLineError(Result r, String expected) {
    assertWithMessage("%s", r).that(r.exitCode()).isEqualTo(2);
    assertWithMessage("%s", r).that(r.err()).contains(expected);
    assertWithMessage("%s", r).that(r.err().strip().lines().count()).isEqualTo(1);
    assertWithMessage("%s", r).that(r.err()).startsWith("bertgen");
  }
}
