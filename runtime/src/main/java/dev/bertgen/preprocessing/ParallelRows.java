package dev.bertgen.preprocessing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RecursiveAction;
import java.util.function.IntConsumer;

/**
 * Runs a per-row function over a batch on a small shared pool (one worker per CPU), in contiguous
 * chunks. Rows must be independent (each writes only its own outputs and draws its randomness from
 * its own seed), so results never depend on the number of threads.
 */
public final class ParallelRows {
  private ParallelRows() {}

  /** Below this many rows per chunk, threads cost more than they save. */
  private static final int MIN_ROWS_PER_CHUNK = 16;

  /** The number of CPUs, the default parallelism of batch preprocessing. */
  public static int defaultParallelism() {
    return Runtime.getRuntime().availableProcessors();
  }

  /**
   * Calls {@code row} for each index in [0, rows), on up to {@code parallelism} threads.
   *
   * @param parallelism 1 runs everything on the calling thread
   * @throws RuntimeException the first exception a row threw
   */
  public static void forEach(int rows, int parallelism, IntConsumer row) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism is " + parallelism + "; use 1 for the calling thread "
          + "only, or more");
    }
    int chunks = Math.min(Math.min(parallelism, Pool.POOL.getParallelism()),
        (rows + MIN_ROWS_PER_CHUNK - 1) / MIN_ROWS_PER_CHUNK);
    if (chunks <= 1) {
      for (int i = 0; i < rows; i++) {
        row.accept(i);
      }
      return;
    }
    List<RecursiveAction> parts = new ArrayList<>(chunks);
    for (int c = 0; c < chunks; c++) {
      int from = (int) ((long) rows * c / chunks);
      int to = (int) ((long) rows * (c + 1) / chunks);
      parts.add(new RecursiveAction() {
        private static final long serialVersionUID = 1L;

        @Override
        protected void compute() {
          for (int i = from; i < to; i++) {
            row.accept(i);
          }
        }
      });
    }
    RecursiveAction all = new RecursiveAction() {
      private static final long serialVersionUID = 1L;

      @Override
      protected void compute() {
        invokeAll(parts);
      }
    };
    if (Thread.currentThread() instanceof ForkJoinWorkerThread w && w.getPool() == Pool.POOL) {
      all.invoke(); // nested call: join inside the pool
    } else {
      Pool.POOL.invoke(all);
    }
  }

  /** Created on first use; daemon workers, so an idle pool never keeps the JVM alive. */
  private static final class Pool {
    static final ForkJoinPool POOL = new ForkJoinPool(defaultParallelism(), pool -> {
      ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
      t.setName("bertgen-preprocessing-" + t.getPoolIndex());
      t.setDaemon(true);
      return t;
    }, null, false);
  }
}
