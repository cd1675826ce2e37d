package dev.bertgen.models;

import dev.bertgen.presets.PresetException;

/**
 * keras-hub's {@code TextClassifier} task ({@code BertTextClassifier}, the task of the built-in
 * {@code bert_tiny_en_uncased_sst2}). Recognized but not supported yet: loading one is refused with
 * what to do instead.
 */
public abstract class TextClassifier extends Task {

  protected TextClassifier() {}

  /**
   * Not supported yet.
   *
   * @throws PresetException always, saying so and how to load the preset's backbone instead
   */
  public static TextClassifier fromPreset(String source) {
    throw notSupported(source);
  }

  /** {@link #fromPreset(String)} with options: not supported yet either. */
  public static TextClassifier fromPreset(String source, PresetOptions options) {
    throw notSupported(source);
  }

  static PresetException notSupported(String source) {
    return new PresetException(null, source + " is a keras-hub BertTextClassifier preset, and the TextClassifier "
        + "task is not supported yet by BertGen. To use its fine-tuned backbone, load it with a fresh MaskedLM head "
        + "with BertMaskedLM.fromPreset(\"" + source + "\") (as keras-hub's BertMaskedLM.from_preset does), or its "
        + "encoder outputs with mlm.backbone().call(...)");
  }
}
