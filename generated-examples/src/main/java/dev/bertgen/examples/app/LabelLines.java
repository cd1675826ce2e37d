package dev.bertgen.examples.app;

/**
 * The checks of one labelled line ({@code label<TAB>text}, or {@code label<TAB>first<TAB>second} for a pair),
 * shared by {@code train-classifier} and bertgen-spark's classifier training. A problem is the end of a
 * sentence whose start names the line ({@code "labelled.tsv:7"} + {@code " has no tab; ..."}).
 */
public final class LabelLines {
  private LabelLines() {}

  /** The fields of {@code line}: the label, then one or two texts (empty fields kept). */
  public static String[] fields(String line) {
    return line.split("\t", -1);
  }

  /** What is wrong with the number of fields, or {@code null}. */
  public static String shapeProblem(String[] f) {
    if (f.length < 2) {
      return " has no tab; write one example per line as label<TAB>text (or label<TAB>first<TAB>second for a pair)";
    }
    if (f.length > 3) {
      return " has " + (f.length - 1) + " tabs; an example is label<TAB>text or label<TAB>first<TAB>second (remove "
          + "tabs from the texts)";
    }
    return null;
  }

  /** An empty label or text, or {@code null} (for fields whose shape is right). */
  public static String contentProblem(String[] f) {
    if (f[0].isBlank()) {
      return " has an empty label; put the class (an id or a name) before the tab";
    }
    for (int k = 1; k < f.length; k++) {
      if (f[k].isBlank()) {
        return ": the " + (k == 1 ? (f.length == 3 ? "first text" : "text") : "second text")
            + " is empty; give a text after each tab";
      }
    }
    return null;
  }

  /** Whether {@code label} is a class id (up to 9 ASCII digits) rather than a name. */
  public static boolean isId(String label) {
    return label.matches("\\d{1,9}");
  }
}
