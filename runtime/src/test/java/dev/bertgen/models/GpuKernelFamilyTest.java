package dev.bertgen.models;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bertgen.compute.ComputeDevice;
import dev.bertgen.compute.DeviceException;
import dev.bertgen.compute.DeviceOps;
import dev.bertgen.compute.Devices;
import dev.bertgen.compute.KernelFamily;
import dev.bertgen.preprocessing.MaskedLMInputs;
import dev.bertgen.spec.BackboneConfig;
import dev.bertgen.testing.ReferenceBert;
import dev.bertgen.testing.TestDevices;
import dev.bertgen.training.CompileOptions;
import dev.bertgen.training.Optimizers;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The GPU kernel family (products as tiles through local memory, with barriers) on the OpenCL CPU: both tile
 * shapes, forced, against the float64 reference, and a training step equal to the CPU family's. Sizes that
 * are multiples of nothing (hidden 18, heads of 6, intermediate 40, vocabulary 53, 11 tokens) put every
 * product at a tile's edge. Every other device test runs the family too ({@link TestDevices#all}), in the
 * shape the device's size picks.
 */
@Tag("devices")
class GpuKernelFamilyTest {

  @ParameterizedTest(name = "tile shape {0}")
  @ValueSource(strings = {"large", "small"})
  void bothTileShapesMatchTheReferenceAndTrainAsTheCpuFamily(String shape) {
    ComputeDevice cpu = TestDevices.openClCpu();
    assumeTrue(cpu != null, "no OpenCL CPU device (PoCL) here");
    String before = System.getProperty(DeviceOps.TILE_PROPERTY);
    System.setProperty(DeviceOps.TILE_PROPERTY, shape);
    try {
      BackboneConfig c = ForwardPassTest.config(true);
      BertMaskedLM gpu = ForwardPassTest.randomModel(c, 11);
      gpu.backbone().setDevice(cpu.withKernels(KernelFamily.GPU));
      ReferenceBert ref = new ReferenceBert(c, gpu.getWeights());
      double[][][] seq = ref.sequenceOutput(ForwardPassTest.IDS, ForwardPassTest.SEGMENTS, ForwardPassTest.MASK);
      BackboneOutputs out = gpu.backbone().call(ForwardPassTest.IDS, ForwardPassTest.SEGMENTS, ForwardPassTest.MASK);
      assertThat(gpu.backbone().device().family()).isEqualTo(KernelFamily.GPU);
      assertWithMessage("sequence_output").that(ReferenceBert.relativeError(out.sequenceOutput(), seq))
          .isAtMost(1e-5);
      MaskedLMInputs x = new MaskedLMInputs(ForwardPassTest.IDS, ForwardPassTest.MASK, ForwardPassTest.POSITIONS,
          ForwardPassTest.SEGMENTS);
      assertWithMessage("logits").that(ReferenceBert.relativeError(gpu.predict(x),
          ref.logits(seq, ForwardPassTest.POSITIONS))).isAtMost(1e-5);

      // one Adam step, dropout off, from the same weights: the families agree to float rounding
      BertMaskedLM cpuFamily = ForwardPassTest.randomModel(c, 11);
      cpuFamily.backbone().setDevice(cpu);
      int[][] labels = {{5, 9, 0, 3}, {17, 0, 0, 0}, {1, 2, 3, 4}};
      float[][] weights = {{1, 1, 0, 1}, {1, 0, 0, 0}, {1, 1, 1, 1}};
      double lossGpu = step(gpu, x, labels, weights);
      double lossCpu = step(cpuFamily, x, labels, weights);
      assertThat(lossGpu).isWithin(1e-5 * Math.abs(lossCpu)).of(lossCpu);
      Map<String, float[]> a = gpu.getWeights();
      Map<String, float[]> b = cpuFamily.getWeights();
      for (String name : b.keySet()) {
        float[] u = a.get(name);
        float[] v = b.get(name);
        for (int i = 0; i < v.length; i++) {
          assertWithMessage("%s[%s] after one step", name, i).that((double) u[i]).isWithin(2e-5).of(v[i]);
        }
      }
      gpu.close();
      cpuFamily.close();
    } finally {
      if (before == null) {
        System.clearProperty(DeviceOps.TILE_PROPERTY);
      } else {
        System.setProperty(DeviceOps.TILE_PROPERTY, before);
      }
    }
  }

