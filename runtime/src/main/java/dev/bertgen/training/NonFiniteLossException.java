package dev.bertgen.training;

import java.util.Locale;

/**
 * A training step whose loss or gradient norm is not a finite number (NaN or infinite): training has
 * diverged. BertGen checks before the optimizer runs, so the model's weights and the optimizer's
 * state are those from before the batch, and no checkpoint holds the bad values (keras'
 * {@code TerminateOnNaN}, which stops {@code fit} at the first NaN loss; here it also stops
 * {@code trainOnBatch}, and {@code fit} throws so that the caller cannot miss it).
 */
public class NonFiniteLossException extends ArithmeticException {
  private static final long serialVersionUID = 1L;

  private final long update;
  private final int epoch;
  private final int step;
  private final double loss;
  private final double gradientNorm;
  private final double learningRate;

  /**
   * @param update the optimizer update the batch would have been (from 1)
   * @param epoch the epoch (0-based), or -1 outside {@code fit}
   * @param step the batch within the epoch (0-based), or -1 outside {@code fit}
   * @param loss the batch's loss
   * @param gradientNorm the global gradient norm, NaN when not computed
   * @param learningRate the learning rate of that update
   */
  public NonFiniteLossException(long update, int epoch, int step, double loss, double gradientNorm,
      double learningRate) {
    super(message(update, epoch, step, loss, gradientNorm, learningRate));
    this.update = update;
    this.epoch = epoch;
    this.step = step;
    this.loss = loss;
    this.gradientNorm = gradientNorm;
    this.learningRate = learningRate;
  }

  private static String message(long update, int epoch, int step, double loss, double norm, double lr) {
    String where = epoch < 0 ? "update " + update
        : "epoch " + (epoch + 1) + ", batch " + (step + 1) + " (update " + update + ")";
    return String.format(Locale.ROOT, "training diverged at %s: loss %s, gradient norm %s; the update was not "
        + "applied, so the weights and optimizer state are those from before this batch. Lower the learning "
        + "rate (it was %.3g) or clip the gradients (Optimizer.withClipNorm(1.0))", where, loss, norm, lr);
  }

  /** The same failure, placed at {@code epoch} and {@code step} of {@code fit}. */
  public NonFiniteLossException at(int epoch, int step) {
    return new NonFiniteLossException(update, epoch, step, loss, gradientNorm, learningRate);
  }

  /** The optimizer update that was refused (from 1). */
  public long update() {
    return update;
  }

  /** The epoch (0-based), or -1 outside {@code fit}. */
  public int epoch() {
    return epoch;
  }

  /** The batch within the epoch (0-based), or -1 outside {@code fit}. */
  public int step() {
    return step;
  }

  public double loss() {
    return loss;
  }

  /** The global gradient norm before clipping; NaN when it was not computed. */
  public double gradientNorm() {
    return gradientNorm;
  }

  /** The learning rate the refused update would have used. */
  public double learningRate() {
    return learningRate;
  }
}
