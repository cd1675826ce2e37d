package dev.bertgen.compute;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;

/**
 * Keeps the arrays BertGen shares with OpenCL where OpenCL expects them.
 *
 * <p>Aparapi hands OpenCL the address of each Java array a kernel uses and lets go of it between
 * launches, so the garbage collector may move the array in between. Aparapi notices a move at the
 * next launch, but its {@code Kernel.get} re-reads the array's new address and keeps the OpenCL
 * buffer made at the old one: from then on every launch reads and writes the old place, which the
 * heap has freed or given to other objects (on PoCL, whose buffers are the Java arrays themselves,
 * that corrupts the JVM's memory; on a discrete GPU a buffer re-made after a move is filled from a
 * stale host copy). {@code docs/design.md} ("Arrays OpenCL uses never move") has the details.
 *
 * <p>So on every OpenCL device BertGen requires G1 and makes every array it binds to a kernel at
 * least half a G1 region long: G1 allocates such "humongous" arrays in regions of their own and
 * never moves them (on Java 21 and later, except in the last full compaction before an
 * OutOfMemoryError, which {@link HeapCompactionWatch} reports).
 */
public final class MemoryCheck {
  private MemoryCheck() {}

  /** How many arrays a kernel binds ({@link BertKernels}' arenas). */
  static final int ARENAS = 12;

  /**
   * Checks the collector for {@code device} and returns the minimum length of every array bound to
   * its kernels, in elements: 1 on Java threads, just over half a G1 region on OpenCL.
   *
   * @throws DeviceException on an OpenCL device without G1, or when the arenas would not fit the heap
   */
  static long requireSafe(ComputeDevice device) {
    if (!device.isOpenCL()) {
      return 1; // the arrays are the memory: nothing holds their address
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
      throw new DeviceException("BertGen shares its arrays with OpenCL (" + device + "), which is only "
          + "safe when the garbage collector never moves them; G1 keeps large arrays in place, the "
          + "collectors in use (" + collectorNames() + ") do not. Start the JVM with -XX:+UseG1GC, or set "
          + Devices.ENV + "=java to run on Java threads.");
    }
    long region = regionBytes();
    long minFloats = region / 2 / Float.BYTES + 1;
    long all = ARENAS * minFloats * Float.BYTES;
    long heap = Runtime.getRuntime().maxMemory();
    if (all > heap / 4) {
      throw new DeviceException(String.format(Locale.ROOT, "G1's region size (%d MiB) makes each of the %d "
          + "arrays BertGen shares with OpenCL at least %.1f MiB long (so that G1 never moves them): "
          + "%d MiB in all, more than a quarter of this heap (-Xmx %d MiB). Start the JVM with a smaller "
          + "-XX:G1HeapRegionSize (or none: G1 picks one for the heap) or a larger -Xmx.",
          region >> 20, ARENAS, minFloats * 4.0 / (1 << 20), all >> 20, heap >> 20));
    }
    HeapCompactionWatch.start();
    return minFloats;
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
