package dev.bertgen.spec;

import dev.bertgen.dsl.Truncation;
import java.util.Objects;

/** keras-hub's {@code BertMaskedLMPreprocessor} arguments. */
public record PreprocessorConfig(
    int sequenceLength,
    Truncation truncate,
    double maskSelectionRate,
    int maskSelectionLength,
    double maskTokenRate,
    double randomTokenRate) {

  public PreprocessorConfig {
    Objects.requireNonNull(truncate, "truncate");
  }

  /** keras-hub's defaults: 512, round robin, 0.15, 96, 0.8, 0.1. */
  public static PreprocessorConfig kerasHubDefaults() {
    return new PreprocessorConfig(512, Truncation.ROUND_ROBIN, 0.15, 96, 0.8, 0.1);
  }

  public PreprocessorConfig withSequenceLength(int value) {
    return new PreprocessorConfig(value, truncate, maskSelectionRate, maskSelectionLength,
        maskTokenRate, randomTokenRate);
  }

  public PreprocessorConfig withTruncate(Truncation value) {
    return new PreprocessorConfig(sequenceLength, value, maskSelectionRate, maskSelectionLength,
        maskTokenRate, randomTokenRate);
  }

  public PreprocessorConfig withMaskSelectionRate(double value) {
    return new PreprocessorConfig(sequenceLength, truncate, value, maskSelectionLength,
        maskTokenRate, randomTokenRate);
  }

  public PreprocessorConfig withMaskSelectionLength(int value) {
    return new PreprocessorConfig(sequenceLength, truncate, maskSelectionRate, value,
        maskTokenRate, randomTokenRate);
  }

  public PreprocessorConfig withMaskTokenRate(double value) {
    return new PreprocessorConfig(sequenceLength, truncate, maskSelectionRate, maskSelectionLength,
        value, randomTokenRate);
  }

  public PreprocessorConfig withRandomTokenRate(double value) {
    return new PreprocessorConfig(sequenceLength, truncate, maskSelectionRate, maskSelectionLength,
        maskTokenRate, value);
  }
}
