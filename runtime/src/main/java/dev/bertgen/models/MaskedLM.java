package dev.bertgen.models;

/** keras-hub's {@code MaskedLM}: a task that predicts masked tokens. */
public abstract class MaskedLM extends Task {

  protected MaskedLM() {}

  /**
   * Loads a preset as the {@code MaskedLM} subclass of its backbone, as keras-hub's
   * {@code MaskedLM.from_preset} does ({@code find_subclass}): a {@code BertBackbone} (or a Hugging
   * Face {@code model_type} "bert") gives a {@link BertMaskedLM}, the {@link TaskType} registered as the
   * MaskedLM of that backbone class. Other backbones are refused, naming them.
   */
  public static MaskedLM fromPreset(String source) {
    return fromPreset(source, PresetOptions.defaults());
  }

  /** {@link #fromPreset(String)} with options. */
  public static MaskedLM fromPreset(String source, PresetOptions options) {
    // Every preset BertGen reads has a BertBackbone (a Hugging Face "bert" checkpoint is read as one); the
    // MaskedLM registered for it refuses other backbones, naming them.
    TaskType type = TaskTypes.byBackbone(MaskedLM.class, BACKBONE_CLASS).orElseThrow(() -> new IllegalStateException(
        "no MaskedLM task is registered for " + BACKBONE_CLASS + " (META-INF/services/" + TaskType.class.getName()
            + " is missing from the class path)"));
    return (MaskedLM) type.fromPreset(source, options);
  }

  /** keras-hub's class name of the only backbone BertGen reads. */
  private static final String BACKBONE_CLASS = "BertBackbone";
}
