package dev.bertgen.presets.loading;

import dev.bertgen.layers.ModelWeights;
import dev.bertgen.presets.SavedTask;
import dev.bertgen.spec.BackboneConfig;
import dev.bertgen.spec.PresetSpec;
import java.util.Objects;

/**
 * What {@link PresetLoader#load} read of a preset, as plain data; {@code ModelState.load} makes a
 * model's state of it.
 *
 * @param spec the preset's spec made from its files, or {@code null} when the caller expected an
 *     architecture of its own ({@link PresetLoader.Request#expected()})
 * @param config the architecture as loaded, with the numeric flavor of its format
 * @param weights the parameters (read, or initialized where the preset has none)
 * @param tokenizer the caller's tokenizer of the preset's tokenizer files, or {@code null} when the
 *     preset has no vocabulary
 * @param source where it came from, for messages
 * @param savedTask the task the preset was saved as, or {@code null} when it saved only a backbone
 * @param <T> the tokenizer's type
 */
public record LoadedPreset<T>(PresetSpec spec, BackboneConfig config, ModelWeights weights, T tokenizer,
    String source, SavedTask savedTask) {

  public LoadedPreset {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(weights, "weights");
    Objects.requireNonNull(source, "source");
  }
}
