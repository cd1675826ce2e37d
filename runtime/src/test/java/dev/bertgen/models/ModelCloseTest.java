package dev.bertgen.models;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.bertgen.compute.ComputeDevice;
import dev.bertgen.compute.Devices;
import dev.bertgen.preprocessing.MaskedLMInputs;
import dev.bertgen.spec.BackboneConfig;
import dev.bertgen.testing.TestDevices;
import dev.bertgen.training.CompileOptions;
import dev.bertgen.training.Optimizers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link BertMaskedLM#close()} and the cleaner that frees models nobody closed. */
class ModelCloseTest {

  static List<ComputeDevice> devices() {
    return TestDevices.all();
  }

  private static MaskedLMInputs inputs() {
    return new MaskedLMInputs(ForwardPassTest.IDS, ForwardPassTest.MASK, GradientCheckTest.POSITIONS,
        ForwardPassTest.SEGMENTS);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("devices")
  void aClosedModelKeepsItsWeightsAndOptimizerAndRunsAgain(ComputeDevice device) {
    BertMaskedLM closed = ForwardPassTest.randomModel(ForwardPassTest.config(true), 7);
    BertMaskedLM open = ForwardPassTest.randomModel(ForwardPassTest.config(true), 7);
    for (BertMaskedLM m : List.of(closed, open)) {
      m.backbone().setDevice(device);
      m.setDropoutRate(0);
      m.compile(new CompileOptions(Optimizers.adam(1e-2)));
      m.trainOnBatch(inputs(), GradientCheckTest.LABELS, GradientCheckTest.WEIGHTS);
    }
    closed.close();
    Map<String, float[]> trained = open.getWeights();
    for (Map.Entry<String, float[]> e : closed.getWeights().entrySet()) {
      assertWithMessage(e.getKey()).that(e.getValue()).usingExactEquality().containsExactly(trained.get(e.getKey()))
          .inOrder();
    }
    // a second step after close uses the same weights and Adam's moments as one without it
    double a = closed.trainOnBatch(inputs(), GradientCheckTest.LABELS, GradientCheckTest.WEIGHTS).get("loss");
    double b = open.trainOnBatch(inputs(), GradientCheckTest.LABELS, GradientCheckTest.WEIGHTS).get("loss");
    assertThat(a).isEqualTo(b);
    Map<String, float[]> expected = open.getWeights();
    for (Map.Entry<String, float[]> e : closed.getWeights().entrySet()) {
      assertWithMessage(e.getKey()).that(e.getValue()).usingExactEquality().containsExactly(expected.get(e.getKey()))
          .inOrder();
    }
    closed.close();
    closed.close(); // twice is fine
  }

  /**
   * Models dropped without {@code close()} on OpenCL: their device context held its arrays (at least
   * twelve half G1 regions each) for the JVM's life before the cleaner freed it.
   */
  @Test
  void modelsNobodyClosedAreFreed() throws InterruptedException {
    List<ComputeDevice> openCl = Devices.openCl();
    assumeFalse(openCl.isEmpty(), "no OpenCL device");
    BackboneConfig c = ForwardPassTest.config(true);
    long before = usedAfterGc();
    int models = 24;
    for (int i = 0; i < models; i++) {
      BertBackbone bb = BertBackbone.create(c, i);
      bb.setDevice(openCl.get(0));
      bb.call(ForwardPassTest.IDS, ForwardPassTest.SEGMENTS, ForwardPassTest.MASK);
    }
    long grown = usedAfterGc() - before;
    long perModelAtLeast = 12L * regionBytes() / 2;
    assertWithMessage("heap grown by %s bytes after %s dropped models", grown, models)
        .that(grown).isLessThan(models * perModelAtLeast / 4);
  }

  private static long usedAfterGc() throws InterruptedException {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 10; i++) {
      System.gc();
      Thread.sleep(100); // the cleaner runs on its own thread
      Runtime r = Runtime.getRuntime();
      used = Math.min(used, r.totalMemory() - r.freeMemory());
    }
    return used;
  }

  private static long regionBytes() {
    for (var b : java.lang.management.ManagementFactory.getPlatformMXBeans(
        com.sun.management.HotSpotDiagnosticMXBean.class)) {
      return Long.parseLong(b.getVMOption("G1HeapRegionSize").getValue());
    }
    return 1L << 20;
  }
}
