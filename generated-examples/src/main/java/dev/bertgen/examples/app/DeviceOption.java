package dev.bertgen.examples.app;

import dev.bertgen.compute.ComputeDevice;
import dev.bertgen.compute.Devices;
import picocli.CommandLine.Option;

/** {@code --device}: where the model runs. */
final class DeviceOption {
  @Option(names = "--device", paramLabel = "auto|gpu|cpu|java",
      description = "OpenCL GPU, OpenCL CPU (PoCL), or Java threads; auto (default) takes the best there is, "
          + "or what BERTGEN_DEVICE / -Dbertgen.device say")
  String device;

  ComputeDevice select() {
    return device == null ? Devices.fromEnvironment() : Devices.select(device);
  }
}
