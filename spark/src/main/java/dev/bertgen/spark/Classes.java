package dev.bertgen.spark;

import java.io.Serializable;
import java.util.List;

/**
 * A classifier run's classes, as the driver found them in the whole data (every worker must agree).
 *
 * @param numClasses the number of classes
 * @param names the class names in id order, or empty when the labels are ids
 * @param pairs whether the examples are sentence pairs ({@code label<TAB>first<TAB>second})
 * @param presetHead whether the preset is a classifier whose head (weights, dropout, classes) is trained on;
 *     otherwise a fresh head of {@code numClasses} goes over the preset's backbone
 */
record Classes(int numClasses, List<String> names, boolean pairs, boolean presetHead) implements Serializable {
  private static final long serialVersionUID = 1L;

  Classes {
    names = List.copyOf(names);
  }

  /** The class id of {@code label}: its index among {@link #names}, or the id it spells. */
  int id(String label) {
    int i = names.indexOf(label);
    return i >= 0 ? i : Integer.parseInt(label);
  }
}
