package dev.bertgen.examples.app;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * Counts of (true class, predicted class) over held-out examples, with the accuracy and the
 * majority-class baseline (always predicting the class most frequent in the training labels).
 */
final class ConfusionMatrix {
  private final long[][] counts;

  ConfusionMatrix(int classes) {
    this.counts = new long[classes][classes];
  }

  void add(int truth, int predicted) {
    counts[truth][predicted]++;
  }

  long count(int truth, int predicted) {
    return counts[truth][predicted];
  }

  long total() {
    long n = 0;
    for (long[] row : counts) {
      for (long c : row) {
        n += c;
      }
    }
    return n;
  }

  /** Fraction of examples on the diagonal. */
  double accuracy() {
    long right = 0;
    for (int i = 0; i < counts.length; i++) {
      right += counts[i][i];
    }
    long n = total();
    return n == 0 ? 0 : right / (double) n;
  }

  /** The most frequent of {@code trainingLabels} (the lowest id among ties). */
  static int majorityClass(int[] trainingLabels, int classes) {
    long[] n = new long[classes];
    for (int l : trainingLabels) {
      n[l]++;
    }
    int best = 0;
    for (int c = 1; c < classes; c++) {
      best = n[c] > n[best] ? c : best;
    }
    return best;
  }

  /** The accuracy of always predicting {@code majority} on these examples. */
  double baseline(int majority) {
    long n = total();
    long row = 0;
    for (long c : counts[majority]) {
      row += c;
    }
    return n == 0 ? 0 : row / (double) n;
  }

  /**
   * Prints the matrix: a row per true class, a column per predicted class, headed by the class names
   * without the prefix they all share (such as {@code noun.}), abbreviated to 12 characters.
   */
  void print(PrintStream out, List<String> names) {
    String prefix = commonPrefix(names);
    int width = 5;
    for (String n : names) {
      width = Math.max(width, Math.min(12, n.length() - prefix.length()));
    }
    for (long[] row : counts) {
      for (long c : row) {
        width = Math.max(width, Long.toString(c).length());
      }
    }
    int label = "true \\ predicted".length();
    for (String n : names) {
      label = Math.max(label, Math.min(24, n.length()));
    }
    StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-" + label + "s", "true \\ predicted"));
    for (int c = 0; c < counts.length; c++) {
      head.append(String.format(Locale.ROOT, "  %" + width + "s", abbreviate(names.get(c).substring(prefix.length()),
          width)));
    }
    out.println(head);
    for (int t = 0; t < counts.length; t++) {
      StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-" + label + "s",
          abbreviate(names.get(t), label)));
      for (int c = 0; c < counts.length; c++) {
        row.append(String.format(Locale.ROOT, "  %" + width + "d", counts[t][c]));
      }
      out.println(row);
    }
  }

  /** The prefix up to and including a '.' or '_' that all names share (and that leaves each name non-empty). */
  static String commonPrefix(List<String> names) {
    if (names.size() < 2) {
      return "";
    }
    String first = names.get(0);
    int end = 0;
    for (int i = 0; i < first.length(); i++) {
      char ch = first.charAt(i);
      int at = i;
      if ((ch == '.' || ch == '_') && names.stream().allMatch(n -> n.length() > at + 1 && n.startsWith(first.substring(0,
          at + 1)))) {
        end = i + 1;
      }
    }
    return first.substring(0, end);
  }

  private static String abbreviate(String s, int width) {
    return s.length() <= width ? s : s.substring(0, Math.max(1, width - 1)) + "~";
  }
}
