package dev.bertgen.dsl;

/** Which library's WordPiece text normalization a tokenizer reproduces. */
public enum TokenizerFlavor {
  /** keras-hub: NFKC case folding without accent stripping, ASCII whitespace, control characters split words. */
  KERAS_HUB("keras_hub"),
  /** Hugging Face BertTokenizer: Unicode whitespace, control characters removed, accents stripped when lowercasing. */
  HUGGING_FACE("hugging_face");

  private final String yamlName;

  TokenizerFlavor(String yamlName) {
    this.yamlName = yamlName;
  }

  /** The spelling used in preset YAML files. */
  public String yamlName() {
    return yamlName;
  }
}
