package dev.bertgen.models;

/**
 * Registers keras-hub's {@code BertTextClassifier}, recognized but not supported yet: loading one is
 * refused ({@link TextClassifier#fromPreset(String)}). The task's implementation replaces this.
 */
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
    throw TextClassifier.notSupported(source);
  }
}
