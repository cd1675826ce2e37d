package dev.bertgen.models;

import dev.bertgen.spec.BackboneConfig;
import dev.bertgen.spec.PreprocessorConfig;
import dev.bertgen.spec.PresetSpec;
import dev.bertgen.spec.TaskConfig;
import dev.bertgen.spec.TokenizerConfig;

/** Preset specs for architectures given only as a backbone config. */
final class CustomPresets {
  private CustomPresets() {}

  /** A masked-LM preset around {@code config} with keras-hub's defaults and no vocabulary. */
  static PresetSpec of(String name, BackboneConfig config) {
    return new PresetSpec(name, "", null, null, TaskConfig.maskedLm(), config,
        TokenizerConfig.kerasHub(true, null), PreprocessorConfig.kerasHubDefaults());
  }
}
