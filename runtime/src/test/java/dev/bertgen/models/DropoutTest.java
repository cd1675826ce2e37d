package dev.bertgen.models;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import dev.bertgen.compute.ComputeDevice;
import dev.bertgen.layers.Dropout;
import dev.bertgen.layers.ModelWeights;
import dev.bertgen.layers.Variable;
import dev.bertgen.preprocessing.MaskedLMInputs;
import dev.bertgen.spec.BackboneConfig;
import dev.bertgen.testing.TestDevices;
import dev.bertgen.training.GradientExchange;
import dev.bertgen.training.OptimizerStep;
import dev.bertgen.training.ParameterRange;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Dropout in training: a mask fixed by (seed, step), the same in the forward and the backward pass
 * (the gradient is the derivative of the loss with that mask), and absent from evaluation.
 */
@Tag("devices")
class DropoutTest {
  private static final Dropout DROPOUT = new Dropout(0.3f, 12345, 7);

  static List<ComputeDevice> devices() {
    return TestDevices.all();
  }

  private static MaskedLMInputs inputs() {
    return new MaskedLMInputs(ForwardPassTest.IDS, ForwardPassTest.MASK, GradientCheckTest.POSITIONS,
        ForwardPassTest.SEGMENTS);
  }

  private static double loss(BertMaskedLM mlm, Dropout d) {
    return mlm.onDevice().step(inputs(), GradientCheckTest.LABELS, GradientCheckTest.WEIGHTS, d, true,
        null, List.of(), false, GradientExchange.LOCAL).loss();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("devices")
  void maskIsKeyedBySeedAndStepAndOffInEvaluation(ComputeDevice device) {
    BertMaskedLM mlm = ForwardPassTest.randomModel(ForwardPassTest.config(true), 41);
    mlm.backbone().setDevice(device);
    double none = loss(mlm, Dropout.NONE);
    double a = loss(mlm, DROPOUT);
    assertThat(loss(mlm, DROPOUT)).isEqualTo(a);
    assertThat(a).isNotWithin(1e-3).of(none);
    assertThat(loss(mlm, new Dropout(0.3f, 12345, 8))).isNotWithin(1e-4).of(a);
    assertThat(loss(mlm, new Dropout(0.3f, 12346, 7))).isNotWithin(1e-4).of(a);
    mlm.setDropoutRate(0.5);
    assertThat(mlm.testOnBatch(inputs(), GradientCheckTest.LABELS, GradientCheckTest.WEIGHTS).get("loss"))
        .isWithin(1e-12).of(none);
  }

  /**
   * Central differences of the device's own float32 loss with the dropout mask held fixed, against
   * the backward pass with that mask, for the largest gradient elements of every variable.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("devices")
  void backwardAppliesTheForwardMask(ComputeDevice device) {
    BackboneConfig c = ForwardPassTest.config(true);
    BertMaskedLM mlm = ForwardPassTest.randomModel(c, 43);
    mlm.backbone().setDevice(device);
    BackboneRunner runner = mlm.backbone().onDevice();
    int params = mlm.state().weights().layout().size();
    mlm.onDevice().step(inputs(), GradientCheckTest.LABELS, GradientCheckTest.WEIGHTS, DROPOUT, true,
        new OptimizerStep(0f, 1f, 0.9f, 0.999f, 1e-7f, 0f, 0f), ParameterRange.all(params), false,
        GradientExchange.LOCAL);
    float[] grad = runner.gradients();
    ModelWeights w = mlm.state().weights();
    double worst = 0;
    String worstAt = "";
    int checked = 0;
    for (Variable v : w.layout().variables()) {
      if (v.path().startsWith("pooled_dense/")) {
        continue;
      }
      int[] top = largest(grad, v.offset(), v.size(), 2);
      for (int i : top) {
        double analytic = grad[v.offset() + i];
        if (Math.abs(analytic) < 5e-3) {
          continue;
        }
        float[] values = w.get(v.path());
        float original = values[i];
        float h = 1e-2f * Math.max(1f, Math.abs(original));
        values[i] = original + h;
        w.set(v.path(), values);
        runner.parametersChanged();
        double up = loss(mlm, DROPOUT);
        values[i] = original - h;
        w.set(v.path(), values);
        runner.parametersChanged();
        double down = loss(mlm, DROPOUT);
        values[i] = original;
        w.set(v.path(), values);
        runner.parametersChanged();
        double numeric = (up - down) / ((double) (original + h) - (original - h));
        double err = Math.abs(analytic - numeric) / Math.abs(analytic);
        checked++;
        if (err > worst) {
          worst = err;
          worstAt = v.path() + "[" + i + "] analytic " + analytic + " numeric " + numeric;
        }
      }
    }
    assertThat(checked).isAtLeast(20);
    assertWithMessage("worst relative error at %s", worstAt).that(worst).isAtMost(3e-2);
  }

  private static int[] largest(float[] g, int offset, int size, int k) {
    int[] best = new int[Math.min(k, size)];
    java.util.Arrays.fill(best, -1);
    for (int i = 0; i < size; i++) {
      float a = Math.abs(g[offset + i]);
      for (int j = 0; j < best.length; j++) {
        if (best[j] < 0 || a > Math.abs(g[offset + best[j]])) {
          System.arraycopy(best, j, best, j + 1, best.length - j - 1);
          best[j] = i;
          break;
        }
      }
    }
    return best;
  }
}
