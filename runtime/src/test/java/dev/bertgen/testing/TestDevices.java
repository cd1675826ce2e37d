package dev.bertgen.testing;

import dev.bertgen.compute.ComputeDevice;
import dev.bertgen.compute.DeviceKind;
import dev.bertgen.compute.Devices;
import dev.bertgen.compute.KernelFamily;
import java.util.ArrayList;
import java.util.List;

/**
 * The devices tests run on: Java threads always, plus every OpenCL device present (PoCL in CI) in its
 * default kernel family, plus the first OpenCL CPU running the GPU family (local-memory tiles and
 * barriers), so that family is checked on machines without a GPU.
 */
public final class TestDevices {
  private TestDevices() {}

  public static List<ComputeDevice> all() {
    List<ComputeDevice> out = new ArrayList<>();
    out.add(ComputeDevice.javaThreads());
    for (ComputeDevice d : Devices.openCl()) {
      out.add(d);
    }
    ComputeDevice cpu = openClCpu();
    // -Dbertgen.testGpuFamilyOnCpu=false leaves it out (the GPU benchmark's run on a GPU machine that also has PoCL:
    // compiling the family for PoCL takes minutes there)
    if (cpu != null && !"false".equals(System.getProperty("bertgen.testGpuFamilyOnCpu"))) {
      out.add(cpu.withKernels(KernelFamily.GPU));
    }
    return out;
  }

  /** The first OpenCL CPU device, or null. */
  public static ComputeDevice openClCpu() {
    for (ComputeDevice d : Devices.openCl()) {
      if (d.kind() == DeviceKind.CPU) {
        return d;
      }
    }
    return null;
  }
}
