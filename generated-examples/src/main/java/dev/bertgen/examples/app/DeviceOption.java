package dev.bertgen.examples.app;

import dev.bertgen.compute.ComputeDevice;
import dev.bertgen.compute.DeviceKind;
import dev.bertgen.compute.Devices;
import java.io.PrintStream;
import picocli.CommandLine.Option;

/** {@code --device}: where the model runs. */
final class DeviceOption {
  @Option(names = "--device", paramLabel = "auto|gpu|cpu|java",
      description = "OpenCL GPU, OpenCL CPU (PoCL), or Java threads; auto (default) takes the best there is, "
          + "or what BERTGEN_DEVICE / -Dbertgen.device say")
  String device;

  /**
   * The device; when it is Java threads only because no OpenCL device exists (not asked for), says so once on
   * standard error, with how to get the faster path.
   */
  ComputeDevice select(PrintStream err) {
    ComputeDevice d = device == null ? Devices.fromEnvironment() : Devices.select(device);
    if (d.kind() == DeviceKind.JAVA && Devices.openCl().isEmpty() && (device == null || device.equals("auto"))
        && System.getProperty(Devices.PROPERTY) == null && System.getenv(Devices.ENV) == null) {
      err.println("bertgen: " + Devices.NO_OPENCL);
    }
    return d;
  }
}
