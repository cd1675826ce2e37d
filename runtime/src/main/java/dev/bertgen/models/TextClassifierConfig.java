package dev.bertgen.models;

import java.util.List;
import java.util.Objects;

/**
 * keras-hub's {@code BertTextClassifier} arguments besides the backbone and the preprocessor.
 *
 * @param numClasses number of classes ({@code num_classes})
 * @param activation the {@code logits} layer's activation (logits, or softmax probabilities)
 * @param dropout rate of the {@code classifier_dropout} layer on the pooled output (keras-hub: 0.1)
 * @param classNames names of the classes in id order (a Hugging Face {@code id2label}), or empty
 */
public record TextClassifierConfig(int numClasses, ClassifierActivation activation, double dropout,
    List<String> classNames) {

  /** keras-hub's default classifier dropout. */
  public static final double DEFAULT_DROPOUT = 0.1;

  public TextClassifierConfig {
    Objects.requireNonNull(activation, "activation");
    classNames = List.copyOf(classNames);
    if (numClasses < 1) {
      throw new IllegalArgumentException("numClasses must be at least 1, got " + numClasses
          + " (2 for a binary classifier)");
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("the classifier dropout must be in [0, 1), got " + dropout);
    }
    if (!classNames.isEmpty() && classNames.size() != numClasses) {
      throw new IllegalArgumentException(classNames.size() + " class names for " + numClasses
          + " classes; give one name per class, or none");
    }
  }

  /** keras-hub's defaults: logits, dropout 0.1, no class names. */
  public static TextClassifierConfig defaults(int numClasses) {
    return new TextClassifierConfig(numClasses, ClassifierActivation.LINEAR, DEFAULT_DROPOUT, List.of());
  }

  public TextClassifierConfig withActivation(ClassifierActivation value) {
    return new TextClassifierConfig(numClasses, value, dropout, classNames);
  }

  public TextClassifierConfig withDropout(double value) {
    return new TextClassifierConfig(numClasses, activation, value, classNames);
  }

  public TextClassifierConfig withClassNames(List<String> value) {
    return new TextClassifierConfig(numClasses, activation, dropout, value);
  }

  /** The name of class {@code id}: its class name, or the id as text. */
  public String className(int id) {
    Objects.checkIndex(id, numClasses);
    return classNames.isEmpty() ? Integer.toString(id) : classNames.get(id);
  }
}
