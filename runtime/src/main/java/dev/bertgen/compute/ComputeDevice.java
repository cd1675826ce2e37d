package dev.bertgen.compute;

import com.aparapi.device.Device;
import com.aparapi.device.JavaDevice;
import com.aparapi.device.OpenCLDevice;
import java.util.Objects;

/**
 * A device BertGen runs kernels on.
 *
 * @param kind GPU, CPU (OpenCL) or Java threads
 * @param name the OpenCL device name and platform, or "Java thread pool"
 * @param device Aparapi's device
 */
public record ComputeDevice(DeviceKind kind, String name, Device device) {

  public ComputeDevice {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(device, "device");
  }

  /** Aparapi's Java thread pool. */
  public static ComputeDevice javaThreads() {
    return new ComputeDevice(DeviceKind.JAVA, "Java thread pool ("
        + Runtime.getRuntime().availableProcessors() + " cores)", JavaDevice.THREAD_POOL);
  }

  static ComputeDevice of(OpenCLDevice d, DeviceKind kind) {
    String platform = d.getOpenCLPlatform() == null ? "" : d.getOpenCLPlatform().getName();
    return new ComputeDevice(kind, d.getName().trim() + (platform.isEmpty() ? "" : " (" + platform.trim() + ")"), d);
  }

  /** True for an OpenCL device. */
  public boolean isOpenCL() {
    return kind != DeviceKind.JAVA;
  }

  @Override
  public String toString() {
    return kind.name().toLowerCase(java.util.Locale.ROOT) + ": " + name;
  }
}
