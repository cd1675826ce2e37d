package dev.bertgen.layers;

import dev.bertgen.compute.Launcher;
import dev.bertgen.compute.Ops;

/** keras-hub's {@code pooled_dense}: {@code tanh(x[:, 0, :]·W + b)}. */
public final class Pooler {
  private final int hidden;
  private final int kernel;
  private final int bias;

  public Pooler(VariableLayout layout) {
    this.hidden = layout.config().hiddenDim();
    this.kernel = layout.get("pooled_dense/kernel").offset();
    this.bias = layout.get("pooled_dense/bias").offset();
  }

  /** Writes the pooled output of the first token of each row. */
  public void forward(Launcher l, Workspace w) {
    l.launch(Ops.DENSE_FROM_HIDDEN, w.batch * hidden, 0f, 0f,
        w.hiddenStates, w.seq * hidden, kernel, bias, w.pooled, hidden, hidden, Ops.ACT_TANH);
  }
}
