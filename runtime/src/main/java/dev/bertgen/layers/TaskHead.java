package dev.bertgen.layers;

/**
 * Which task head a model's variables include beside the backbone's: none (a bare backbone),
 * keras-hub's {@code MaskedLMHead}, or a text classifier's {@code logits} dense layer.
 *
 * @param kind the head
 * @param numClasses classes of a text classifier's head; 0 for the other kinds
 * @param fromPreset for a text classifier loaded from a preset: read the head the preset saved
 *     ({@code task.weights.h5}, or a Hugging Face {@code classifier}) instead of initializing a fresh one
 */
public record TaskHead(Kind kind, int numClasses, boolean fromPreset) {

  /** The heads BertGen builds. */
  public enum Kind {
    NONE,
    MASKED_LM,
    TEXT_CLASSIFIER
  }

  public TaskHead {
    java.util.Objects.requireNonNull(kind, "kind");
    if (kind == Kind.TEXT_CLASSIFIER ? numClasses < 1 : numClasses != 0) {
      throw new IllegalArgumentException(kind == Kind.TEXT_CLASSIFIER
          ? "numClasses must be at least 1, got " + numClasses + " (2 for a binary classifier)"
          : "only a text classifier head has classes");
    }
    if (fromPreset && kind != Kind.TEXT_CLASSIFIER) {
      throw new IllegalArgumentException("fromPreset applies to text classifier heads only");
    }
  }

  /** A bare backbone. */
  public static TaskHead none() {
    return new TaskHead(Kind.NONE, 0, false);
  }

  /** keras-hub's MaskedLMHead (loaded from a preset's {@code task.weights.h5} when it is a masked LM's). */
  public static TaskHead maskedLm() {
    return new TaskHead(Kind.MASKED_LM, 0, false);
  }

  /** A fresh classifier head of {@code numClasses} classes, initialized as keras-hub does. */
  public static TaskHead textClassifier(int numClasses) {
    return new TaskHead(Kind.TEXT_CLASSIFIER, numClasses, false);
  }

  /** The classifier head a preset saved, which has {@code numClasses} classes. */
  public static TaskHead savedTextClassifier(int numClasses) {
    return new TaskHead(Kind.TEXT_CLASSIFIER, numClasses, true);
  }
}
