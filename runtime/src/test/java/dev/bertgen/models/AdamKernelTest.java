package dev.bertgen.models;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import dev.bertgen.compute.ComputeDevice;
import dev.bertgen.layers.Variable;
import dev.bertgen.preprocessing.MaskedLMInputs;
import dev.bertgen.testing.TestDevices;
import dev.bertgen.training.CompileOptions;
import dev.bertgen.training.Optimizer;
import dev.bertgen.training.Optimizers;
import dev.bertgen.training.StepResult;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The device's optimizer update against keras' AdamW formula in float64, over two steps (moments
 * kept on the device), with global-norm clipping active.
 */
@Tag("devices")
class AdamKernelTest {

  static List<ComputeDevice> devices() {
    return TestDevices.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("devices")
  void adamWWithClippingMatchesKerasFormula(ComputeDevice device) {
    BertMaskedLM mlm = ForwardPassTest.randomModel(ForwardPassTest.config(true), 51);
    mlm.backbone().setDevice(device);
    double lr = 1e-2;
    double wd = 0.1;
    double clip = 0.05;
    Optimizer o = Optimizers.adamW(lr, wd).withClipNorm(clip);
    mlm.compile(new CompileOptions(o));
    mlm.setDropoutRate(0);
    MaskedLMInputs x = new MaskedLMInputs(ForwardPassTest.IDS, ForwardPassTest.MASK, GradientCheckTest.POSITIONS,
        ForwardPassTest.SEGMENTS);
    float[] p = mlm.state().weights().arena().clone();
    int n = mlm.state().weights().layout().size();
    double[] m = new double[n];
    double[] v = new double[n];
    boolean[] trains = new boolean[n];
    for (Variable var : mlm.state().weights().layout().variables()) {
      for (int i = 0; i < var.size(); i++) {
        trains[var.offset() + i] = !var.path().startsWith("pooled_dense/");
      }
    }
    double[] expected = new double[n];
    for (int i = 0; i < n; i++) {
      expected[i] = p[i];
    }
    for (int step = 1; step <= 2; step++) {
      StepResult r = mlm.trainStep(x, GradientCheckTest.LABELS, GradientCheckTest.WEIGHTS);
      float[] g = mlm.backbone().onDevice().gradients();
      double norm = 0;
      for (int i = 0; i < n; i++) {
        norm += (double) g[i] * g[i];
      }
      norm = Math.sqrt(norm);
      assertThat(r.gradientNorm()).isWithin(1e-5 * norm).of(norm);
      assertWithMessage("the test needs clipping to be active").that(norm).isGreaterThan(clip);
      double c = clip / norm;
      double a1 = lr * Math.sqrt(1 - Math.pow(0.999, step)) / (1 - Math.pow(0.9, step));
      for (int i = 0; i < n; i++) {
        if (!trains[i]) {
          continue;
        }
        double gi = c * g[i];
        m[i] = 0.9 * m[i] + 0.1 * gi;
        v[i] = 0.999 * v[i] + 0.001 * gi * gi;
        expected[i] -= lr * wd * expected[i];
        expected[i] -= a1 * m[i] / (Math.sqrt(v[i]) + 1e-7);
      }
      mlm.getWeights(); // brings the device's parameters back to the host arena
      float[] got = mlm.state().weights().arena();
      double worst = 0;
      int worstAt = -1;
      for (int i = 0; i < n; i++) {
        double err = Math.abs(got[i] - expected[i]);
        if (err > worst) {
          worst = err;
          worstAt = i;
        }
      }
      assertWithMessage("step %s: worst absolute error at arena[%s]: got %s, expected %s", step, worstAt,
          worstAt < 0 ? 0 : got[worstAt], worstAt < 0 ? 0 : expected[worstAt]).that(worst).isAtMost(2e-6);
      // The next step's gradients come from the updated float parameters.
      for (int i = 0; i < n; i++) {
        expected[i] = got[i];
      }
    }
  }
}
