package dev.bertgen.layers;

import dev.bertgen.compute.DeviceOps;
import dev.bertgen.compute.Tensor;

/**
 * keras' Dropout in training: a counter-based mask keyed by (seed, step, stream, element), so the
 * backward pass reapplies the same mask with the same call. Identity when the rate is 0.
 *
 * @param rate fraction of elements dropped
 * @param seed the training run's seed
 * @param step the optimizer step
 */
public record Dropout(float rate, int seed, int step) {

  /** No dropout (inference, or a rate of 0). */
  public static final Dropout NONE = new Dropout(0f, 0, 0);

  /** Stream of the embeddings' dropout. */
  static final int EMBEDDINGS = 1;

  /** Stream of layer {@code l}'s attention probabilities. */
  static int probs(int layer) {
    return 16 + 4 * layer;
  }

  /** Stream of layer {@code l}'s attention output. */
  static int attentionOutput(int layer) {
    return 17 + 4 * layer;
  }

  /** Stream of layer {@code l}'s feed-forward output. */
  static int feedForwardOutput(int layer) {
    return 18 + 4 * layer;
  }

  public boolean active() {
    return rate > 0f;
  }

  /** Applies the mask of {@code stream} to {@code x}, in place. */
  void apply(DeviceOps ops, Tensor x, int stream) {
    if (active()) {
      ops.dropout(x, rate, stream, seed, step);
    }
  }
}
