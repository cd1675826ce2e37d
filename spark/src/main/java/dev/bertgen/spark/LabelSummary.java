package dev.bertgen.spark;

import dev.bertgen.examples.app.BertGenApp.UserException;
import dev.bertgen.examples.app.LabelLines;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * What the driver learns from a classifier's whole data in one pass (Spark's {@code aggregate}): the first
 * malformed example, whether the examples are single texts or pairs, and the distinct labels. From it come
 * the classes every worker uses, and the errors, each naming the example and the fix, before any training
 * task starts.
 */
final class LabelSummary implements Serializable {
  private static final long serialVersionUID = 1L;
  /** More distinct labels than this is not a classification data set (a text in the label column, probably). */
  static final int MAX_LABELS = 10_000;

  private long badExample = Long.MAX_VALUE;
  private String problem;
  private long singles;
  private long pairs;
  private long firstSingle = Long.MAX_VALUE;
  private long firstPair = Long.MAX_VALUE;
  private final TreeSet<String> labels = new TreeSet<>();

  /** Adds example {@code index} (0-based among the non-blank lines). */
  LabelSummary add(long index, String line) {
    String[] f = LabelLines.fields(line);
    String bad = LabelLines.shapeProblem(f);
    if (bad == null) {
      bad = LabelLines.contentProblem(f);
    }
    if (bad != null) {
      if (index < badExample) {
        badExample = index;
        problem = bad;
      }
      return this;
    }
    if (f.length == 2) {
      singles++;
      firstSingle = Math.min(firstSingle, index);
    } else {
      pairs++;
      firstPair = Math.min(firstPair, index);
    }
    if (labels.size() <= MAX_LABELS) {
      labels.add(f[0].strip());
    }
    return this;
  }

  LabelSummary merge(LabelSummary o) {
    if (o.badExample < badExample) {
      badExample = o.badExample;
      problem = o.problem;
    }
    singles += o.singles;
    pairs += o.pairs;
    firstSingle = Math.min(firstSingle, o.firstSingle);
    firstPair = Math.min(firstPair, o.firstPair);
    if (labels.size() <= MAX_LABELS) {
      labels.addAll(o.labels);
    }
    return this;
  }

  /**
   * The classes of the data.
   *
   * @param data the {@code --data} value, for messages
   * @param numClasses {@code --num-classes}, or {@code null}
   * @param saved the classes the data must have: the run's being resumed, or a classifier preset's whose head
   *     is kept; {@code null} when the data gives them
   * @param savedFrom what {@code saved} are the classes of, for messages
   * @throws UserException naming the example and the fix
   */
  Classes classes(String data, Integer numClasses, Classes saved, String savedFrom) {
    if (problem != null) {
      throw new UserException("--data " + data + ": example " + (badExample + 1) + " (non-blank line "
          + (badExample + 1) + ")" + problem);
    }
    if (singles > 0 && pairs > 0) {
      throw new UserException("--data " + data + " mixes single texts (example " + (firstSingle + 1) + ") and pairs "
          + "(example " + (firstPair + 1) + "); the data holds either label<TAB>text or label<TAB>first<TAB>second "
          + "lines");
    }
    if (labels.size() > MAX_LABELS) {
      throw new UserException("--data " + data + " has more than " + MAX_LABELS + " distinct labels; the first "
          + "column of each line is the class (an id or a name)");
    }
    boolean isPairs = pairs > 0;
    List<String> ids = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (String l : labels) {
      (LabelLines.isId(l) ? ids : names).add(l);
    }
    if (saved != null) {
      if (saved.pairs() != isPairs && !saved.presetHead()) {
        throw new UserException("--data " + data + " has " + (isPairs ? "pairs" : "single texts") + " but "
            + savedFrom + " trained on " + (saved.pairs() ? "pairs" : "single texts") + "; resume it with its data");
      }
      for (String l : labels) {
        boolean known = saved.names().contains(l)
            || (LabelLines.isId(l) && Integer.parseInt(l) < saved.numClasses());
        if (!known) {
          throw new UserException("--data " + data + ": label \"" + l + "\" is not a class of " + savedFrom + " "
              + (saved.names().isEmpty() ? "(ids 0.." + (saved.numClasses() - 1) + ")" : saved.names().toString())
              + (saved.presetHead() ? "; use its classes, or pass --num-classes for a fresh head"
                  : "; resume it with its data"));
        }
      }
      return new Classes(saved.numClasses(), saved.names(), isPairs, saved.presetHead());
    }
    if (!ids.isEmpty() && !names.isEmpty()) {
      throw new UserException("--data " + data + " has class ids (" + ids.get(0) + ") and class names (\""
          + names.get(0) + "\") as labels; use ids 0..N-1 or names throughout");
    }
    if (!names.isEmpty()) {
      if (numClasses != null && numClasses != names.size()) {
        throw new UserException("--data " + data + " has " + names.size() + " class names but --num-classes is "
            + numClasses + "; drop --num-classes (names give the classes) or fix the labels");
      }
      return new Classes(names.size(), names, isPairs, false);
    }
    int max = ids.stream().mapToInt(Integer::parseInt).max().orElse(0);
    int classes = numClasses != null ? numClasses : max + 1;
    if (max >= classes) {
      throw new UserException("--data " + data + ": label " + max + " is outside 0.." + (classes - 1) + " ("
          + classes + " classes); fix the label or pass --num-classes " + (max + 1));
    }
    if (classes < 2) {
      throw new UserException("--data " + data + " has one class (label 0); a classifier needs at least two: pass "
          + "--num-classes or give examples of the other classes");
    }
    return new Classes(classes, List.of(), isPairs, false);
  }
}
