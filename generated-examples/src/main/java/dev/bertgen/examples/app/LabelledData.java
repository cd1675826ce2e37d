package dev.bertgen.examples.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import dev.bertgen.examples.app.BertGenApp.UserException;

/**
 * Labelled examples for a text classifier, read from tab-separated lines: {@code label<TAB>text} or
 * {@code label<TAB>first<TAB>second} (a sentence pair). Labels are class ids {@code 0..n-1} or names
 * (the classes are then the names in sorted order, or the names a classifier already has).
 *
 * @param first each example's text (its first segment)
 * @param second each example's second segment, or {@code null} when the examples are single texts
 * @param labels each example's class id
 * @param classNames the names of the classes in id order, or empty when the labels were ids
 * @param numClasses number of classes
 */
record LabelledData(List<String> first, List<String> second, int[] labels, List<String> classNames, int numClasses) {

  /** The embedded WordNet set: its training part. */
  static final String TRAIN_RESOURCE = "/dev/bertgen/examples/classification/wordnet-lexnames-train.tsv.gz";
  /** The embedded WordNet set: its held-out part. */
  static final String HELD_OUT_RESOURCE = "/dev/bertgen/examples/classification/wordnet-lexnames-heldout.tsv.gz";

  LabelledData {
    first = List.copyOf(first);
    if (second != null) {
      second = List.copyOf(second);
    }
    classNames = List.copyOf(classNames);
  }

  int size() {
    return labels.length;
  }

  boolean pairs() {
    return second != null;
  }

  /** The examples {@code from..to}. */
  LabelledData rows(int from, int to) {
    return new LabelledData(first.subList(from, to), second == null ? null : second.subList(from, to),
        java.util.Arrays.copyOfRange(labels, from, to), classNames, numClasses);
  }

  /** The name of class {@code id}: its name, or the id. */
  String className(int id) {
    return classNames.isEmpty() ? Integer.toString(id) : classNames.get(id);
  }

  /**
   * Parses {@code lines} of {@code source}; {@code numClasses} comes from {@code --num-classes}.
   *
   * @see #parse(List, String, Integer, List, String)
   */
  static LabelledData parse(List<String> lines, String source, Integer numClasses, List<String> knownNames) {
    return parse(lines, source, numClasses, knownNames, null);
  }

