package dev.bertgen.examples.app;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (SIGINT) or SIGTERM while training: asks the model to stop after its current batch, then
 * holds the JVM's exit until the command has saved what it must ({@link #close()}), at most two minutes.
 */
final class StopOnSignal implements AutoCloseable {
  private final CountDownLatch saved = new CountDownLatch(1);
  private final Thread hook;
  private volatile boolean signalled;

  private StopOnSignal(Runnable stop) {
    hook = new Thread(() -> {
      signalled = true;
      System.err.println();
      System.err.println("bertgen: stopping after the current batch and saving; press Ctrl-C again to abort");
      stop.run();
      try {
        saved.await(2, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "bertgen-stop");
  }

  static StopOnSignal install(Runnable stop) {
    StopOnSignal s = new StopOnSignal(stop);
    Runtime.getRuntime().addShutdownHook(s.hook);
    return s;
  }

  /** Whether a signal arrived (the JVM exits once this is closed). */
  boolean signalled() {
    return signalled;
  }

  /** Everything is saved: lets a signalled JVM exit, or removes the hook. */
  @Override
  public void close() {
    saved.countDown();
    if (!signalled) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or about to; the latch lets it finish
      }
    }
  }
}
