package dev.bertgen.compute;

import static com.google.common.truth.Truth.assertWithMessage;

import dev.bertgen.dsl.Activation;
import dev.bertgen.spec.BackboneConfig;
import dev.bertgen.testing.ReferenceBert;
import org.junit.jupiter.api.Test;

/** The kernels' erf, GELU and tanh against float64. */
class KernelMathTest {
  private final GenericBertKernels k = new GenericBertKernels(BackboneConfig.kerasHub(10, 1, 1, 4, 8));

  @Test
  void erfWithinOneTenMillionth() {
    double worst = 0;
    double at = 0;
    for (int i = -600_000; i <= 600_000; i++) {
      float x = i * 1e-5f;
      double err = Math.abs(k.activate(x, Ops.ACT_ERF) - ReferenceBert.erf(x));
      if (err > worst) {
        worst = err;
        at = x;
      }
    }
    assertWithMessage("max |erf - reference| (at x = %s)", at).that(worst).isAtMost(1.2e-7);
  }

  @Test
  void geluFormsAndTanh() {
    double worstGelu = 0;
    double worstTanhGelu = 0;
    double worstTanh = 0;
    for (int i = -20_000; i <= 20_000; i++) {
      float x = i * 5e-4f;
      double scale = Math.max(1, Math.abs(x));
      worstGelu = Math.max(worstGelu, Math.abs(k.activate(x, Ops.ACT_GELU)
          - ReferenceBert.activate(x, Activation.GELU)) / scale);
      worstTanhGelu = Math.max(worstTanhGelu, Math.abs(k.activate(x, Ops.ACT_GELU_TANH)
          - ReferenceBert.activate(x, Activation.GELU_APPROXIMATE)) / scale);
      worstTanh = Math.max(worstTanh, Math.abs(k.activate(x, Ops.ACT_TANH) - Math.tanh(x)));
    }
    assertWithMessage("exact GELU").that(worstGelu).isAtMost(3e-7);
    assertWithMessage("tanh GELU").that(worstTanhGelu).isAtMost(3e-7);
    assertWithMessage("tanh").that(worstTanh).isAtMost(3e-7);
  }

  @Test
  void theActivationPassGivesTheBitsOfActivate() {
    // 5 rows of 43 (runs of 8 written out, then a tail of 3 through activate()), both GELU forms
    for (int act : new int[] {Ops.ACT_GELU, Ops.ACT_GELU_TANH}) {
      GenericBertKernels kernel = new GenericBertKernels(BackboneConfig.kerasHub(10, 1, 1, 4, 8));
      try (Launcher launcher = new Launcher(kernel, ComputeDevice.javaThreads(), new float[16])) {
        float[] a = launcher.activations(5 * 43);
        float[] x = new float[5 * 43];
        for (int i = 0; i < x.length; i++) {
          x[i] = (i - 100) * 0.05f;
        }
        System.arraycopy(x, 0, a, 0, x.length);
        new DeviceOps(launcher).activate(Tensor.of("y", Arena.ACTIVATIONS, 0, 5, 43), act);
        for (int i = 0; i < x.length; i++) {
          assertWithMessage("activation %s of %s", act, x[i]).that(Float.floatToIntBits(a[i]))
              .isEqualTo(Float.floatToIntBits(k.activate(x[i], act)));
        }
      }
    }
  }
}
