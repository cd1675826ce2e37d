package dev.bertgen.dsl;

/** How {@code MultiSegmentPacker} shortens segments that do not fit the sequence length. */
public enum Truncation {
  /** Only in {@link BertOverrides}: keep the preset's setting. */
  INHERIT(""),
  /** Take one token from each segment in turn (keras-hub's default). */
  ROUND_ROBIN("round_robin"),
  /** Fill segments left to right. */
  WATERFALL("waterfall");

  private final String yamlName;

  Truncation(String yamlName) {
    this.yamlName = yamlName;
  }

  /** The spelling used in preset YAML files. */
  public String yamlName() {
    return yamlName;
  }
}