  private static double step(BertMaskedLM mlm, MaskedLMInputs x, int[][] labels, float[][] weights) {
    mlm.setDropoutRate(0);
    mlm.compile(new CompileOptions(Optimizers.adam(1e-3)));
    return mlm.trainOnBatch(x, labels, weights).get("loss");
  }

  @Test
  void javaThreadsRefuseTheGpuFamily() {
    DeviceException e = assertThrows(DeviceException.class,
        () -> ComputeDevice.javaThreads().withKernels(KernelFamily.GPU));
    assertThat(e).hasMessageThat().contains("Java threads run the CPU family only");
  }

  @Test
  void badFamilyAndTileSettingsNameTheValuesTheyTake() {
    String before = System.getProperty(KernelFamily.PROPERTY);
    try {
      System.setProperty(KernelFamily.PROPERTY, "fast");
      DeviceException e = assertThrows(DeviceException.class,
          () -> Devices.withRequestedKernels(ComputeDevice.javaThreads()));
      assertThat(e).hasMessageThat().isEqualTo("-Dbertgen.kernels=fast is not a kernel family; use cpu, gpu or auto");
      System.setProperty(KernelFamily.PROPERTY, "gpu");
      e = assertThrows(DeviceException.class, () -> Devices.withRequestedKernels(ComputeDevice.javaThreads()));
      assertThat(e).hasMessageThat().contains("Java threads run the CPU family only");
      System.setProperty(KernelFamily.PROPERTY, "auto");
      assertThat(Devices.withRequestedKernels(ComputeDevice.javaThreads()).family()).isEqualTo(KernelFamily.CPU);
    } finally {
      if (before == null) {
        System.clearProperty(KernelFamily.PROPERTY);
      } else {
        System.setProperty(KernelFamily.PROPERTY, before);
      }
    }
    ComputeDevice cpu = TestDevices.openClCpu();
    assumeTrue(cpu != null, "no OpenCL CPU device (PoCL) here");
    String tile = System.getProperty(DeviceOps.TILE_PROPERTY);
    System.setProperty(DeviceOps.TILE_PROPERTY, "huge");
    try {
      BertMaskedLM mlm = ForwardPassTest.randomModel(ForwardPassTest.config(true), 3);
      mlm.backbone().setDevice(cpu.withKernels(KernelFamily.GPU));
      DeviceException e = assertThrows(DeviceException.class, () -> mlm.backbone().call(ForwardPassTest.IDS,
          ForwardPassTest.SEGMENTS, ForwardPassTest.MASK));
      assertThat(e).hasMessageThat().isEqualTo("-Dbertgen.gpuTile=huge is not a tile shape; use large, small or auto");
      mlm.close();
    } finally {
      if (tile == null) {
        System.clearProperty(DeviceOps.TILE_PROPERTY);
      } else {
        System.setProperty(DeviceOps.TILE_PROPERTY, tile);
      }
    }
  }

  @Test
  void devicesNameTheirFamilyWhenItIsNotTheDefault() {
    ComputeDevice cpu = TestDevices.openClCpu();
    assumeTrue(cpu != null, "no OpenCL CPU device (PoCL) here");
    assertThat(cpu.family()).isEqualTo(KernelFamily.CPU);
    assertThat(cpu.toString()).doesNotContain("kernels]");
    assertThat(cpu.withKernels(KernelFamily.GPU).toString()).endsWith("[gpu kernels]");
  }
}
