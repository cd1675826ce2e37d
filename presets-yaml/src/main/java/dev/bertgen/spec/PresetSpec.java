package dev.bertgen.spec;

import java.util.Objects;

/**
 * A whole preset declaration: what a preset YAML file or a {@code @BertSpec} says.
 *
 * @param name preset name, for example {@code bert_tiny_en_uncased}
 * @param description free text
 * @param params declared backbone parameter count, or {@code null} when not declared
 * @param kaggleHandle {@code kaggle://owner/model/framework/variant/version}, or {@code null}
 */
public record PresetSpec(
    String name,
    String description,
    Long params,
    String kaggleHandle,
    TaskConfig task,
    BackboneConfig backbone,
    TokenizerConfig tokenizer,
    PreprocessorConfig preprocessor) {

  /** Version of the YAML schema this code reads and writes. */
  public static final int SCHEMA_VERSION = 1;

  public PresetSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(backbone, "backbone");
    Objects.requireNonNull(tokenizer, "tokenizer");
    Objects.requireNonNull(preprocessor, "preprocessor");
  }

  public PresetSpec withPreprocessor(PreprocessorConfig value) {
    return new PresetSpec(name, description, params, kaggleHandle, task, backbone, tokenizer, value);
  }

  public PresetSpec withBackbone(BackboneConfig value) {
    return new PresetSpec(name, description, params, kaggleHandle, task, value, tokenizer, preprocessor);
  }

  public PresetSpec withTokenizer(TokenizerConfig value) {
    return new PresetSpec(name, description, params, kaggleHandle, task, backbone, value, preprocessor);
  }
}
