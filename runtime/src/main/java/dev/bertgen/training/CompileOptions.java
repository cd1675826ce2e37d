package dev.bertgen.training;

import java.util.Objects;

/**
 * keras' {@code compile(...)} for a masked LM. The loss is always keras-hub's
 * {@code SparseCategoricalCrossentropy(from_logits=True)} with "sum over batch size" reduction and
 * the metric its weighted {@code SparseCategoricalAccuracy}; what can be chosen is the optimizer.
 *
 * @param optimizer default: {@code Adam(5e-5)}, keras-hub's
 */
public record CompileOptions(Optimizer optimizer) {

  public CompileOptions {
    Objects.requireNonNull(optimizer, "optimizer");
  }

  /** keras-hub's defaults: Adam(5e-5). */
  public static CompileOptions defaults() {
    return new CompileOptions(Optimizers.adam(5e-5));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builder of {@link CompileOptions}. */
  public static final class Builder {
    private Optimizer optimizer = Optimizers.adam(5e-5);

    private Builder() {}

    public Builder optimizer(Optimizer value) {
      this.optimizer = Objects.requireNonNull(value, "optimizer");
      return this;
    }

    /** Accepted for keras compatibility; BertGen's kernels are compiled once per device anyway. */
    public Builder jitCompile(boolean value) {
      return this;
    }

    public CompileOptions build() {
      return new CompileOptions(optimizer);
    }
  }
}
