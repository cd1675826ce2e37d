package dev.bertgen.testing;

import dev.bertgen.compute.ComputeDevice;
import dev.bertgen.compute.DeviceKind;
import dev.bertgen.compute.Devices;
import java.util.ArrayList;
import java.util.List;

/** The devices tests run on: Java threads always, plus every OpenCL device present (PoCL in CI). */
public final class TestDevices {
  private TestDevices() {}

  public static List<ComputeDevice> all() {
    List<ComputeDevice> out = new ArrayList<>();
    out.add(ComputeDevice.javaThreads());
    for (ComputeDevice d : Devices.openCl()) {
      out.add(d);
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
