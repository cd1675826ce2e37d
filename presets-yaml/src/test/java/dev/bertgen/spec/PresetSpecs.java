package dev.bertgen.spec;

/** Test values. */
final class PresetSpecs {
  private PresetSpecs() {}

  static PreprocessorConfig kerasHubPreprocessor() {
    return new PreprocessorConfig(512, dev.bertgen.dsl.Truncation.ROUND_ROBIN, 0.15, 96, 0.8, 0.1);
  }
}
