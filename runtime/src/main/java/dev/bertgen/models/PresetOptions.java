package dev.bertgen.models;

/**
 * How {@code fromPreset} loads a preset.
 *
 * @param loadWeights load the preset's weights (true) or initialize them as keras-hub does (false);
 *     the tokenizer is loaded either way
 * @param seed seed of the initializers when weights are not loaded
 */
public record PresetOptions(boolean loadWeights, long seed) {

  /** Seed used when none is given. */
  public static final long DEFAULT_SEED = 0x5EEDL;

  /** Load weights. */
  public static PresetOptions defaults() {
    return new PresetOptions(true, DEFAULT_SEED);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builder of {@link PresetOptions}. */
  public static final class Builder {
    private boolean loadWeights = true;
    private long seed = DEFAULT_SEED;

    private Builder() {}

    public Builder loadWeights(boolean value) {
      this.loadWeights = value;
      return this;
    }

    public Builder seed(long value) {
      this.seed = value;
      return this;
    }

    public PresetOptions build() {
      return new PresetOptions(loadWeights, seed);
    }
  }
}
