package dev.bertgen.examples.app;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.bertgen.examples.app.BertGenApp.UserException;
import dev.bertgen.examples.presets.TinyBertMaskedLM;
import dev.bertgen.models.BertTextClassifier;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train-classifier} and {@code classify} end to end on small settings, their resume, and the
 * labelled data: the embedded WordNet set and one-line errors naming the bad line.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClassifierCommandsTest {
  private Path dir;
  private Path data;
  private Path out;
  private String[] args;
  private BertGenAppTest.Result stopped;
  private BertGenAppTest.Result resumed;

  /** A 2-class classifier trained from scratch on 24 lines, stopped after one update and resumed. */
  @BeforeAll
  void trainAStoppedAndResumedClassifier(@TempDir Path tempDir) throws Exception {
    dir = tempDir;
    data = dir.resolve("pets.tsv");
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      lines.add("dog\ta dog barks at the postman " + i);
      lines.add("cat\ta cat sleeps in the sun " + i);
    }
    Files.write(data, lines, StandardCharsets.UTF_8);
    out = dir.resolve("run");
    args = new String[] {"train-classifier", "--preset", "bert_tiny_en_uncased", "--from-scratch", "--data",
        data.toString(), "--validation-split", "0.25", "--epochs", "3", "--batch-size", "6", "--sequence-length", "16",
        "--learning-rate", "1e-3", "--checkpoint-every", "2", "--output", out.toString()};
    // stopped early (the time limit stands in for Ctrl-C): a checkpoint, then the same command resumes
    stopped = BertGenAppTest.run(with(args, "--minutes", "0.00001"));
    resumed = BertGenAppTest.run(args);
  }

  private static String[] with(String[] args, String... more) {
    String[] all = Arrays.copyOf(args, args.length + more.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    return all;
  }

  @Test
  void embeddedSetHasSixBalancedClassesAndDisjointParts() {
    LabelledData train = LabelledData.embeddedTrain();
    LabelledData heldOut = LabelledData.embeddedHeldOut(train);
    assertThat(train.size()).isEqualTo(6000);
    assertThat(heldOut.size()).isEqualTo(600);
    assertThat(train.pairs()).isFalse();
    assertThat(train.classNames()).containsExactly("noun.animal", "noun.artifact", "noun.food", "noun.location",
        "noun.person", "noun.plant").inOrder();
    int[] trainCounts = new int[6];
    for (int l : train.labels()) {
      trainCounts[l]++;
    }
    assertThat(trainCounts).asList().containsExactly(1000, 1000, 1000, 1000, 1000, 1000);
    int[] counts = new int[6];
    for (int l : heldOut.labels()) {
      counts[l]++;
    }
    assertThat(counts).asList().containsExactly(100, 100, 100, 100, 100, 100);
    Set<String> texts = new HashSet<>(train.first());
    assertThat(texts).hasSize(6000);
    for (String t : heldOut.first()) {
      assertWithMessage("held-out text also in training: %s", t).that(texts.contains(t)).isFalse();
    }
  }

  @Test
  void badLabelFilesGetOneLineNamingTheLine() {
    assertThat(error(List.of("0\ta cat", "1 a dog"), null)).isEqualTo("f.tsv:2 has no tab; write one example per "
        + "line as label<TAB>text (or label<TAB>first<TAB>second for a pair)");
    assertThat(error(List.of("0\ta cat", "5\ta dog"), 3)).isEqualTo("f.tsv:2: label 5 is outside 0..2 (3 classes); "
        + "fix the label or pass --num-classes 6");
    assertThat(error(List.of(), null)).isEqualTo("f.tsv has no examples; write one per line as label<TAB>text");
    assertThat(error(List.of("", "  "), null)).isEqualTo("f.tsv has no examples; write one per line as label<TAB>text");
    assertThat(error(List.of("0\ta", "1\t  "), null)).isEqualTo("f.tsv:2: the text is empty; give a text after each "
        + "tab");
    assertThat(error(List.of("0\ta\t"), null)).startsWith("f.tsv:1: the second text is empty");
    assertThat(error(List.of("0\ta\tb\tc"), null)).startsWith("f.tsv:1 has 3 tabs");
    assertThat(error(List.of("0\ta\tb", "1\tc"), null)).startsWith("f.tsv:2 has 2 fields but the lines before it "
        + "have 3");
    assertThat(error(List.of("cat\ta", "dog\tb", "bird\tc"), 2)).isEqualTo("f.tsv has 3 class names [bird, cat, dog] "
        + "but --num-classes is 2; drop --num-classes (names give the classes) or fix the labels");
    assertThat(error(List.of("0\ta", "\tb"), null)).startsWith("f.tsv:2 has an empty label");
    assertThat(error(List.of("0\ta", "1\tb", "cat\tc"), null)).isEqualTo("f.tsv:3: label \"cat\" is a name but the "
        + "labels before it are class ids (line 1: 0); use ids 0..N-1 or names throughout");
    assertThat(error(List.of("", "cat\ta", "1\tb"), null)).isEqualTo("f.tsv:3: label 1 is a class id but the labels "
        + "before it are names (line 2: \"cat\"); use ids 0..N-1 or names throughout");
    // the classes of a classifier: its names, or ids; a count that conflicts names the classifier
    assertThat(assertThrows(UserException.class, () -> LabelledData.parse(List.of("cat\ta", "cow\tb"), "f.tsv", 2,
        List.of("cat", "dog"), "the classifier p")).getMessage()).isEqualTo("f.tsv:2: label \"cow\" is not a class of "
            + "the classifier p [cat, dog]; use one of those names or an id 0..1");
    assertThat(assertThrows(UserException.class, () -> LabelledData.parse(List.of("a\tx", "b\ty", "c\tz"), "f.tsv", 2,
        List.of(), "the classifier p")).getMessage()).isEqualTo("f.tsv has 3 class names [a, b, c] but the classifier "
            + "p has 2 classes; pass --num-classes 3 for a fresh head or fix the labels");
    assertThat(assertThrows(UserException.class, () -> LabelledData.parse(List.of("2\tx"), "f.tsv", 2, List.of(),
        "the classifier p")).getMessage()).isEqualTo("f.tsv:1: label 2 is outside 0..1 (2 classes, as the classifier "
            + "p has); fix the label or pass --num-classes 3");
    LabelledData known = LabelledData.parse(List.of("dog\ta", "0\tb", "1\tc"), "f.tsv", 2, List.of("cat", "dog"),
        "the classifier p");
    assertThat(known.labels()).asList().containsExactly(1, 0, 1).inOrder();
    assertThat(known.classNames()).containsExactly("cat", "dog").inOrder();

    LabelledData names = LabelledData.parse(List.of("dog\ta", "", "cat\tb"), "f.tsv", null, List.of());
    assertThat(names.classNames()).containsExactly("cat", "dog").inOrder();
    assertThat(names.labels()).asList().containsExactly(1, 0).inOrder();
    assertThat(names.numClasses()).isEqualTo(2);
    LabelledData ids = LabelledData.parse(List.of("0\ta", "3\tb"), "f.tsv", null, List.of());
    assertThat(ids.numClasses()).isEqualTo(4);
    assertThat(ids.classNames()).isEmpty();
    LabelledData pairs = LabelledData.parse(List.of("1\ta\tb"), "f.tsv", 2, List.of());
    assertThat(pairs.pairs()).isTrue();
    assertThat(pairs.second()).containsExactly("b");
  }

  private static String error(List<String> lines, Integer classes) {
    return assertThrows(UserException.class, () -> LabelledData.parse(lines, "f.tsv", classes, List.of()))
        .getMessage();
  }

  @Test
  void confusionMatrixAccuracyAndBaseline() {
    ConfusionMatrix m = new ConfusionMatrix(3);
    m.add(0, 0);
    m.add(0, 1);
    m.add(1, 1);
    m.add(2, 2);
    assertThat(m.total()).isEqualTo(4);
    assertThat(m.count(0, 1)).isEqualTo(1);
    assertThat(m.count(1, 0)).isEqualTo(0);
    assertThat(m.accuracy()).isEqualTo(0.75);
    assertThat(ConfusionMatrix.majorityClass(new int[] {2, 2, 1, 0}, 3)).isEqualTo(2);
    assertThat(ConfusionMatrix.majorityClass(new int[] {1, 0}, 3)).isEqualTo(0); // a tie: the lowest id
    assertThat(m.baseline(0)).isEqualTo(0.5);
    assertThat(m.baseline(2)).isEqualTo(0.25);
    assertThat(new ConfusionMatrix(2).accuracy()).isEqualTo(0.0);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    m.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), List.of("noun.animal", "noun.food", "noun.plant"));
    List<String> text = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(text).hasSize(4);
    assertThat(text.get(0)).containsMatch("true \\\\ predicted\\s+animal\\s+food\\s+plant");
    assertThat(text.get(1)).containsMatch("^noun\\.animal\\s+1\\s+1\\s+0$");
    assertThat(text.get(3)).containsMatch("^noun\\.plant\\s+0\\s+0\\s+1$");
    assertThat(ConfusionMatrix.commonPrefix(List.of("noun.animal", "noun.food"))).isEqualTo("noun.");
    assertThat(ConfusionMatrix.commonPrefix(List.of("cat", "dog"))).isEmpty();
  }

  @Test
  void stopsWithACheckpointResumesAndReports() throws Exception {
    assertWithMessage("%s", stopped).that(stopped.exitCode()).isEqualTo(0);
    assertThat(stopped.out()).contains("stopped at the time limit after 1 updates");
    assertWithMessage("%s", resumed).that(resumed.exitCode()).isEqualTo(0);
    assertThat(resumed.out()).contains("resuming from");
    assertThat(resumed.out()).containsMatch("held-out accuracy: \\d\\.\\d{4} on 6 examples \\(majority-class baseline");
    assertThat(resumed.out()).containsMatch("confusion matrix \\(rows: true class, columns: predicted\\):\\n"
        + "true \\\\ predicted\\s+cat\\s+dog\\ncat\\s+\\d\\s+\\d\\ndog\\s+\\d\\s+\\d");
    assertThat(resumed.out()).contains("done: 9 updates");
    BertTextClassifier c = BertTextClassifier.fromPreset(out.resolve("preset").toString());
    assertThat(c.classifierConfig().classNames()).containsExactly("cat", "dog").inOrder();
    assertThat(BertGenAppTest.run(args).out()).contains("is complete");
  }

  @Test
  void refusesAResumeWithOtherSettings() throws Exception {
    Path other = dir.resolve("other-run");
    BertGenAppTest.Result first = BertGenAppTest.run(with(withOutput(other), "--minutes", "0.00001"));
    assertWithMessage("%s", first).that(first.exitCode()).isEqualTo(0);
    BertGenAppTest.Result r = BertGenAppTest.run(with(withOutput(other), "--num-classes", "3"));
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err().strip()).isEqualTo("bertgen train-classifier: " + other + " holds a run started with "
        + "--num-classes 2; resume it with those, or give a new --output");
  }

  private String[] withOutput(Path output) {
    String[] a = args.clone();
    a[a.length - 1] = output.toString();
    return a;
  }

  @Test
  void classifiesArgumentsInBatches() {
    BertGenAppTest.Result r = BertGenAppTest.run("classify", "--preset", out.resolve("preset").toString(), "--top-k",
        "2", "--batch-size", "2", "a dog barks", "the cat\tsleeps", "a cat");
    assertWithMessage("%s", r).that(r.exitCode()).isEqualTo(0);
    List<String> lines = r.out().lines().toList();
    assertThat(lines).hasSize(6);
    assertThat(lines.get(0)).isEqualTo("a dog barks");
    assertThat(lines.get(1)).matches("  (cat|dog) \\d\\.\\d{3}  (cat|dog) \\d\\.\\d{3}");
    assertThat(lines.get(2)).isEqualTo("the cat sleeps");
    assertThat(lines.get(4)).isEqualTo("a cat");
    BertGenAppTest.Result top1 = BertGenAppTest.run("classify", "--preset", out.resolve("preset").toString(),
        "--top-k", "1", "a dog");
    assertThat(top1.out().lines().toList().get(1)).matches("  (cat|dog) \\d\\.\\d{3}");

    BertGenAppTest.Result badPair = BertGenAppTest.run("classify", "--preset", out.resolve("preset").toString(),
        "a dog", "a\tb\tc");
    assertThat(badPair.exitCode()).isEqualTo(2);
    assertThat(badPair.err().strip()).isEqualTo("bertgen classify: argument 2 (\"a b c\") has 2 tabs; give a text, "
        + "or a sentence pair as first<TAB>second");
    BertGenAppTest.Result notAPreset = BertGenAppTest.run("classify", "--preset", dir.resolve("nothing").toString(),
        "x");
    assertThat(notAPreset.exitCode()).isEqualTo(2);
    assertThat(notAPreset.err().lines().count()).isEqualTo(1);
    assertThat(BertGenAppTest.run("classify", "--preset", "p", "--batch-size", "0", "x").err().strip())
        .isEqualTo("bertgen classify: --batch-size must be at least 1, got 0");
  }

  @Test
  void classifiesStandardInputLineByLine() {
    InputStream stdin = System.in;
    try {
      System.setIn(new ByteArrayInputStream("a dog barks\n\n  \nthe cat\tsleeps\nx\ty\tz\nthe end\t\na cat\n"
          .getBytes(StandardCharsets.UTF_8)));
      BertGenAppTest.Result r = BertGenAppTest.run("classify", "--preset", out.resolve("preset").toString());
      assertThat(r.exitCode()).isEqualTo(2); // two lines refused, the others answered
      List<String> lines = r.out().lines().toList();
      assertWithMessage("%s", r).that(lines).hasSize(6);
      assertThat(lines.get(0)).isEqualTo("a dog barks");
      assertThat(lines.get(1)).matches("  (cat 0\\.\\d{3}  dog|dog 0\\.\\d{3}  cat) 0\\.\\d{3}");
      assertThat(lines.get(2)).isEqualTo("the cat sleeps");
      assertThat(lines.get(4)).isEqualTo("a cat");
      assertThat(r.err().lines().toList()).containsExactly(
          "bertgen classify: line 5 (\"x y z\") has 2 tabs; give a text, or a sentence pair as first<TAB>second",
          "bertgen classify: line 6 (\"the end \") has an empty second text; give a text on each side of the tab "
              + "(or no tab)").inOrder();

      System.setIn(new ByteArrayInputStream("\n\n".getBytes(StandardCharsets.UTF_8)));
      BertGenAppTest.Result none = BertGenAppTest.run("classify", "--preset", out.resolve("preset").toString());
      assertThat(none.exitCode()).isEqualTo(2);
      assertThat(none.err().strip()).isEqualTo("bertgen classify: no text: give texts as arguments or lines on "
          + "standard input");
    } finally {
      System.setIn(stdin);
    }
  }

  @Test
  void keepsAClassifierPresetsHeadAndGivesAMaskedLMAFreshOne() throws Exception {
    // the trained classifier as --preset, labels as ids: its own head and names
    Path ids = dir.resolve("ids.tsv");
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      lines.add("1\ta dog barks " + i);
      lines.add("0\ta cat sleeps " + i);
    }
    Files.write(ids, lines, StandardCharsets.UTF_8);
    BertGenAppTest.Result kept = BertGenAppTest.run("train-classifier", "--preset", out.resolve("preset").toString(),
        "--data", ids.toString(), "--max-steps", "1", "--batch-size", "6", "--sequence-length", "16", "--output",
        dir.resolve("kept").toString());
    assertWithMessage("%s", kept).that(kept.exitCode()).isEqualTo(0);
    assertThat(kept.out()).contains("training a 2-class classifier on " + out.resolve("preset") + " (its own head)");
    assertThat(kept.out()).containsMatch("\\ncat\\s+\\d\\s+\\d\\ndog\\s+\\d\\s+\\d");
    assertThat(BertTextClassifier.fromPreset(dir.resolve("kept/preset").toString()).classifierConfig().classNames())
        .containsExactly("cat", "dog").inOrder();

    // a masked LM as BertGen saves it: a fresh head of the labels' classes
    Path mlm = dir.resolve("mlm");
    TinyBertMaskedLM.create(7).saveToPreset(mlm);
    Path three = dir.resolve("three.tsv");
    Files.write(three, List.of("0\tred", "1\tgreen", "2\tblue", "0\tcrimson", "1\tolive", "2\tnavy", "0\tscarlet",
        "1\tlime", "2\tazure", "2\tcyan"), StandardCharsets.UTF_8);
    BertGenAppTest.Result fresh = BertGenAppTest.run("train-classifier", "--preset", mlm.toString(), "--data",
        three.toString(), "--validation-split", "0.3", "--max-steps", "1", "--batch-size", "7", "--sequence-length",
        "8", "--output", dir.resolve("fresh").toString());
    assertWithMessage("%s", fresh).that(fresh.exitCode()).isEqualTo(0);
    assertThat(fresh.out()).contains("training a 3-class classifier on " + mlm + " (a fresh head)");
    assertThat(fresh.out()).containsMatch("held-out accuracy: \\d\\.\\d{4} on 3 examples");
    assertThat(BertTextClassifier.fromPreset(dir.resolve("fresh/preset").toString()).numClasses()).isEqualTo(3);

    // a classifier's head and labels it does not have
    Path cows = dir.resolve("cows.tsv");
    Files.write(cows, List.of("cat\ta cat", "cow\ta cow"), StandardCharsets.UTF_8);
    BertGenAppTest.Result refused = BertGenAppTest.run("train-classifier", "--preset", out.resolve("preset").toString(),
        "--data", cows.toString(), "--output", dir.resolve("cows").toString());
    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(refused.err().strip()).isEqualTo("bertgen train-classifier: " + cows + ":2: label \"cow\" is not a "
        + "class of the classifier " + out.resolve("preset") + " [cat, dog]; use one of those names or an id 0..1");
  }

  @Test
  void refusesBadLabelFilesWithOneLine() throws Exception {
    Path bad = dir.resolve("bad.tsv");
    Files.write(bad, List.of("dog\ta dog", "cat a cat"), StandardCharsets.UTF_8);
    BertGenAppTest.Result refused = BertGenAppTest.run("train-classifier", "--data", bad.toString(), "--output",
        dir.resolve("bad-run").toString());
    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(refused.err().strip()).isEqualTo("bertgen train-classifier: " + bad + ":2 has no tab; write one example "
        + "per line as label<TAB>text (or label<TAB>first<TAB>second for a pair)");
    Path empty = Files.write(dir.resolve("empty.tsv"), new byte[0]);
    BertGenAppTest.Result none = BertGenAppTest.run("train-classifier", "--data", empty.toString(), "--output",
        dir.resolve("empty-run").toString());
    assertThat(none.exitCode()).isEqualTo(2);
    assertThat(none.err().strip()).isEqualTo("bertgen train-classifier: " + empty + " has no examples; write one per "
        + "line as label<TAB>text");
    assertThat(Files.exists(dir.resolve("bad-run"))).isFalse();
  }

  @Test
  void helpPrintsNoWarnings() {
    for (String command : new String[] {"train-classifier", "classify"}) {
      BertGenAppTest.Result r = BertGenAppTest.run(command, "--help");
      assertWithMessage("%s", r).that(r.exitCode()).isEqualTo(0);
      assertThat(r.err()).isEmpty();
      assertThat(r.out()).contains("--preset");
      assertThat(r.out()).contains("--batch-size");
    }
    BertGenAppTest.Result top = BertGenAppTest.run("--help");
    assertThat(top.out()).contains("train-classifier");
    assertThat(top.out()).contains("classify");
  }
}
