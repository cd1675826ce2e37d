package dev.bertgen.layers;

import dev.bertgen.compute.Launcher;
import dev.bertgen.compute.Matmul;
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
    // rows of the first token of each sequence: stride seq·hidden
    Matmul.of(Ops.DENSE_FROM_HIDDEN).x(w.hiddenStates, w.seq * hidden).w(kernel, hidden).y(w.pooled, hidden)
        .size(w.batch, hidden, hidden).bias(bias).activation(Ops.ACT_TANH).launch(l);
  }
}
