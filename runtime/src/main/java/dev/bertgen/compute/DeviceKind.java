package dev.bertgen.compute;

import java.util.Locale;

/** What a model's kernels run on. */
public enum DeviceKind {
  /** An OpenCL GPU (NVIDIA's OpenCL on an H100, for instance). */
  GPU,
  /** An OpenCL CPU device (PoCL). */
  CPU,
  /** Aparapi's Java thread pool: the same kernel classes as plain Java, no OpenCL needed. */
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
