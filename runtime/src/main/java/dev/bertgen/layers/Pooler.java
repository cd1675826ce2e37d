package dev.bertgen.layers;

import dev.bertgen.compute.DeviceOps;
import dev.bertgen.compute.Ops;
import dev.bertgen.compute.Tensor;

/** keras-hub's {@code pooled_dense}: {@code tanh(x[:, 0, :]·W + b)}. */
public final class Pooler {
  private final Tensor kernel;
  private final Tensor bias;

  public Pooler(VariableLayout layout) {
    int h = layout.config().hiddenDim();
    this.kernel = layout.parameter("pooled_dense/kernel", h, h);
    this.bias = layout.parameter("pooled_dense/bias", 1, h);
  }

  /** Writes the pooled output of the first token of each row. */
  public void forward(DeviceOps ops, Workspace w) {
    Tensor firstTokens = w.hiddenStates().everyRow(w.seq);
    ops.dense(firstTokens, kernel, bias, w.pooled(), Ops.ACT_TANH);
  }
}
