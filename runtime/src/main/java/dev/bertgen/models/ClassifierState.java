package dev.bertgen.models;

import java.util.Objects;

/**
 * What a text classifier is made of once created or loaded: the model's state (backbone and
 * {@code logits} weights, tokenizer) and the classifier's arguments. Generated classes pass it to
 * {@link BertTextClassifier}'s constructor.
 *
 * @param model weights (with a text classifier head), tokenizer and specialization
 * @param head the classifier's arguments (number of classes, activation, dropout, class names)
 */
public record ClassifierState(ModelState model, TextClassifierConfig head) {

  public ClassifierState {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(head, "head");
    if (model.weights().layout().numClasses() != head.numClasses()) {
      throw new IllegalArgumentException("the weights have a head of " + model.weights().layout().numClasses()
          + " classes but the classifier config says " + head.numClasses());
    }
  }

  /** A new classifier of {@code numClasses} classes, initialized as keras-hub initializes it. */
  public static ClassifierState initialize(Specialization s, long seed, int numClasses) {
    throw new UnsupportedOperationException("TODO(h-api)");
  }

  /**
   * Loads {@code source} as a text classifier, with keras-hub's semantics: a {@code numClasses}
   * (even the saved one) gives a fresh head over the loaded backbone; {@code null} loads the head a
   * classifier preset saved, and is refused for a masked-LM or backbone-only preset.
   */
  public static ClassifierState load(String source, PresetOptions options, Specialization s, Integer numClasses) {
    throw new UnsupportedOperationException("TODO(h-api)");
  }
}
