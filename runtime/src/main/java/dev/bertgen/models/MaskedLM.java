package dev.bertgen.models;

/** keras-hub's {@code MaskedLM}: a task that predicts masked tokens. */
public abstract class MaskedLM extends Task {

  protected MaskedLM() {}

  /**
   * Loads a preset as the {@code MaskedLM} subclass of its backbone, as keras-hub's
   * {@code MaskedLM.from_preset} does ({@code find_subclass}): a {@code BertBackbone} (or a Hugging
   * Face {@code model_type} "bert") gives a {@link BertMaskedLM}. Other backbones are refused, naming
   * them.
   */
  public static MaskedLM fromPreset(String source) {
    return BertMaskedLM.fromPreset(source);
  }

  /** {@link #fromPreset(String)} with options. */
  public static MaskedLM fromPreset(String source, PresetOptions options) {
    return BertMaskedLM.fromPreset(source, options);
  }
}
