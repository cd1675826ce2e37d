package dev.bertgen.compute;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Notices the one kind of collection that moves arrays G1 otherwise keeps in place. From Java 21 on,
 * when an allocation still fails after a full collection, G1 runs a second, maximal one that also
 * moves humongous arrays (and one that clears all soft references does the same); after that, an
 * array BertGen shared with OpenCL may no longer be where OpenCL writes, so {@link Launcher} refuses
 * to go on. Such a collection comes just before an OutOfMemoryError: the fix is a larger heap.
 * On Java 17 to 20 G1 never moves humongous arrays and nothing is watched.
 */
final class HeapCompactionWatch {
  private HeapCompactionWatch() {}

  private static final String NOTIFICATION = "com.sun.management.gc.notification";
  private static final String COMPACTION_PAUSE = "G1 Compaction Pause";

  private static boolean started;
  private static volatile int compactions;
  private static volatile String last;
  /** The cause of the previous collection when it was a full one, else null (listener thread). */
  private static String previousFull;

  /** Starts watching (once; only on Java 21 and later). */
  static synchronized void start() {
    if (started || Runtime.version().feature() < 21) {
      return;
    }
    started = true;
    try {
      for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        if (gc instanceof NotificationEmitter emitter) {
          emitter.addNotificationListener(HeapCompactionWatch::onNotification, null, null);
        }
      }
    } catch (RuntimeException | LinkageError e) {
      java.util.logging.Logger.getLogger("dev.bertgen.compute").warning("cannot watch the garbage collector ("
          + e + "); a heap that runs full may corrupt OpenCL buffers: give the JVM enough -Xmx");
    }
  }

  private static void onNotification(Notification n, Object handback) {
    if (NOTIFICATION.equals(n.getType()) && n.getUserData() instanceof CompositeData d) {
      observe(String.valueOf(d.get("gcName")), String.valueOf(d.get("gcCause")));
    }
  }

  /** Records one collection (collector name and cause, as the JVM reports them). */
  static synchronized void observe(String collector, String cause) {
    if (collector.contains("Concurrent")) {
      return; // G1's concurrent cycle runs beside the pauses and moves nothing
    }
    boolean full = collector.contains("Old");
    String previous = previousFull;
    previousFull = full ? cause : null;
    if (!full) {
      return;
    }
    boolean maximal = cause.contains("Soft References") || cause.contains("Last ditch")
        || (COMPACTION_PAUSE.equals(cause) && COMPACTION_PAUSE.equals(previous));
    if (maximal) {
      last = cause;
      compactions++;
    }
  }

  /** Maximal compactions seen so far. */
  static int compactions() {
    return compactions;
  }

  /** The cause of the last maximal compaction, or null. */
  static String lastCause() {
    return last;
  }
}
