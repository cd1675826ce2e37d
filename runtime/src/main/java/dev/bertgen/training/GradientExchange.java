package dev.bertgen.training;

import java.util.List;

/**
 * The seam between the backward pass and the optimizer update. A training step runs
 * {@code forward; zero gradients; backward; exchange; gradient norm and clipping; update}: at the
 * exchange, the gradients of this worker's batch may be replaced by the gradients the update should
 * apply (data-parallel training replaces them by their mean over the workers). The gradient norm,
 * clipping and the non-finite check see the exchanged gradients, so every worker takes the same
 * decision and applies the same update.
 *
 * <p>{@link #LOCAL}, the default, leaves the device's gradients as backward wrote them and copies
 * nothing. Any other exchange costs one download and one upload of the gradient arena per step.
 */
@FunctionalInterface
public interface GradientExchange {

  /** A single worker: the update applies this batch's own gradients; nothing leaves the device. */
  GradientExchange LOCAL = new GradientExchange() {
    @Override
    public void exchange(float[] gradients, List<ParameterRange> ranges) {}

    @Override
    public String toString() {
      return "GradientExchange.LOCAL";
    }
  };

  /**
   * Replaces, in place, the gradients in {@code ranges} of {@code gradients} (a host copy of the
   * gradient arena, laid out as the parameter arena) with the gradients to apply. Values outside
   * {@code ranges} are ignored.
   *
   * @param ranges the ranges the optimizer updates, the same on every worker
   */
  void exchange(float[] gradients, List<ParameterRange> ranges);
}
