package dev.bertgen.compute;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.bertgen.spec.BackboneConfig;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * On Java threads the matrix products run as {@link JavaProducts}: every kind of product, with sizes that
 * are multiples of nothing, column groups, batches, a strip boundary and a bias, gives bit for bit what
 * the kernel code ({@code gemm}, {@code gemmTransposedX}) gives run work-item by work-item.
 */
class JavaThreadsTest {
  private GenericBertKernels kernel;
  private Launcher launcher;
  private DeviceOps ops;

  @BeforeEach
  void setUp() {
    // hidden 40: the depth the kernel code uses for the query/key/value and logits products
    kernel = new GenericBertKernels(BackboneConfig.kerasHub(10, 1, 1, 40, 24));
    float[] parameters = new float[100_000];
    launcher = new Launcher(kernel, ComputeDevice.javaThreads(), parameters);
    launcher.activations(60_000);
    launcher.productOutputs(5_000, 5_000, 5_000, 20_000);
    launcher.trainingArenas(0);
    ops = new DeviceOps(launcher);
  }

  @AfterEach
  void tearDown() {
    launcher.close();
  }

  /** Fills every array with random values, runs {@code launch}, then the kernel code on the same arguments. */
  private void assertSameAsKernelCode(Runnable launch, String output) {
    SplittableRandom random = new SplittableRandom(7);
    for (float[] a : new float[][] {kernel.parameters, kernel.activations, kernel.qkv, kernel.feedForward,
        kernel.dense, kernel.logits, kernel.gradients}) {
      for (int i = 0; i < a.length; i++) {
        a[i] = (float) (random.nextDouble() * 2 - 1);
      }
    }
    float[] out = switch (output) {
      case "activations" -> kernel.activations;
      case "qkv" -> kernel.qkv;
      case "logits" -> kernel.logits;
      default -> kernel.gradients;
    };
    float[] before = out.clone();
    launch.run();
    float[] products = out.clone();
    assertThat(Arrays.equals(products, before)).isFalse();
    System.arraycopy(before, 0, out, 0, out.length);
    JavaThreads.items(kernel, kernel.count); // the kernel's own run(), per work-item
    float[] kernelCode = out.clone();
    int differ = 0;
    for (int i = 0; i < out.length; i++) {
      if (Float.floatToIntBits(products[i]) != Float.floatToIntBits(kernelCode[i])) {
        differ++;
      }
    }
    assertThat(differ).isEqualTo(0);
  }

  private static Tensor a(int offset, int rows, int cols) {
    return Tensor.of("a" + offset, Arena.ACTIVATIONS, offset, rows, cols);
  }

  private static Tensor p(int offset, int rows, int cols) {
    return Tensor.of("p" + offset, Arena.PARAMETERS, offset, rows, cols);
  }

  @Test
  void denseWithBiasAcrossAStripBoundary() {
    // 37 rows (no multiple of 8 or 16), 600 columns (a strip of 512 and one of 88), depth 40 (hidden)
    assertSameAsKernelCode(() -> ops.dense(a(0, 37, 40), p(0, 40, 600), p(30_000, 1, 600), a(10_000, 37, 600),
        Ops.ACT_NONE), "activations");
  }

  @Test
  void queryKeyValueWithColumnGroups() {
    // three groups of 40 columns, 1,600 apart in the parameters; depth 40; 19 tokens
    Tensor query = p(0, 40, 40);
    assertSameAsKernelCode(() -> ops.denseQkv(a(0, 19, 40), query, p(10_000, 1, 120),
        Tensor.of("qkv", Arena.QKV, 0, 19, 120)), "qkv");
  }

  @Test
  void batchedProductsWithAScale() {
    // 2 × 3 matrices X (5 × 7) · W (7 × 9), scaled by 0.3
    Slices x = a(0, 5, 7).batch(2, 3, 200, 40);
    Slices w = a(1_000, 7, 9).batch(2, 3, 300, 70);
    Slices y = a(3_000, 5, 9).batch(2, 3, 300, 50);
    assertSameAsKernelCode(() -> ops.matmul(x, w, y, 0.3f), "activations");
  }

  @Test
  void transposedXFromTheParameters() {
    // X stored 11 × 13 (K × M), W 11 × 6, two of each
    Slices x = a(0, 11, 13).batch(1, 2, 0, 150);
    Slices w = p(0, 11, 6).batch(1, 2, 0, 70);
    Slices y = a(2_000, 13, 6).batch(1, 2, 0, 80);
    assertSameAsKernelCode(() -> ops.transposedXProduct(x, w, y), "activations");
  }

  @Test
  void weightGradientsIntoTheGradientArena() {
    // dW (10 × 530) = X^T (X: 21 × 10) · dY (21 × 530)
    assertSameAsKernelCode(() -> ops.weightGradient(a(0, 21, 10).single(), a(1_000, 21, 530).single(),
        Tensor.of("dw", Arena.GRADIENTS, 100, 10, 530).single()), "gradients");
  }

  @Test
  void logitsAgainstATableInTheActivations() {
    assertSameAsKernelCode(() -> ops.logits(a(0, 9, 40), a(1_000, 40, 1_000), p(0, 1, 1_000),
        Tensor.of("logits", Arena.LOGITS, 0, 9, 1_000)), "logits");
  }

  @Test
  void aFailureInAnyRangeReachesTheCallerAndThePoolStaysUsable() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> JavaThreads.parallel(1_000,
        (from, to) -> {
          if (from == 0) {
            throw new IllegalStateException("range 0 failed");
          }
        }));
    assertThat(e).hasMessageThat().isEqualTo("range 0 failed");
    AtomicInteger sum = new AtomicInteger();
    JavaThreads.parallel(1_000, (from, to) -> sum.addAndGet(to - from));
    assertThat(sum.get()).isEqualTo(1_000);
  }
}
