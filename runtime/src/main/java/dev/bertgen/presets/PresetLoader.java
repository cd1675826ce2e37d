package dev.bertgen.presets;

import dev.bertgen.models.ModelState;
import dev.bertgen.models.PresetOptions;
import dev.bertgen.models.Specialization;

/** Finds a preset and reads its architecture, weights and tokenizer. */
public final class PresetLoader {
  private PresetLoader() {}

  /**
   * Loads {@code source}.
   *
   * @param specialization the generated class asking, whose architecture the source must have; or
   *     {@code null} for any architecture
   * @param withMaskedLmHead also load (or initialize) keras-hub's MaskedLMHead
   */
  public static ModelState load(String source, PresetOptions options, Specialization specialization,
      boolean withMaskedLmHead) {
    throw new UnsupportedOperationException("loading presets lands with the runtime issue (#3)");
  }
}
