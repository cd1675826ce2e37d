package dev.bertgen.compute;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * Whether the JVM's signal handlers survive the OpenCL driver. The JVM handles SIGSEGV itself (null
 * checks and safepoint polls of compiled code fault on purpose). PoCL compiles kernels with LLVM,
 * which installs its own SIGSEGV, SIGBUS, SIGILL and SIGFPE handlers over the JVM's; after that, such
 * a fault of ordinary Java code can end the process with SIGSEGV (exit code 139) and no
 * {@code hs_err} file. The JVM's signal-chaining library ({@code LD_PRELOAD=$JAVA_HOME/lib/libjsig.so})
 * keeps the JVM's handlers first and chains to the others (docs/design.md, "Signal handlers").
 *
 * <p>The {@code bertgen} launcher, the test JVMs and the benchmarks preload it. A JVM that uses an
 * OpenCL device without it logs one warning naming the fix.
 */
public final class SignalChaining {
  private static final AtomicBoolean WARNED = new AtomicBoolean();

  private SignalChaining() {}

  /**
   * True when {@code libjsig} is loaded in this process; also true where that cannot be told
   * (no {@code /proc/self/maps}: not Linux).
   */
  public static boolean active() {
    return Loaded.ACTIVE;
  }

  /** Read once: what the process preloaded cannot change while it runs. */
  private static final class Loaded {
    static final boolean ACTIVE = read();
  }

  private static boolean read() {
    Path maps = Path.of("/proc/self/maps");
    if (!Files.isReadable(maps)) {
      return true;
    }
    try (var lines = Files.lines(maps)) {
      return lines.anyMatch(l -> l.endsWith("/libjsig.so"));
    } catch (IOException | java.io.UncheckedIOException e) {
      return true;
    }
  }

  /** The fix, for messages: the preload line for this JVM. */
  public static String fix() {
    return "LD_PRELOAD=" + Path.of(System.getProperty("java.home"), "lib", "libjsig.so");
  }

  /** Logs, once per JVM, that running on {@code device} without signal chaining can crash the JVM. */
  static void warnIfMissing(ComputeDevice device) {
    if (device.kind() == DeviceKind.JAVA || WARNED.get() || active() || !WARNED.compareAndSet(false, true)) {
      return;
    }
    Logger.getLogger("dev.bertgen.compute").warning("the OpenCL driver of " + device + " may replace the JVM's "
        + "signal handlers (PoCL's LLVM does), after which the JVM can die with SIGSEGV (exit code 139) and no "
        + "hs_err file; start java with " + fix() + " (the bertgen script does; docs/errors.md, \"Devices and "
        + "training\")");
  }
}
