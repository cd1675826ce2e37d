package dev.bertgen.examples.app;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.bertgen.examples.app.BertGenApp.UserException;
import dev.bertgen.models.BertTextClassifier;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train-classifier} and {@code classify} end to end on small settings, their resume, and the
 * labelled data: the embedded WordNet set and one-line errors naming the bad line.
 */
class ClassifierCommandsTest {
  @TempDir Path dir;

  @Test
  void embeddedSetHasSixBalancedClassesAndDisjointParts() {
    LabelledData train = LabelledData.embeddedTrain();
    LabelledData heldOut = LabelledData.embeddedHeldOut(train);
    assertThat(train.size()).isEqualTo(6000);
    assertThat(heldOut.size()).isEqualTo(600);
    assertThat(train.classNames()).containsExactly("noun.animal", "noun.artifact", "noun.food", "noun.location",
        "noun.person", "noun.plant").inOrder();
    int[] counts = new int[6];
    for (int l : heldOut.labels()) {
      counts[l]++;
    }
    assertThat(counts).asList().containsExactly(100, 100, 100, 100, 100, 100);
    Set<String> texts = new HashSet<>(train.first());
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
    assertThat(error(List.of("0\t  "), null)).contains("f.tsv:1: the text is empty");
    assertThat(error(List.of("0\ta\tb", "1\tc"), null)).contains("f.tsv:2 has 2 fields but the lines before it have 3");
    assertThat(error(List.of("cat\ta", "dog\tb", "bird\tc"), 2)).contains("f.tsv has 3 class names [bird, cat, dog] "
        + "but --num-classes is 2");
    assertThat(error(List.of("\ta"), null)).contains("f.tsv:1 has an empty label");
    LabelledData names = LabelledData.parse(List.of("dog\ta", "", "cat\tb"), "f.tsv", null, List.of());
    assertThat(names.classNames()).containsExactly("cat", "dog").inOrder();
    assertThat(names.labels()).asList().containsExactly(1, 0).inOrder();
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
    assertThat(m.accuracy()).isEqualTo(0.75);
    assertThat(ConfusionMatrix.majorityClass(new int[] {2, 2, 1, 0}, 3)).isEqualTo(2);
    assertThat(m.baseline(0)).isEqualTo(0.5);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    m.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), List.of("noun.animal", "noun.food", "noun.plant"));
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertThat(text).contains("animal");
    assertThat(text).containsMatch("noun\\.animal\\s+1\\s+1\\s+0");
    assertThat(ConfusionMatrix.commonPrefix(List.of("noun.animal", "noun.food"))).isEqualTo("noun.");
  }

  @Test
  void trainsResumesClassifiesAndRefusesBadFiles() throws Exception {
    Path data = dir.resolve("pets.tsv");
    List<String> lines = new java.util.ArrayList<>();
    for (int i = 0; i < 12; i++) {
      lines.add("dog\ta dog barks at the postman " + i);
      lines.add("cat\ta cat sleeps in the sun " + i);
    }
    Files.write(data, lines, StandardCharsets.UTF_8);
    Path out = dir.resolve("run");
    String[] args = {"train-classifier", "--preset", "bert_tiny_en_uncased", "--from-scratch", "--data",
        data.toString(), "--validation-split", "0.25", "--epochs", "3", "--batch-size", "6", "--sequence-length", "16",
        "--learning-rate", "1e-3", "--checkpoint-every", "2", "--output", out.toString()};
    // stopped early (the time limit stands in for Ctrl-C): a checkpoint, then the same command resumes
    String[] limited = java.util.Arrays.copyOf(args, args.length + 2);
    limited[args.length] = "--minutes";
    limited[args.length + 1] = "0.00001";
    BertGenAppTest.Result first = BertGenAppTest.run(limited);
    assertWithMessage("%s", first).that(first.exitCode()).isEqualTo(0);
    assertThat(first.out()).contains("stopped at the time limit after 1 updates");
    BertGenAppTest.Result r = BertGenAppTest.run(args);
    assertWithMessage("%s", r).that(r.exitCode()).isEqualTo(0);
    assertThat(r.out()).contains("resuming from");
    assertThat(r.out()).containsMatch("held-out accuracy: \\d\\.\\d{4} on 6 examples \\(majority-class baseline");
    assertThat(r.out()).contains("confusion matrix (rows: true class, columns: predicted):");
    assertThat(r.out()).contains("done: 9 updates");
    Path preset = out.resolve("preset");
    BertTextClassifier c = BertTextClassifier.fromPreset(preset.toString());
    assertThat(c.classifierConfig().classNames()).containsExactly("cat", "dog").inOrder();
    BertGenAppTest.Result again = BertGenAppTest.run(args);
    assertThat(again.out()).contains("is complete");

    BertGenAppTest.Result classified = BertGenAppTest.run("classify", "--preset", preset.toString(), "--top-k", "2",
        "a dog barks", "the cat\tsleeps");
    assertWithMessage("%s", classified).that(classified.exitCode()).isEqualTo(0);
    assertThat(classified.out()).containsMatch("a dog barks\\n  (cat|dog) \\d\\.\\d{3}  (cat|dog) \\d\\.\\d{3}");
    assertThat(classified.out()).contains("the cat sleeps");

    Path bad = dir.resolve("bad.tsv");
    Files.write(bad, List.of("dog\ta dog", "cat a cat"), StandardCharsets.UTF_8);
    BertGenAppTest.Result refused = BertGenAppTest.run("train-classifier", "--data", bad.toString(), "--output",
        dir.resolve("bad-run").toString());
    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(refused.err().strip()).isEqualTo("bertgen train-classifier: " + bad + ":2 has no tab; write one example per line as "
        + "label<TAB>text (or label<TAB>first<TAB>second for a pair)");
    BertGenAppTest.Result notClassifier = BertGenAppTest.run("classify", "--preset", out.resolve("checkpoint")
        .resolve("nothing").toString(), "x");
    assertThat(notClassifier.exitCode()).isEqualTo(2);
  }

  @Test
  void helpPrintsNoWarnings() {
    for (String command : new String[] {"train-classifier", "classify"}) {
      BertGenAppTest.Result r = BertGenAppTest.run(command, "--help");
      assertWithMessage("%s", r).that(r.exitCode()).isEqualTo(0);
      assertThat(r.err()).isEmpty();
      assertThat(r.out()).contains("--preset");
    }
  }
}
