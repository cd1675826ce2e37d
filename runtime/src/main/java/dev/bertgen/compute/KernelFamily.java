package dev.bertgen.compute;

import java.util.Locale;

/**
 * Which kernel classes a model runs: both compute the same operations with the same helpers and the
 * same results (within float rounding); they differ in how the matrix products use the device.
 */
public enum KernelFamily {
  /**
   * Barrier-free kernels, one 16×8 register block of a product per work-item, no local memory: what
   * OpenCL CPUs (PoCL) run fastest, and the only family Aparapi's Java threads can run. The default on
   * CPUs and Java threads.
   */
  CPU,
  /**
   * The products as tiles of 128×128 or 64×64, one per work-group of 256, staged through local
   * memory with barriers, each work-item accumulating a register block; every other operation as in
   * {@link #CPU}. The default on GPUs. Needs OpenCL (local memory and barriers): refused on Java
   * threads. PoCL runs it too, which is how the tests check it on machines without a GPU.
   */
  GPU;

  /** The environment variable overriding the family ({@code cpu}, {@code gpu}, {@code auto}). */
  public static final String ENV = "BERTGEN_KERNELS";
  /** The system property overriding the family (wins over the environment). */
  public static final String PROPERTY = "bertgen.kernels";

  /** The family a device of {@code kind} runs by default. */
  public static KernelFamily defaultFor(DeviceKind kind) {
    return kind == DeviceKind.GPU ? GPU : CPU;
  }

  /**
   * The family asked for with {@value #PROPERTY} or {@value #ENV}, or {@code null} for the device's
   * default ({@code auto} or unset).
   *
   * @throws DeviceException for another value
   */
  static KernelFamily fromEnvironment() {
    String prop = System.getProperty(PROPERTY);
    String where = "-D" + PROPERTY;
    if (prop == null) {
      prop = System.getenv(ENV);
      where = ENV;
    }
    if (prop == null) {
      return null;
    }
    return switch (prop.trim().toLowerCase(Locale.ROOT)) {
      case "cpu" -> CPU;
      case "gpu" -> GPU;
      case "auto", "" -> null;
      default -> throw new DeviceException(where + "=" + prop + " is not a kernel family; use cpu, gpu or auto");
    };
  }
}
