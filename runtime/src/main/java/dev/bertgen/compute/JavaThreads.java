package dev.bertgen.compute;

import com.aparapi.Kernel;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the CPU kernel family on BertGen's own Java threads, where no OpenCL device is used
 * ({@link ComputeDevice#javaThreads()}). Aparapi's Java mode runs every work-group as a set of threads
 * that meet at a barrier per group and calls the kernel once per work-item through its own machinery;
 * the CPU family has no barriers, so here a launch is split into a few contiguous ranges of work-items,
 * each run by one pool thread on its own clone of the kernel object (the clone shares the arrays and
 * has its own work-item id), calling the same {@code run()} the OpenCL devices compile. Matrix
 * products, most of the time, run as {@link JavaProducts}, whose loops HotSpot vectorizes.
 *
 * <p>{@code -Dbertgen.javaThreads=aparapi} goes back to Aparapi's Java thread pool (for comparison);
 * {@code -Dbertgen.javaThreads.count=N} sets the number of threads (default: the available processors).
 */
final class JavaThreads {
  /** Threads that work on one launch (the calling thread is one of them). */
  static final int THREADS = Math.max(1, Integer.getInteger("bertgen.javaThreads.count",
      Runtime.getRuntime().availableProcessors()));
  /** True unless {@code -Dbertgen.javaThreads=aparapi}: launches on Java threads run here. */
  static final boolean ENABLED = !"aparapi".equals(System.getProperty("bertgen.javaThreads", "bertgen"));
  /** Ranges of work-items per thread: more than one evens out ranges that take longer than others. */
  private static final int RANGES_PER_THREAD = 4;

  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static final ExecutorService POOL = THREADS == 1 ? null : Executors.newFixedThreadPool(THREADS - 1, r -> {
    Thread t = new Thread(r, "bertgen-java-" + COUNTER.incrementAndGet());
    t.setDaemon(true);
    return t;
  });
  /** Each thread's scratch rows for {@link JavaProducts}. */
  private static final ThreadLocal<JavaProducts.Scratch> SCRATCH = ThreadLocal.withInitial(JavaProducts.Scratch::new);

  private JavaThreads() {}

  /** Runs the operation set on {@code kernel} (its argument fields filled) on {@code count} work-items. */
  static void launch(BertKernels kernel, int op, int count) {
    if (kernel instanceof GpuBertKernels) {
      throw new IllegalStateException("the GPU family does not run on Java threads");
    }
    if (Ops.isProduct(op)) {
      products(kernel, op);
    } else {
      items(kernel, count);
    }
  }

  private static void products(BertKernels k, int op) {
    float[] xs;
    float[] ws;
    float[] ys;
    boolean transposedX = false;
    // the arrays BertKernels.dispatch gives each product
    if (op == Ops.DENSE_QKV) {
      xs = k.activations; ws = k.parameters; ys = k.qkv;
    } else if (op == Ops.DENSE_UP) {
      xs = k.activations; ws = k.parameters; ys = k.feedForward;
    } else if (op == Ops.DENSE_DOWN) {
      xs = k.feedForward; ws = k.parameters; ys = k.dense;
    } else if (op == Ops.DENSE_HIDDEN) {
      xs = k.activations; ws = k.parameters; ys = k.dense;
    } else if (op == Ops.LOGITS) {
      xs = k.activations; ws = k.activations; ys = k.logits;
    } else if (op == Ops.DENSE_FROM_HIDDEN) {
      xs = k.activations; ws = k.parameters; ys = k.activations;
    } else if (op == Ops.ATTENTION_SCORES) {
      xs = k.qkv; ws = k.activations; ys = k.activations;
    } else if (op == Ops.ATTENTION_CONTEXT) {
      xs = k.activations; ws = k.qkv; ys = k.activations;
    } else if (op == Ops.MATMUL) {
      xs = k.activations; ws = k.activations; ys = k.activations;
    } else if (op == Ops.MATMUL_PARAMETERS) {
      xs = k.activations; ws = k.parameters; ys = k.activations;
    } else if (op == Ops.MATMUL_TO_GRADIENTS) {
      xs = k.activations; ws = k.activations; ys = k.gradients; transposedX = true;
    } else if (op == Ops.MATMUL_TRANSPOSED_X) {
      xs = k.activations; ws = k.activations; ys = k.activations; transposedX = true;
    } else if (op == Ops.MATMUL_TRANSPOSED_X_PARAMETERS) {
      xs = k.activations; ws = k.parameters; ys = k.activations; transposedX = true;
    } else {
      throw new IllegalArgumentException("not a product: " + Ops.name(op));
    }
    boolean t = transposedX;
    parallel(JavaProducts.tasks(k), (from, to) -> {
      JavaProducts.Scratch acc = SCRATCH.get();
      for (int task = from; task < to; task++) {
        JavaProducts.run(k, task, xs, ws, ys, t, acc);
      }
    });
  }

  /** Every other operation: the kernel's own {@code run()} per work-item, on a clone per range. */
  static void items(BertKernels kernel, int count) {
    parallel(count, (from, to) -> {
      Kernel clone = kernel.clone();
      Kernel.KernelState state = clone.getKernelState();
      for (int g = from; g < to; g++) {
        state.setGlobalId(0, g);
        clone.run();
      }
    });
  }

  /** A range of work-items or tasks, {@code [from, to)}. */
  interface Range {
    void run(int from, int to);
  }

  /**
   * Runs {@code body} over {@code [0, n)} in contiguous ranges on {@link #THREADS} threads, the caller
   * included; returns when all are done and rethrows the first failure.
   */
  static void parallel(int n, Range body) {
    if (n <= 0) {
      return;
    }
    int ranges = Math.min(n, THREADS * RANGES_PER_THREAD);
    if (POOL == null || ranges == 1) {
      body.run(0, n);
      return;
    }
    AtomicInteger next = new AtomicInteger();
    Runnable worker = () -> {
      for (int r = next.getAndIncrement(); r < ranges; r = next.getAndIncrement()) {
        body.run((int) ((long) n * r / ranges), (int) ((long) n * (r + 1) / ranges));
      }
    };
    int helpers = Math.min(THREADS, ranges) - 1;
    Future<?>[] running = new Future<?>[helpers];
    for (int i = 0; i < helpers; i++) {
      running[i] = POOL.submit(worker);
    }
    Throwable failure = null;
    try {
      worker.run();
    } catch (RuntimeException | Error e) {
      failure = e;
      next.set(ranges); // the others stop at their next range
    }
    boolean interrupted = false;
    for (Future<?> f : running) {
      while (true) {
        try {
          f.get(); // the helpers write the arrays: wait for them even when interrupted
          break;
        } catch (ExecutionException e) {
          failure = failure == null ? e.getCause() : failure;
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (failure instanceof RuntimeException re) {
      throw re;
    } else if (failure instanceof Error err) {
      throw err;
    } else if (failure != null) {
      throw new DeviceException("a Java thread of BertGen's pool failed: " + failure, failure);
    }
  }
}
