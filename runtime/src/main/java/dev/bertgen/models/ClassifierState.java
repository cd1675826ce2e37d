package dev.bertgen.models;

import dev.bertgen.layers.TaskHead;
import dev.bertgen.presets.PresetException;
import dev.bertgen.presets.SavedTask;
import dev.bertgen.presets.hub.HubSettings;
import dev.bertgen.presets.loading.PresetCatalog;
import java.util.Objects;
import java.util.Optional;

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
    return initialize(s, seed, TextClassifierConfig.defaults(numClasses));
  }

  /**
   * A new classifier with the arguments of {@code config} (keras-hub's {@code num_classes},
   * {@code activation}, {@code dropout}), initialized as keras-hub initializes it.
   */
  public static ClassifierState initialize(Specialization s, long seed, TextClassifierConfig config) {
    Objects.requireNonNull(config, "config");
    return new ClassifierState(ModelState.initialize(s, seed, TaskHead.textClassifier(config.numClasses())), config);
  }

  /**
   * Loads {@code source}'s backbone (of any BERT preset, a classifier's too) with a fresh head of
   * {@code config}'s arguments: keras-hub's {@code from_preset(num_classes=..., activation=...,
   * dropout=...)}.
   *
   * @throws PresetException as {@link ModelState#load} does
   */
  public static ClassifierState loadFreshHead(String source, PresetOptions options, Specialization s,
      TextClassifierConfig config) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(config, "config");
    ModelState m = ModelState.load(source, options, s, TaskHead.textClassifier(config.numClasses()));
    return new ClassifierState(m, config);
  }

  /**
   * Loads {@code source} as a text classifier, with keras-hub's semantics: a {@code numClasses}
   * (even the saved one) gives a fresh head over the loaded backbone, with keras-hub's default
   * arguments; {@code null} loads the head a classifier preset saved, with its activation, dropout
   * and class names.
   *
   * @throws PresetException for {@code null} on a masked-LM or backbone-only preset (saying to pass
   *     numClasses), and as {@link ModelState#load} does
   */
  public static ClassifierState load(String source, PresetOptions options, Specialization s, Integer numClasses) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(options, "options");
    if (numClasses != null) {
      if (numClasses < 1) {
        throw new IllegalArgumentException("numClasses must be at least 1, got " + numClasses
            + " (2 for a binary classifier)");
      }
      return loadFreshHead(source, options, s, TextClassifierConfig.defaults(numClasses));
    }
    Optional<SavedTask> saved = PresetCatalog.savedTaskDetails(source,
        () -> options.hub() != null ? options.hub() : HubSettings.fromEnvironment());
    if (saved.isEmpty() || !saved.get().isTextClassifier()) {
      throw new PresetException(null, source + (saved.isEmpty() ? " saves only a backbone"
          : " is a " + saved.get().taskClass() + " preset") + ", so it has no classifier head to load; pass the "
          + "number of classes for a fresh head on its backbone, e.g. BertTextClassifier.fromPreset(\"" + source
          + "\", 2) (keras-hub: num_classes=2)");
    }
    ModelState m = ModelState.load(source, options, s, TaskHead.savedTextClassifier(saved.get().numClasses()));
    SavedTask t = m.savedTask() != null && m.savedTask().isTextClassifier() ? m.savedTask() : saved.get();
    TextClassifierConfig head = new TextClassifierConfig(t.numClasses(),
        ClassifierActivation.fromKerasName(t.activation()), t.dropout(), t.classNames());
    return new ClassifierState(m, head);
  }
}
