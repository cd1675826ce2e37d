package dev.bertgen.training;

/**
 * What one batch gave.
 *
 * @param lossSum Σ weight·cross-entropy over the batch's mask slots
 * @param correctSum Σ weight·[argmax = label]
 * @param weightSum Σ weight
 * @param slots number of mask slots (batch × slots), keras' "sum over batch size" denominator
 * @param gradientNorm global gradient norm before clipping, or NaN when not computed
 */
public record StepResult(double lossSum, double correctSum, double weightSum, int slots, double gradientNorm) {

  /** keras' loss: Σ weight·CE / (batch × slots). */
  public double loss() {
    return lossSum / slots;
  }

  /**
   * For a training step: true when the loss or the gradient norm is NaN or infinite (training has
   * diverged; BertGen then does not apply the update unless asked to).
   */
  public boolean nonFinite() {
    return !Double.isFinite(lossSum) || !Double.isFinite(gradientNorm);
  }

  /** Weighted sparse categorical accuracy, Σ w·correct / Σ w (0 when all weights are 0). */
  public double accuracy() {
    return weightSum == 0 ? 0 : correctSum / weightSum;
  }
}
