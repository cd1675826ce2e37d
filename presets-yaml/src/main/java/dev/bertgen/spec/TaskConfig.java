package dev.bertgen.spec;

import java.util.Objects;

/**
 * The keras-hub task a preset was saved as.
 *
 * @param kind {@link Kind#MASKED_LM} or {@link Kind#TEXT_CLASSIFIER}
 * @param numClasses number of classes of a text classifier; 0 for a masked LM
 */
public record TaskConfig(Kind kind, int numClasses) {

  /** keras-hub task classes BertGen knows. */
  public enum Kind {
    MASKED_LM("MaskedLM"),
    TEXT_CLASSIFIER("TextClassifier");

    private final String className;

    Kind(String className) {
      this.className = className;
    }

    /** keras-hub's class name without the {@code Bert} prefix, as preset files spell it. */
    public String className() {
      return className;
    }
  }

  public TaskConfig {
    Objects.requireNonNull(kind, "kind");
  }

  public static TaskConfig maskedLm() {
    return new TaskConfig(Kind.MASKED_LM, 0);
  }

  public static TaskConfig textClassifier(int numClasses) {
    return new TaskConfig(Kind.TEXT_CLASSIFIER, numClasses);
  }
}
