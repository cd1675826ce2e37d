package dev.bertgen.processor.model;

import java.util.List;

/** The simple names of the classes generated for one declaration. */
public record GeneratedNames(String prefix) {

  public String config() {
    return prefix + "Config";
  }

  public String backbone() {
    return prefix + "Backbone";
  }

  public String preprocessor() {
    return prefix + "Preprocessor";
  }

  public String maskedLm() {
    return prefix + "MaskedLM";
  }

  public String kernels() {
    return prefix + "Kernels";
  }

  public String gpuKernels() {
    return prefix + "GpuKernels";
  }

  public String textClassifier() {
    return prefix + "TextClassifier";
  }

  public String textClassifierPreprocessor() {
    return prefix + "TextClassifierPreprocessor";
  }

  /** All of them, in generation order. */
  public List<String> all() {
    return List.of(config(), backbone(), preprocessor(), maskedLm(), kernels(), gpuKernels());
  }
}
