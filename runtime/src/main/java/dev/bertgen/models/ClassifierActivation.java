package dev.bertgen.models;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The {@code activation} of keras-hub's {@code BertTextClassifier}'s {@code logits} layer. */
public enum ClassifierActivation {
  /** None (keras' {@code None} or {@code "linear"}): the classifier outputs logits. */
  LINEAR("linear"),
  /** {@code "softmax"}: the classifier outputs probabilities. */
  SOFTMAX("softmax");

  private final String kerasName;

  ClassifierActivation(String kerasName) {
    this.kerasName = kerasName;
  }

  /** The name keras writes in {@code task.json}. */
  public String kerasName() {
    return kerasName;
  }

  /**
   * The activation keras names {@code name} ({@code null} is keras' default, linear).
   *
   * @throws IllegalArgumentException for any other, listing those BertGen supports
   */
  public static ClassifierActivation fromKerasName(String name) {
    if (name == null || name.equals("linear")) {
      return LINEAR;
    }
    for (ClassifierActivation a : values()) {
      if (a.kerasName.equals(name)) {
        return a;
      }
    }
    throw new IllegalArgumentException("the classifier activation \"" + name + "\" is not supported; use one of "
        + Arrays.stream(values()).map(a -> "\"" + a.kerasName + "\"").collect(Collectors.joining(", ")));
  }
}
