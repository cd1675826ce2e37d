package dev.bertgen.training;

/**
 * The learning rate as a function of the optimizer step (1 for the first update), as keras'
 * {@code LearningRateSchedule}s give it.
 */
@FunctionalInterface
public interface LearningRateSchedule {

  /** The rate for update number {@code step} (from 1). */
  double at(long step);

  /** A constant rate. */
  static LearningRateSchedule constant(double rate) {
    requirePositive(rate, "learning rate");
    return step -> rate;
  }

  /**
   * BERT pre-training's schedule: linear warm-up from 0 to {@code peak} over {@code warmupSteps},
   * then linear decay to 0 at {@code totalSteps} (and 0 after).
   */
  static LearningRateSchedule linearWarmupDecay(double peak, long warmupSteps, long totalSteps) {
    requirePositive(peak, "peak learning rate");
    if (warmupSteps < 0 || totalSteps <= warmupSteps) {
      throw new IllegalArgumentException("need 0 <= warmupSteps < totalSteps, got warmupSteps " + warmupSteps
          + " and totalSteps " + totalSteps);
    }
    return step -> {
      if (step <= warmupSteps) {
        return peak * step / Math.max(1, warmupSteps);
      }
      return peak * Math.max(0.0, (double) (totalSteps - step) / (totalSteps - warmupSteps));
    };
  }

  private static void requirePositive(double rate, String what) {
    if (!(rate > 0) || Double.isInfinite(rate)) {
      throw new IllegalArgumentException(what + " must be a positive number, got " + rate
          + "; BERT fine-tuning uses 2e-5 to 5e-5, pre-training about 1e-4");
    }
  }
}
