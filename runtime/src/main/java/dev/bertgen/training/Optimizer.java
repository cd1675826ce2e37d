package dev.bertgen.training;

import java.util.Objects;

/**
 * Adam or AdamW with Keras' semantics (defaults β1 0.9, β2 0.999, ε 1e-7; the learning rate applied
 * as keras applies it), a learning-rate schedule, and optional global-norm gradient clipping. Made
 * by {@link Optimizers}.
 *
 * @param weightDecay decoupled weight decay (AdamW); 0 for Adam
 * @param clipNorm global-norm clipping threshold; 0 for none
 * @param epsilonPlacement where ε enters: after the bias-corrected step size (Keras) or added to
 *     the bias-corrected √v (PyTorch's {@code torch.optim.Adam})
 */
public record Optimizer(LearningRateSchedule learningRate, double beta1, double beta2, double epsilon,
    double weightDecay, double clipNorm, EpsilonPlacement epsilonPlacement) {

  /** Where Adam's epsilon is added. */
  public enum EpsilonPlacement {
    /** {@code p -= lr·√(1−β2ᵗ)/(1−β1ᵗ) · m / (√v + ε)}. */
    KERAS,
    /** {@code p -= lr/(1−β1ᵗ) · m / (√v/√(1−β2ᵗ) + ε)}. */
    PYTORCH
  }

  public Optimizer {
    Objects.requireNonNull(learningRate, "learningRate");
    Objects.requireNonNull(epsilonPlacement, "epsilonPlacement");
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
      throw new IllegalArgumentException("Adam's betas must be in [0, 1), got " + beta1 + " and " + beta2);
    }
    if (!(epsilon > 0)) {
      throw new IllegalArgumentException("Adam's epsilon must be positive, got " + epsilon);
    }
    if (!(weightDecay >= 0)) {
      throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
    }
    if (!(clipNorm >= 0)) {
      throw new IllegalArgumentException("clipNorm must be >= 0 (0 for no clipping), got " + clipNorm);
    }
  }

  public Optimizer withEpsilon(double value) {
    return new Optimizer(learningRate, beta1, beta2, value, weightDecay, clipNorm, epsilonPlacement);
  }

  public Optimizer withBetas(double b1, double b2) {
    return new Optimizer(learningRate, b1, b2, epsilon, weightDecay, clipNorm, epsilonPlacement);
  }

  /** Clips gradients to this global norm (keras' {@code global_clipnorm}). */
  public Optimizer withClipNorm(double value) {
    return new Optimizer(learningRate, beta1, beta2, epsilon, weightDecay, value, epsilonPlacement);
  }

  public Optimizer withSchedule(LearningRateSchedule value) {
    return new Optimizer(value, beta1, beta2, epsilon, weightDecay, clipNorm, epsilonPlacement);
  }

  /** PyTorch's epsilon placement ({@code torch.optim.Adam}), for Hugging Face training recipes. */
  public Optimizer withPyTorchEpsilon() {
    return new Optimizer(learningRate, beta1, beta2, epsilon, weightDecay, clipNorm, EpsilonPlacement.PYTORCH);
  }

  /** The device coefficients of update number {@code step} (from 1). */
  public OptimizerStep step(long step) {
    double lr = learningRate.at(step);
    double bc1 = 1 - Math.pow(beta1, step);
    double bc2 = 1 - Math.pow(beta2, step);
    double a1 = epsilonPlacement == EpsilonPlacement.KERAS ? lr * Math.sqrt(bc2) / bc1 : lr / bc1;
    double a2 = epsilonPlacement == EpsilonPlacement.KERAS ? 1 : 1 / Math.sqrt(bc2);
    return new OptimizerStep((float) a1, (float) a2, (float) beta1, (float) beta2, (float) epsilon,
        (float) (lr * weightDecay), (float) clipNorm);
  }
}
