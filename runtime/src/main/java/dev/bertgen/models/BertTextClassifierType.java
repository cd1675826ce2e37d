package dev.bertgen.models;

/** Registers keras-hub's {@code BertTextClassifier}: {@link Task#fromPreset} of a classifier preset. */
public final class BertTextClassifierType implements TaskType {
  /** For {@link java.util.ServiceLoader}. */
  public BertTextClassifierType() {}

  @Override
  public String taskClass() {
    return "BertTextClassifier";
  }

  @Override
  public String backboneClass() {
    return "BertBackbone";
  }

  @Override
  public Class<? extends Task> baseClass() {
    return TextClassifier.class;
  }

  @Override
  public Task fromPreset(String source, PresetOptions options) {
    return BertTextClassifier.fromPreset(source, options);
  }
}
