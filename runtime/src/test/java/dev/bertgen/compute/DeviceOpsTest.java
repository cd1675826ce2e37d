package dev.bertgen.compute;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.bertgen.spec.BackboneConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link DeviceOps} refuses operands in an array its operation does not read (or write), or shaped so
 * that the product's sizes do not fit, with a message naming the operation, the tensor and the array,
 * and launches nothing then.
 */
class DeviceOpsTest {
  private static final int H = 4;
  private static final int TOKENS = 3;

  private Launcher launcher;
  private DeviceOps ops;

  @BeforeEach
  void setUp() {
    launcher = new Launcher(new GenericBertKernels(BackboneConfig.kerasHub(10, 1, 1, H, 8)),
        ComputeDevice.javaThreads(), new float[256]);
    ops = new DeviceOps(launcher);
  }

  @AfterEach
  void tearDown() {
    launcher.close();
  }

  private static Tensor activations(String name, int rows, int cols) {
    return Tensor.of(name, Arena.ACTIVATIONS, 0, rows, cols);
  }

  private static Tensor parameters(String name, int rows, int cols) {
    return Tensor.of(name, Arena.PARAMETERS, 0, rows, cols);
  }

  private IllegalArgumentException refused(Runnable call) {
    long before = launcher.launches();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
    assertThat(launcher.launches()).isEqualTo(before);
    return e;
  }

  @Test
  void theQkvProductRefusesXOutsideTheActivations() {
    Tensor x = Tensor.of("keysT", Arena.QKV, 0, TOKENS, H);
    IllegalArgumentException e = refused(() -> ops.denseQkv(x, parameters("kernel", H, H),
        parameters("bias", 1, 3 * H), Tensor.of("qkv", Arena.QKV, 0, TOKENS, 3 * H)));
    assertThat(e).hasMessageThat().isEqualTo("DENSE_QKV reads X from [a] activations, but tensor keysT is in "
        + "[q] query/key/value; pass a tensor of [a] activations");
  }

  @Test
  void theQkvProductRefusesWOutsideTheParametersAndYOutsideItsArray() {
    Tensor x = activations("hiddenStates", TOKENS, H);
    assertThat(refused(() -> ops.denseQkv(x, activations("kernel", H, H), parameters("bias", 1, 3 * H),
        Tensor.of("qkv", Arena.QKV, 0, TOKENS, 3 * H)))).hasMessageThat()
        .contains("DENSE_QKV reads W from [p] parameters, but tensor kernel is in [a] activations");
    assertThat(refused(() -> ops.denseQkv(x, parameters("kernel", H, H), parameters("bias", 1, 3 * H),
        activations("qkv", TOKENS, 3 * H)))).hasMessageThat()
        .contains("DENSE_QKV writes Y to [q] query/key/value, but tensor qkv is in [a] activations");
  }

  @Test
  void fixedShapeProductsWriteTheirArrayFromOffsetZero() {
    Tensor y = Tensor.of("dense", Arena.DENSE, 8, TOKENS, H);
    assertThat(refused(() -> ops.denseHidden(activations("context", TOKENS, H), parameters("kernel", H, H),
        null, y, Ops.ACT_NONE))).hasMessageThat().contains("DENSE_HIDDEN: writes its own array from offset 0");
  }

  @Test
  void productsRefuseShapesThatDoNotFit() {
    assertThat(refused(() -> ops.denseHidden(activations("context", TOKENS, H), parameters("kernel", H + 1, H),
        null, Tensor.of("dense", Arena.DENSE, 0, TOKENS, H), Ops.ACT_NONE))).hasMessageThat()
        .contains("DENSE_HIDDEN: shapes do not fit");
    assertThat(refused(() -> ops.dense(activations("x", TOKENS, H), parameters("kernel", H, H),
        parameters("bias", 1, H + 1), activations("y", TOKENS, H), Ops.ACT_NONE))).hasMessageThat()
        .contains("needs one value per column");
  }

  @Test
  void layerNormReadsXFromActivationsOrDenseOnly() {
    assertThat(refused(() -> ops.layerNorm(parameters("x", TOKENS, H), null, activations("y", TOKENS, H),
        parameters("gamma", 1, H), 1e-12f))).hasMessageThat().contains("LayerNorm reads x from [a] activations "
        + "or [d] dense output");
    assertThat(refused(() -> ops.layerNorm(activations("x", TOKENS, H), activations("residual", TOKENS, H),
        activations("y", TOKENS, H), parameters("gamma", 1, H), 1e-12f))).hasMessageThat()
        .contains("ADD_LAYER_NORM reads the residual from [d] dense output, but tensor residual is in [a]");
  }

  @Test
  void copiesAndTransposesRefuseArraysNoOperationReads() {
    assertThat(refused(() -> ops.copy(parameters("kernel", H, H), activations("saved", H, H))))
        .hasMessageThat().contains("tensor kernel in [p] parameters: no operation does that");
    assertThat(refused(() -> ops.transpose(Tensor.of("logits", Arena.LOGITS, 0, H, H).single(),
        activations("t", H, H).single()))).hasMessageThat().contains("transposes read");
    assertThat(refused(() -> ops.columnSums(activations("dY", TOKENS, H), parameters("bias", 1, H))))
        .hasMessageThat().contains("COLUMN_SUMS writes to [gr] gradients, but tensor bias is in [p]");
  }

  @Test
  void operandsInTheRightArraysLaunch() {
    launcher.activations(64);
    ops.fill(activations("x", TOKENS, H), 2f);
    ops.add(activations("x", TOKENS, H), activations("x", TOKENS, H), Tensor.of("y", Arena.ACTIVATIONS, 16,
        TOKENS, H));
    assertThat(launcher.launches()).isEqualTo(2);
  }
}
