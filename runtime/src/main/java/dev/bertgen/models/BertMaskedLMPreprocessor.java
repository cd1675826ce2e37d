package dev.bertgen.models;

import dev.bertgen.spec.PreprocessorConfig;
import java.util.Objects;

/**
 * keras-hub's {@code BertMaskedLMPreprocessor}: tokenizer, segment packer and dynamic masking with
 * a preset's settings.
 */
public class BertMaskedLMPreprocessor {
  private final BertTokenizer tokenizer;
  private final PreprocessorConfig config;

  public BertMaskedLMPreprocessor(BertTokenizer tokenizer, PreprocessorConfig config) {
    this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
    this.config = Objects.requireNonNull(config, "config");
  }

  public BertTokenizer tokenizer() {
    return tokenizer;
  }

  public PreprocessorConfig config() {
    return config;
  }
}
