package dev.bertgen.compute;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bertgen.spec.BackboneConfig;
import dev.bertgen.testing.TestDevices;
import org.junit.jupiter.api.Test;

/** Device selection and the no-silent-fallback rule. */
@org.junit.jupiter.api.Tag("devices")
class DevicesTest {

  /** A kernel Aparapi cannot translate to OpenCL (it uses {@code break}): it falls back to Java. */
  static final class UntranslatableKernels extends BertKernels {
    @Override
    public void run() {
      int g = getGlobalId(0);
      for (int i = 0; i < 10; i++) {
        if (i == g) {
          break;
        }
        activations[g] += 1f;
      }
    }
  }

  @Test
  void discoveryLeavesAparapisLoggerAsItWasAndTheNoOpenClLineSaysWhatToInstall() {
    java.util.logging.Logger aparapi = java.util.logging.Logger.getLogger(com.aparapi.Config.getLoggerName());
    java.util.logging.Level before = aparapi.getLevel();
    try {
      // whatever level the application gave Aparapi's logger stays: only the binding's load is silenced
      aparapi.setLevel(java.util.logging.Level.FINE);
      Devices.loadOpenClQuietly();
      assertThat(aparapi.getLevel()).isEqualTo(java.util.logging.Level.FINE);
      aparapi.setLevel(null);
      Devices.loadOpenClQuietly();
      assertThat(aparapi.getLevel()).isNull();
    } finally {
      aparapi.setLevel(before);
    }
    assertThat(Devices.NO_OPENCL).contains("Java threads");
    assertThat(Devices.NO_OPENCL).contains("apt-get install pocl-opencl-icd");
    assertThat(Devices.NO_OPENCL).doesNotContain("\n");
  }

  @Test
  void withOpenClHiddenEverythingRunsOnJavaThreads() {
    assumeTrue("/nonexistent".equals(System.getenv("OCL_ICD_VENDORS")), "OpenCL is not hidden in this run");
    assertThat(Devices.openCl()).isEmpty();
    assertThat(Devices.select("auto").kind()).isEqualTo(DeviceKind.JAVA);
    DeviceException e = assertThrows(DeviceException.class, () -> Devices.select("cpu"));
    assertThat(e).hasMessageThat().contains("install PoCL");
  }

  @Test
  void javaThreadsAlwaysAvailable() {
    ComputeDevice d = Devices.select("java");
    assertThat(d.kind()).isEqualTo(DeviceKind.JAVA);
    assertThat(Devices.available()).contains(ComputeDevice.javaThreads());
  }

  @Test
  void autoPrefersOpenClWhenPresent() {
    ComputeDevice auto = Devices.select("auto");
    if (Devices.openCl().isEmpty()) {
      assertThat(auto.kind()).isEqualTo(DeviceKind.JAVA);
    } else {
      assertThat(auto).isEqualTo(Devices.openCl().get(0));
    }
  }

  @Test
  void unknownDeviceNameIsAnError() {
    DeviceException e = assertThrows(DeviceException.class, () -> Devices.select("tpu"));
    assertThat(e).hasMessageThat().isEqualTo("device=tpu is not a device; use gpu, cpu, java or auto");
  }

  @Test
  void missingDeviceKindIsAnErrorNotAFallback() {
    assumeTrue(Devices.openCl().stream().noneMatch(d -> d.kind() == DeviceKind.GPU), "a GPU is present");
    DeviceException e = assertThrows(DeviceException.class, () -> Devices.select("gpu"));
    assertThat(e).hasMessageThat().contains("no OpenCL GPU device found");
    assertThat(e).hasMessageThat().contains("BERTGEN_DEVICE=java");
  }

  @Test
  void runsOnJavaThreadsWhenAsked() {
    Launcher l = new Launcher(new GenericBertKernels(BackboneConfig.kerasHub(10, 1, 1, 4, 8)),
        ComputeDevice.javaThreads(), new float[4]);
    float[] a = l.activations(10);
    l.launch(Ops.FILL, 10, 2.5f, 0f, 0);
    assertThat(a[9]).isEqualTo(2.5f);
  }

  @Test
  void aKernelThatCannotRunOnOpenClIsAnErrorNotASilentFallback() {
    ComputeDevice cpu = TestDevices.openClCpu();
    assumeTrue(cpu != null, "no OpenCL CPU device (PoCL) here");
    Launcher l = new Launcher(new UntranslatableKernels(), cpu, new float[4]);
    l.activations(16);
    DeviceException e = assertThrows(DeviceException.class, () -> l.launch(Ops.FILL, 16, 0f, 0f, 0));
    assertThat(e).hasMessageThat().contains("UntranslatableKernels");
    assertThat(e).hasMessageThat().contains(cpu.toString());
    assertThat(e).hasMessageThat().contains("BERTGEN_DEVICE=java");
  }

  @Test
  void aBufferLargerThanOneAllocationNamesTheBufferAndASmallerBatch() {
    for (ComputeDevice device : TestDevices.all()) {
      try (Launcher l = new Launcher(KernelFactory.generic().create(BackboneConfig.kerasHub(10, 1, 1, 4, 8),
          device.family()), device, new float[4])) {
        DeviceException e = assertThrows(DeviceException.class, () -> {
          l.activations(570_623_856L);
          l.launch(Ops.FILL, 16, 0f, 0f, 0);
        });
        assertThat(e).hasMessageThat().startsWith("the activation buffer needs 570,623,856 values (2,176 MiB), "
            + "more than " + device + " takes in one buffer (");
        assertThat(e).hasMessageThat().endsWith("use a smaller batch size or sequence length");
      }
    }
  }
}
