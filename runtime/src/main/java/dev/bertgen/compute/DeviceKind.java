package dev.bertgen.compute;

import java.util.Locale;

/** What a model's kernels run on. */
public enum DeviceKind {
  /** An OpenCL GPU (NVIDIA's OpenCL on an H100, for instance). */
  GPU,
  /** An OpenCL CPU device (PoCL). */
  CPU,
  /** Java threads: the same kernel classes run as plain Java on BertGen's own thread pool, no OpenCL needed. */
  JAVA;

  /** Parses {@code gpu}, {@code cpu}, {@code java}; {@code null} for {@code auto}. */
  static DeviceKind parse(String value, String where) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    return switch (v) {
      case "gpu" -> GPU;
      case "cpu" -> CPU;
      case "java", "jtp" -> JAVA;
      case "auto", "" -> null;
      default -> throw new DeviceException(where + "=" + value + " is not a device; use gpu, cpu, java "
          + "or auto");
    };
  }
}
