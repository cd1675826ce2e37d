package dev.bertgen.models;

/**
 * keras-hub's {@code TextClassifier} task: {@code TextClassifier.from_preset("bert_base_en", num_classes=2)}.
 * For BERT presets it is a {@link BertTextClassifier}.
 */
public abstract class TextClassifier extends Task {

  protected TextClassifier() {}

  /**
   * Loads a classifier preset with the head it saved (such as {@code bert_tiny_en_uncased_sst2}).
   *
   * @throws dev.bertgen.presets.PresetException for a masked-LM or backbone-only preset (pass
   *     {@code numClasses}), and when the preset cannot be had
   */
  public static TextClassifier fromPreset(String source) {
    return BertTextClassifier.fromPreset(source);
  }

  /** {@link #fromPreset(String)} with options. */
  public static TextClassifier fromPreset(String source, PresetOptions options) {
    return BertTextClassifier.fromPreset(source, options);
  }

  /** Any BERT preset's backbone with a fresh head of {@code numClasses} classes (keras-hub's {@code num_classes}). */
  public static TextClassifier fromPreset(String source, int numClasses) {
    return BertTextClassifier.fromPreset(source, numClasses);
  }

  /** {@link #fromPreset(String, int)} with options. */
  public static TextClassifier fromPreset(String source, int numClasses, PresetOptions options) {
    return BertTextClassifier.fromPreset(source, numClasses, options);
  }
}