  /**
   * Parses {@code lines} of {@code source}.
   *
   * @param numClasses the number of classes the caller expects ({@code --num-classes}, or a classifier's),
   *     or {@code null} to infer it
   * @param knownNames the class names of the classifier the data is for, or empty; a label is then one of
   *     them or a class id
   * @param classesFrom what gave {@code numClasses} and {@code knownNames} when not {@code --num-classes}
   *     (such as "the classifier P"), for the messages; {@code null} for {@code --num-classes}
   * @throws UserException naming the source, the line and the fix for an empty file, a line without a
   *     tab, an empty text or label, a label out of range or not a class, labels that mix ids and names,
   *     or lines of different shapes
   */
  static LabelledData parse(List<String> lines, String source, Integer numClasses, List<String> knownNames,
      String classesFrom) {
    List<String> first = new ArrayList<>();
    List<String> second = new ArrayList<>();
    List<String> rawLabels = new ArrayList<>();
    List<Integer> lineNumbers = new ArrayList<>();
    int columns = 0;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      String where = source + ":" + (i + 1);
      String[] f = LabelLines.fields(line);
      String shape = LabelLines.shapeProblem(f);
      if (shape != null) {
        throw new UserException(where + shape);
      }
      if (columns == 0) {
        columns = f.length;
      } else if (f.length != columns) {
        throw new UserException(where + " has " + f.length + " fields but the lines before it have " + columns
            + "; the file holds either single texts (label<TAB>text) or pairs (label<TAB>first<TAB>second)");
      }
      String content = LabelLines.contentProblem(f);
      if (content != null) {
        throw new UserException(where + content);
      }
      String label = f[0].strip();
      rawLabels.add(label);
      lineNumbers.add(i + 1);
      first.add(f[1].strip());
      if (f.length == 3) {
        second.add(f[2].strip());
      }
    }
    if (rawLabels.isEmpty()) {
      throw new UserException(source + " has no examples; write one per line as label<TAB>text");
    }
    String origin = classesFrom == null ? "the classifier" : classesFrom;
    int[] labels = new int[rawLabels.size()];
    List<String> names;
    int classes;
    if (!knownNames.isEmpty()) {
      names = knownNames;
      classes = names.size();
      for (int i = 0; i < labels.length; i++) {
        String label = rawLabels.get(i);
        labels[i] = names.indexOf(label);
        if (labels[i] < 0 && LabelLines.isId(label) && Integer.parseInt(label) < classes) {
          labels[i] = Integer.parseInt(label);
        }
        if (labels[i] < 0) {
          throw new UserException(source + ":" + lineNumbers.get(i) + ": label \"" + label + "\" is not a class of "
              + origin + " " + abbreviate(names) + "; use one of those names or an id 0.." + (classes - 1));
        }
      }
    } else if (LabelLines.isId(rawLabels.get(0))) {
      int max = 0;
      for (int i = 0; i < labels.length; i++) {
        String label = rawLabels.get(i);
        if (!LabelLines.isId(label)) {
          throw new UserException(source + ":" + lineNumbers.get(i) + ": label \"" + label + "\" is a name but the "
              + "labels before it are class ids (line " + lineNumbers.get(0) + ": " + rawLabels.get(0) + "); use ids "
              + "0..N-1 or names throughout");
        }
        labels[i] = Integer.parseInt(label);
        max = Math.max(max, labels[i]);
      }
      classes = numClasses != null ? numClasses : max + 1;
      for (int i = 0; i < labels.length; i++) {
        if (labels[i] >= classes) {
          throw new UserException(source + ":" + lineNumbers.get(i) + ": label " + labels[i] + " is outside 0.."
              + (classes - 1) + " (" + classes + " classes" + (classesFrom == null ? "" : ", as " + classesFrom + " has")
              + "); fix the label or pass --num-classes " + (labels[i] + 1));
        }
      }
      names = List.of();
    } else {
      for (int i = 0; i < labels.length; i++) {
        if (LabelLines.isId(rawLabels.get(i))) {
          throw new UserException(source + ":" + lineNumbers.get(i) + ": label " + rawLabels.get(i) + " is a class id "
              + "but the labels before it are names (line " + lineNumbers.get(0) + ": \"" + rawLabels.get(0) + "\"); "
              + "use ids 0..N-1 or names throughout");
        }
      }
      names = List.copyOf(new TreeSet<>(rawLabels));
      classes = names.size();
      if (numClasses != null && numClasses != classes) {
        throw new UserException(source + " has " + classes + " class names " + abbreviate(names) + " but "
            + (classesFrom == null ? "--num-classes is " + numClasses + "; drop --num-classes (names give the classes)"
                : classesFrom + " has " + numClasses + " classes; pass --num-classes " + classes + " for a fresh head")
            + " or fix the labels");
      }
      for (int i = 0; i < labels.length; i++) {
        labels[i] = names.indexOf(rawLabels.get(i));
      }
    }
    return new LabelledData(first, columns == 3 ? second : null, labels, names, classes);
  }

  private static String abbreviate(List<String> names) {
    return names.size() <= 8 ? names.toString() : names.subList(0, 8) + " and " + (names.size() - 8) + " more";
  }

  /** The lines of a resource of this jar (gzip'd). */
  static List<String> resourceLines(String resource) {
    InputStream in = LabelledData.class.getResourceAsStream(resource);
    if (in == null) {
      throw new IllegalStateException("the embedded data set " + resource + " is missing from the class path; "
          + "rebuild with mvn -B -DskipTests install");
    }
    List<String> out = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(in), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        out.add(line);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource + ": " + e.getMessage(), e);
    }
    return out;
  }

  /** The embedded training set: WordNet noun definitions labelled by lexicographer file. */
  static LabelledData embeddedTrain() {
    return parse(resourceLines(TRAIN_RESOURCE), TRAIN_RESOURCE, null, List.of());
  }

  /** The embedded held-out set, with the training set's classes. */
  static LabelledData embeddedHeldOut(LabelledData train) {
    Objects.requireNonNull(train, "train");
    return parse(resourceLines(HELD_OUT_RESOURCE), HELD_OUT_RESOURCE, null, train.classNames(), "the training set");
  }
}
