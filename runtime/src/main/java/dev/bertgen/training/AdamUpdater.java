package dev.bertgen.training;

import dev.bertgen.compute.Arena;
import dev.bertgen.compute.DeviceOps;
import dev.bertgen.compute.Launcher;
import dev.bertgen.compute.Tensor;
import java.util.List;

/**
 * Adam (or AdamW) on the device: Adam's two moments, zeroing the gradients before a backward pass,
 * the gradient exchange ({@link GradientExchange}), the global gradient norm, clipping and the
 * update launches. It knows the model only as parameter ranges and the gradient arena that mirrors
 * them; the task decides which ranges train, and {@link Optimizer#step} the step's coefficients
 * (learning rate from the schedule, bias corrections, weight decay, clip norm).
 */
public final class AdamUpdater {
  /** Gradient values per squared-sum work-item of the norm. */
  public static final int GRADIENT_CHUNK = 4096;

  private final Launcher launcher;
  private final DeviceOps ops;
  private final int parameters;

  /**
   * @param launcher the device context of the model (its kernel object holds the moments)
   * @param ops the typed operations of that context
   * @param parameters length of the parameter arena (and of the gradient arena)
   */
  public AdamUpdater(Launcher launcher, DeviceOps ops, int parameters) {
    this.launcher = launcher;
    this.ops = ops;
    this.parameters = parameters;
  }

  /** Number of partial sums {@link #launchGradientNorm} writes to the results buffer. */
  public int normPartials() {
    return (parameters + GRADIENT_CHUNK - 1) / GRADIENT_CHUNK;
  }

  /** {@code zero_grad}: every gradient to 0 (backward passes add into them). */
  public void zeroGradients() {
    ops.fillGradients(gradients(0, parameters));
  }

  /**
   * The seam: hands the gradients of {@code ranges} to {@code exchange}, unless it is
   * {@link GradientExchange#LOCAL} (then nothing is copied).
   */
  public void exchange(GradientExchange exchange, List<ParameterRange> ranges) {
    if (exchange == GradientExchange.LOCAL) {
      return;
    }
    float[] gradients = launcher.getGradients();
    exchange.exchange(gradients, ranges);
    launcher.putGradients();
  }

  /**
   * Launches the partial sums of squared gradients over the whole arena into the results buffer
   * from {@code offset} ({@link #normPartials} values; size the buffer before the step's first
   * launch). Variables that do not train have zero gradients, so this is the norm of the trained ones.
   */
  public void launchGradientNorm(int offset) {
    ops.squaredSums(gradients(0, parameters), GRADIENT_CHUNK,
        Tensor.of("gradient norm partials", Arena.RESULTS, offset, 1, normPartials()));
  }

  /** The global gradient norm from the downloaded results buffer. */
  public double gradientNorm(float[] results, int offset) {
    double sq = 0;
    for (int c = 0, n = normPartials(); c < n; c++) {
      sq += results[offset + c];
    }
    return Math.sqrt(sq);
  }

  /**
   * One update of the parameters in {@code ranges}, with the gradients scaled by
   * {@code clipNorm / norm} when clipping is on and the norm exceeds it.
   */
  public void update(OptimizerStep step, double norm, List<ParameterRange> ranges) {
    float clip = step.clipNorm() > 0 && norm > step.clipNorm() ? (float) (step.clipNorm() / norm) : 1f;
    for (ParameterRange range : ranges) {
      ops.adam(Tensor.of("parameters", Arena.PARAMETERS, range.offset(), 1, range.length()), step.a1(), step.a2(),
          step.beta1(), step.beta2(), step.epsilon(), step.decay(), clip);
    }
  }

  /** The gradients of {@code length} parameters from {@code offset}. */
  private static Tensor gradients(int offset, int length) {
    return Tensor.of("gradients", Arena.GRADIENTS, offset, 1, length);
  }

  /** Copies of the two moments; {@code null} before the first step (both zero). */
  public float[][] moments() {
    return launcher.getMoments(parameters);
  }

  /** Replaces both moments (each as long as the parameter arena). */
  public void setMoments(float[] first, float[] second) {
    if (first.length != parameters || second.length != parameters) {
      throw new IllegalArgumentException("Adam's moments need " + parameters + " values each, got "
          + first.length + " and " + second.length);
    }
    launcher.putMoments(first, second);
  }

  /** Both moments back to zero: a fresh optimizer. */
  public void reset() {
    launcher.resetOptimizer();
  }
}
