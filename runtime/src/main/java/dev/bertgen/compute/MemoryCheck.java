package dev.bertgen.compute;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * The start-up check for device-resident data. Aparapi keeps a device copy of every array of a
 * kernel; with a discrete GPU (explicit buffers, no shared memory) a garbage collection that moves
 * an array makes Aparapi re-create the device buffer from the stale host copy, losing what the
 * device wrote (aparapi-notes §2.1). G1 never moves humongous arrays (at least half a region), so
 * on a GPU BertGen requires G1 and makes every arena at least half a region long.
 */
public final class MemoryCheck {
  private MemoryCheck() {}

  /**
   * Checks the collector for {@code device} and returns the minimum arena length in floats.
   *
   * @throws DeviceException on a discrete GPU without G1
   */
  static long requireSafe(ComputeDevice device) {
    if (device.kind() != DeviceKind.GPU) {
      return 1; // host memory is shared (PoCL) or the arrays are the memory (Java threads)
    }
    Boolean g1 = usesG1OrNull();
    if (g1 == null) {
      // a minimal runtime image without java.management: the collector cannot be read; size the
      // arenas for the largest G1 region, which is all that can be done
      java.util.logging.Logger.getLogger("dev.bertgen.compute").warning("cannot check the garbage "
          + "collector (module java.management is missing); run with -XX:+UseG1GC");
      return (32L << 20) / 2 / Float.BYTES + 1;
    }
    if (!g1) {
      throw new DeviceException("BertGen keeps model data on the GPU, which is only safe with the G1 "
          + "garbage collector (other collectors move arrays, and Aparapi then re-uploads stale data). "
          + "Collectors in use: " + collectorNames() + ". Start the JVM with -XX:+UseG1GC "
          + "(and -XX:G1HeapRegionSize=32m for large models).");
    }
    return regionBytes() / 2 / Float.BYTES + 1;
  }

  /** True when the JVM runs G1, {@code null} when that cannot be known. */
  static Boolean usesG1OrNull() {
    try {
      for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        if (gc.getName().startsWith("G1")) {
          return true;
        }
      }
      return false;
    } catch (LinkageError e) {
      return null;
    }
  }

  private static List<String> collectorNames() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName).toList();
  }

  /** G1's region size in bytes (32 MiB, the largest, when it cannot be read). */
  static long regionBytes() {
    try {
      com.sun.management.HotSpotDiagnosticMXBean hs =
          ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
      return Long.parseLong(hs.getVMOption("G1HeapRegionSize").getValue());
    } catch (RuntimeException | LinkageError e) {
      return 32L << 20;
    }
  }
}
