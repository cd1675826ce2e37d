package dev.bertgen.models;

import dev.bertgen.compute.ComputeDevice;
import dev.bertgen.presets.hub.HubSettings;

/**
 * How {@code fromPreset} loads a preset.
 *
 * @param loadWeights load the preset's weights (true) or initialize them as keras-hub does (false:
 *     truncated normal with standard deviation 0.02 for kernels and embeddings, zeros for biases and
 *     betas, ones for gammas); the tokenizer is loaded either way
 * @param seed seed of the initializers when weights are not loaded (and of a head the preset lacks)
 * @param device where the model runs, or {@code null} for the default ({@code BERTGEN_DEVICE} or
 *     {@code -Dbertgen.device}, see {@link dev.bertgen.compute.Devices})
 * @param sequenceLength the preprocessor's sequence length instead of the preset's, or {@code null}
 *     to keep the preset's; at most the backbone's {@code max_sequence_length}
 * @param hub caches, endpoints and credentials for {@code kaggle://}, {@code hf://} and built-in names,
 *     or {@code null} for {@link HubSettings#fromEnvironment()}
 * @param checkFinite check every weight read from the preset for NaN and infinite values and refuse the
 *     preset when one has any, naming the file, the tensor, the first bad index and its value (the
 *     default); false skips the check, which costs one pass over the weights (small next to
 *     reading them), and loads the values as they are
 */
public record PresetOptions(boolean loadWeights, long seed, ComputeDevice device, Integer sequenceLength,
    HubSettings hub, boolean checkFinite) {

  /** Seed used when none is given. */
  public static final long DEFAULT_SEED = 0x5EEDL;

  public PresetOptions {
    if (sequenceLength != null && sequenceLength < 1) {
      throw new IllegalArgumentException("sequenceLength is " + sequenceLength + "; it must be at least 1 (and "
          + "at most the model's max_sequence_length), or null to keep the preset's");
    }
  }

  /** These options with the weights checked for NaN and infinite values. */
  public PresetOptions(boolean loadWeights, long seed, ComputeDevice device, Integer sequenceLength,
      HubSettings hub) {
    this(loadWeights, seed, device, sequenceLength, hub, true);
  }

  /** Weights loaded, default seed, device and hub settings. */
  public PresetOptions(boolean loadWeights, long seed) {
    this(loadWeights, seed, null, null, null);
  }

  /** Load weights. */
  public static PresetOptions defaults() {
    return new PresetOptions(true, DEFAULT_SEED);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.loadWeights = loadWeights;
    b.seed = seed;
    b.device = device;
    b.sequenceLength = sequenceLength;
    b.hub = hub;
    b.checkFinite = checkFinite;
    return b;
  }

  /** Builder of {@link PresetOptions}. */
  public static final class Builder {
    private boolean loadWeights = true;
    private long seed = DEFAULT_SEED;
    private ComputeDevice device;
    private Integer sequenceLength;
    private HubSettings hub;
    private boolean checkFinite = true;

    private Builder() {}

    public Builder loadWeights(boolean value) {
      this.loadWeights = value;
      return this;
    }

    public Builder seed(long value) {
      this.seed = value;
      return this;
    }

    /** The device to run on; {@code null} for the default. */
    public Builder device(ComputeDevice value) {
      this.device = value;
      return this;
    }

    /** The preprocessor's sequence length; {@code null} keeps the preset's. */
    public Builder sequenceLength(Integer value) {
      this.sequenceLength = value;
      return this;
    }

    /** Caches, endpoints and credentials; {@code null} for the environment's. */
    public Builder hub(HubSettings value) {
      this.hub = value;
      return this;
    }

    /**
     * Whether to refuse weights that are NaN or infinite (true, the default) or load them as they are
     * (false, which saves one pass over the weights).
     */
    public Builder checkFinite(boolean value) {
      this.checkFinite = value;
      return this;
    }

    public PresetOptions build() {
      return new PresetOptions(loadWeights, seed, device, sequenceLength, hub, checkFinite);
    }
  }
}
