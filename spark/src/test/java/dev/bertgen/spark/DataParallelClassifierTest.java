package dev.bertgen.spark;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.bertgen.examples.app.BertGenApp.UserException;
import dev.bertgen.models.BertTextClassifier;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Data-parallel text classification: the same update as one worker with the whole batch, and bad labels. */
class DataParallelClassifierTest {
  private static JavaSparkContext sc;

  @BeforeAll
  static void startSpark() {
    sc = LocalSpark.start("bertgen-classifier-test");
  }

  @AfterAll
  static void stopSpark() {
    if (sc != null) {
      sc.stop();
    }
  }

  private static DataParallelOptions options(Path data, Path preset, Path output, int workers, int batch, int epochs) {
    return new DataParallelOptions(data.toString(), preset.toString(), false, output.toString(), workers, batch,
        epochs, 0, 12, null, 1e-3, 7, false, 100, System.getProperty("bertgen.spark.testDevice", "java"), 60_000, -1,
        TaskKind.CLASSIFIER, null, false, 0.0);
  }

  private static DataParallelResult run(DataParallelOptions o, StringBuilder log) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      return DataParallelTraining.run(sc, o, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    } finally {
      log.append(bytes.toString(StandardCharsets.UTF_8));
    }
  }

  /**
   * {@code count} sentences labelled by their animal's name, in proportions 5:2:1 (balanced classes would make
   * the head's gradients cancel to rounding noise at the start, which Adam turns into full-size steps of either
   * sign: then no two summation orders agree).
   */
  private static Path labelled(Path file, int count) throws Exception {
    String[] animals = {"cat", "cat", "cat", "cat", "cat", "dog", "dog", "bird"};
    String[] places = {"mat", "park", "tree", "pond"};
    String[] adjectives = {"big", "small", "red", "blue"};
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String a = animals[(i * 3) % 8];
      lines.add(a + "\tthe " + adjectives[(i / 4) % 4] + " " + a + " was in the " + places[(i / 2) % 4]);
    }
    Files.write(file, lines);
    return file;
  }

  private static Map<String, float[]> weights(Path preset) {
    try (BertTextClassifier c = BertTextClassifier.fromPreset(preset.toString())) {
      return c.getWeights();
    }
  }

  private static Map<String, float[]> startWeights(Path preset) {
    return weights(preset);
  }

  @Test
  void twoWorkersWithBatchBMatchOneWorkerWithBatch2B(@TempDir Path dir) throws Exception {
    // a classifier preset whose head has no dropout (keras-hub's default 0.1 draws other masks on other workers)
    Path preset = TinyPreset.writeClassifier(dir.resolve("tiny"), List.of("bird", "cat", "dog"), 0.0, 3);
    Path data = labelled(dir.resolve("labelled.tsv"), 48);
    StringBuilder log = new StringBuilder();
    DataParallelResult two = run(options(data, preset, dir.resolve("two"), 2, 4, 2), log);
    DataParallelResult one = run(options(data, preset, dir.resolve("one"), 1, 8, 2), log);
    System.out.println(log);
    assertThat(log.toString()).contains("a 3-class classifier [bird, cat, dog] (the preset's head) on ");
    assertThat(two.iterations()).isEqualTo(12);
    assertThat(one.iterations()).isEqualTo(12);
    Map<String, float[]> a = weights(dir.resolve("two/preset"));
    Map<String, float[]> b = weights(dir.resolve("one/preset"));
    double apart = TinyPreset.maxDifference(a, b);
    double moved = TinyPreset.maxDifference(weights(dir.resolve("two/preset")), startWeights(preset));
    System.out.printf("classifier: moved %.3g, apart %.3g%n", moved, apart);
    assertThat(apart).isLessThan(1e-5);
    assertThat(moved).isGreaterThan(5e-3);
    try (BertTextClassifier c = BertTextClassifier.fromPreset(dir.resolve("two/preset").toString())) {
      assertThat(c.classifierConfig().classNames()).containsExactly("bird", "cat", "dog").inOrder();
    }
    SparkRunState state = DataParallelTraining.saved(dir.resolve("two"));
    assertThat(state.taskKind()).isEqualTo(TaskKind.CLASSIFIER);
    assertThat(state.numClasses()).isEqualTo(3);
    assertThat(state.dropout()).isEqualTo(0.0);
  }

  @Test
  void aFreshHeadOverAMaskedLmLearnsTheClassesOfTheData(@TempDir Path dir) throws Exception {
    Path preset = TinyPreset.write(dir.resolve("tiny"), 0.0, 3);
    Path data = labelled(dir.resolve("labelled.tsv"), 48);
    StringBuilder log = new StringBuilder();
    DataParallelResult r = run(options(data, preset, dir.resolve("fresh"), 2, 4, 6), log);
    System.out.println(log);
    assertThat(log.toString()).contains("a 3-class classifier [bird, cat, dog] (a fresh head) on ");
    assertThat(r.iterations()).isEqualTo(36);
    try (BertTextClassifier c = BertTextClassifier.fromPreset(dir.resolve("fresh/preset").toString())) {
      assertThat(c.numClasses()).isEqualTo(3);
      assertThat(c.classifierConfig().classNames()).containsExactly("bird", "cat", "dog").inOrder();
    }
    Path other = dir.resolve("other.tsv");
    Files.write(other, List.of("cat\tthe cat", "horse\tthe dog", "cat\tthe bird", "dog\tthe fish"));
    UserException e = assertThrows(UserException.class, () -> run(options(other, dir.resolve("fresh/preset"),
        dir.resolve("again"), 2, 1, 1), new StringBuilder()));
    assertThat(e).hasMessageThat().contains("label \"horse\" is not a class of the classifier");
  }

  @Test
  void badLabelFilesAreNamedBeforeAnyTaskStarts(@TempDir Path dir) throws Exception {
    Path preset = TinyPreset.write(dir.resolve("tiny"), 0.0, 3);
    Path noTab = dir.resolve("no-tab.tsv");
    Files.write(noTab, List.of("cat\tthe cat", "dog\tthe dog", "", "the bird sang", "fish\tthe fish"));
    UserException e = assertThrows(UserException.class,
        () -> run(options(noTab, preset, dir.resolve("a"), 2, 1, 1), new StringBuilder()));
    assertThat(e).hasMessageThat().contains("example 3 (non-blank line 3) has no tab");
    Path mixed = dir.resolve("mixed.tsv");
    Files.write(mixed, List.of("0\tthe cat", "dog\tthe dog", "1\tthe bird", "fish\tthe fish"));
    e = assertThrows(UserException.class, () -> run(options(mixed, preset, dir.resolve("b"), 2, 1, 1),
        new StringBuilder()));
    assertThat(e).hasMessageThat().contains("has class ids (0) and class names (\"dog\")");
    Path shapes = dir.resolve("shapes.tsv");
    Files.write(shapes, List.of("cat\tthe cat", "dog\tthe dog\tran", "cat\tthe bird", "dog\tthe fish"));
    e = assertThrows(UserException.class, () -> run(options(shapes, preset, dir.resolve("c"), 2, 1, 1),
        new StringBuilder()));
    assertThat(e).hasMessageThat().contains("mixes single texts (example 1) and pairs (example 2)");
  }
}
