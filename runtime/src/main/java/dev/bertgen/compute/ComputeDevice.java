package dev.bertgen.compute;

import com.aparapi.device.Device;
import com.aparapi.device.JavaDevice;
import com.aparapi.device.OpenCLDevice;
import java.util.Objects;

/**
 * A device BertGen runs kernels on.
 *
 * @param kind GPU, CPU (OpenCL) or Java threads
 * @param name the OpenCL device name and platform, or "Java threads"
 * @param device Aparapi's device
 * @param family the kernel classes models run here ({@link KernelFamily#defaultFor} unless chosen with
 *     {@link #withKernels} or {@value KernelFamily#PROPERTY})
 */
public record ComputeDevice(DeviceKind kind, String name, Device device, KernelFamily family) {

  public ComputeDevice {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(family, "family");
    if (kind == DeviceKind.JAVA && family == KernelFamily.GPU) {
      throw new DeviceException("the GPU kernel family needs OpenCL (local memory and barriers); Java threads "
          + "run the CPU family only: choose an OpenCL device or the cpu family");
    }
  }

  /** A device running its kind's default family. */
  public ComputeDevice(DeviceKind kind, String name, Device device) {
    this(kind, name, device, KernelFamily.defaultFor(kind));
  }

  /**
   * This device running {@code family}'s kernels: the GPU family on an OpenCL CPU (how the tests check
   * it without a GPU), or the CPU family on a GPU (to compare).
   *
   * @throws DeviceException for the GPU family on Java threads
   */
  public ComputeDevice withKernels(KernelFamily family) {
    return new ComputeDevice(kind, name, device, family);
  }

  /** Java threads: BertGen's own pool, one thread per core (no OpenCL needed). */
  public static ComputeDevice javaThreads() {
    return new ComputeDevice(DeviceKind.JAVA, "Java threads ("
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
    return kind.name().toLowerCase(java.util.Locale.ROOT) + ": " + name
        + (family == KernelFamily.defaultFor(kind) ? "" : " [" + family.name().toLowerCase(java.util.Locale.ROOT)
            + " kernels]");
  }
}
