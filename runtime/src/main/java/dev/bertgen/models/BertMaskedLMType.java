package dev.bertgen.models;

/** Registers {@link BertMaskedLM} (keras-hub's {@code BertMaskedLM}, a {@link MaskedLM} on a BertBackbone). */
public final class BertMaskedLMType implements TaskType {
  /** For {@link java.util.ServiceLoader}. */
  public BertMaskedLMType() {}

  @Override
  public String taskClass() {
    return "BertMaskedLM";
  }

  @Override
  public String backboneClass() {
    return "BertBackbone";
  }

  @Override
  public Class<? extends Task> baseClass() {
    return MaskedLM.class;
  }

  @Override
  public BertMaskedLM fromPreset(String source, PresetOptions options) {
    return BertMaskedLM.fromPreset(source, options);
  }
}
