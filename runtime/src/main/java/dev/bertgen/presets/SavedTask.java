package dev.bertgen.presets;

import java.util.List;
import java.util.Objects;

/**
 * The task a preset was saved as, read from its {@code task.json} (keras-hub) or its
 * {@code config.json}'s {@code architectures} (Hugging Face), or from a built-in preset's YAML.
 *
 * @param taskClass keras-hub's class name ({@code "BertMaskedLM"}, {@code "BertTextClassifier"})
 * @param numClasses a text classifier's {@code num_classes} (Hugging Face: {@code num_labels}); 0 otherwise
 * @param activation a text classifier's {@code activation} as keras names it ({@code "linear"} or
 *     {@code "softmax"}); {@code null} otherwise
 * @param dropout a text classifier's {@code dropout} (its {@code classifier_dropout} layer)
 * @param classNames the class names (Hugging Face's {@code id2label}, in id order), or empty
 */
public record SavedTask(String taskClass, int numClasses, String activation, double dropout,
    List<String> classNames) {

  public SavedTask {
    Objects.requireNonNull(taskClass, "taskClass");
    classNames = List.copyOf(classNames);
  }

  /** A masked LM's task. */
  public static SavedTask maskedLm(String taskClass) {
    return new SavedTask(taskClass, 0, null, 0, List.of());
  }

  /** Whether this is keras-hub's {@code BertTextClassifier}. */
  public boolean isTextClassifier() {
    return taskClass.equals("BertTextClassifier");
  }
}
