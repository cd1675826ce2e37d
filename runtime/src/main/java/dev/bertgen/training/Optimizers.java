package dev.bertgen.training;

/** Makes {@link Optimizer}s with keras' defaults. */
public final class Optimizers {
  private Optimizers() {}

  /** keras' {@code Adam(learning_rate)}: β1 0.9, β2 0.999, ε 1e-7. */
  public static Optimizer adam(double learningRate) {
    return new Optimizer(LearningRateSchedule.constant(learningRate), 0.9, 0.999, 1e-7, 0, 0,
        Optimizer.EpsilonPlacement.KERAS);
  }

  /** keras' {@code AdamW(learning_rate, weight_decay)}: decoupled weight decay, else Adam. */
  public static Optimizer adamW(double learningRate, double weightDecay) {
    return new Optimizer(LearningRateSchedule.constant(learningRate), 0.9, 0.999, 1e-7, weightDecay, 0,
        Optimizer.EpsilonPlacement.KERAS);
  }

  /** Adam with a schedule, e.g. {@link LearningRateSchedule#linearWarmupDecay}. */
  public static Optimizer adam(LearningRateSchedule schedule) {
    return new Optimizer(schedule, 0.9, 0.999, 1e-7, 0, 0, Optimizer.EpsilonPlacement.KERAS);
  }
}
