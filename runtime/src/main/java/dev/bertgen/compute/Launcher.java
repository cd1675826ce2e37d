package dev.bertgen.compute;

import com.aparapi.Range;
import com.aparapi.device.Device;
import com.aparapi.internal.kernel.KernelManager;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * Runs one model's {@link BertKernels} object on one device: owns its arenas, sets the operation
 * and its arguments, launches, and checks after the first launch of every operation that it ran
 * where it was sent. Aparapi silently falls back to Java threads when a kernel fails on OpenCL;
 * here that is a {@link DeviceException}.
 *
 * <p>Explicit buffer mode: parameters are uploaded once ({@link #putParameters()}), integer inputs
 * each call ({@link #putInts()}), and only the small {@code results} buffer is downloaded
 * ({@link #getOut()}); activations stay on the device.
 */
public final class Launcher implements AutoCloseable {
  private static final Object PREFERENCES_LOCK = new Object();
  /** The device each kernel class was last pinned to (guarded by {@link #PREFERENCES_LOCK}). */
  private static final java.util.Map<Class<?>, Device> PINNED = new java.util.HashMap<>();

  static {
    // Aparapi warns "Found unexpected Attribute (name = NestHost)" for every nested class on JDK 11+;
    // harmless (Aparapi 3.0.2 does not know the attribute). Kernel failures are reported by KernelRunner
    // and checked below.
    java.util.logging.Logger.getLogger("com.aparapi.internal.model.ClassModel")
        .setLevel(java.util.logging.Level.SEVERE);
  }

  private final BertKernels kernel;
  private final ComputeDevice device;
  private final int localSize;
  /** True for the GPU family: products run as tiles, one per work-group of {@link TiledProductKernels#GROUP}. */
  private final boolean tiled;
  /** The device's compute units (OpenCL), for sizing the tiled products' grids. */
  private final int computeUnits;
  private final BitSet verified = new BitSet();
  private final long minArenaFloats;
  /** Bytes one OpenCL buffer may hold on this device (and in Aparapi, whose sizes are ints). */
  private final long maxBufferBytes;
  /** {@link HeapCompactionWatch#compactions()} when this launcher's arrays were made. */
  private final int compactionsAtStart;
  /** True once the training arenas (gradients, Adam's moments) are sized and in use. */
  private boolean training;
  private long launches;
  private final float[] hostParameters;
  private final long[] opNanos = new long[64];
  private final long[] opCounts = new long[64];
  /**
   * With {@code -Dbertgen.traceLaunches=true}: wall time per distinct launch (operation, work-items,
   * product sizes), printed to stderr when the JVM exits, slowest first. For tuning kernels.
   */
  private static final java.util.Map<String, long[]> TRACE = new java.util.concurrent.ConcurrentHashMap<>();
  /** Whether launches are traced now: {@code -Dbertgen.traceLaunches=true} or {@link #traceLaunches(boolean)}. */
  private static volatile boolean tracing = Boolean.getBoolean("bertgen.traceLaunches");

  static {
    if (tracing) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> TRACE.entrySet().stream()
          .sorted((x, y) -> Long.compare(y.getValue()[0], x.getValue()[0])).limit(60)
          .forEach(e -> System.err.printf(java.util.Locale.ROOT, "%9.1f ms %7d launches  %s%n",
              e.getValue()[0] / 1e6, e.getValue()[1], e.getKey()))));
    }
  }

  /**
   * While tracing ({@code -Dbertgen.traceLaunches=true} or {@link #traceLaunches}), a copy of the launch trace:
   * for each distinct launch
   * ({@code "OP items=.. m=.. n=.. k=.."}, products with {@code batches=..}) its total wall time in
   * nanoseconds and its number of launches; empty otherwise. Launches wait for the kernel, so a
   * product's time per launch is its device time plus the launch overhead.
   */
  public static java.util.Map<String, long[]> launchTrace() {
    java.util.Map<String, long[]> copy = new java.util.TreeMap<>();
    TRACE.forEach((key, v) -> copy.put(key, v.clone()));
    return copy;
  }

  /**
   * Starts or stops tracing launches from now on (for benchmarks that trace only some of their work; without a
   * report at exit, unlike {@code -Dbertgen.traceLaunches=true}).
   */
  public static void traceLaunches(boolean on) {
    tracing = on;
  }

  /** Empties the launch trace ({@link #launchTrace}). */
  public static void resetLaunchTrace() {
    TRACE.clear();
  }

  /**
   * Stack an OpenCL CPU's worker threads need to run the GPU family: PoCL keeps the private values of
   * all 256 work-items of a group that live across a barrier on the worker thread's stack, which for
   * these kernels is far more than the usual 8 MiB (a smaller stack crashes the JVM). Measured with PoCL 3.1:
   * see docs/architecture.md; {@code -Dbertgen.workGroupStackMiB} changes the requirement.
   */
  static final long WORK_GROUP_STACK_BYTES = Long.getLong("bertgen.workGroupStackMiB", 256L) << 20;

  /**
   * Refuses to run the GPU family on an OpenCL CPU when the process's stack limit (which its worker
   * threads get) is below {@link #WORK_GROUP_STACK_BYTES}: a clear error instead of a crash.
   */
  private static void requireStackForWorkGroups(ComputeDevice device) {
    long limit = stackLimitBytes();
    if (limit >= 0 && limit < WORK_GROUP_STACK_BYTES) {
      throw new DeviceException("the GPU kernel family on " + device + " needs a stack limit of at least "
          + (WORK_GROUP_STACK_BYTES >> 20) + " MiB for the OpenCL CPU's worker threads (this process has "
          + (limit >> 20) + " MiB): start Java after 'ulimit -s " + (WORK_GROUP_STACK_BYTES >> 10) + "', or run the "
          + "cpu kernel family there (unset " + KernelFamily.ENV + " / -D" + KernelFamily.PROPERTY + ")");
    }
  }

  /** The soft stack limit from /proc/self/limits in bytes; -1 when unlimited or unknown. */
  static long stackLimitBytes() {
    try {
      for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/limits"))) {
        if (line.startsWith("Max stack size")) {
          String soft = line.substring("Max stack size".length()).trim().split("\\s+")[0];
          return soft.equals("unlimited") ? -1 : Long.parseLong(soft);
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /** The number of matrices of a product launch of {@code count} work-items (for the trace). */
  private long productBatches(int count, int m, int n, int shape) {
    long perMatrix;
    if (tiled) {
      int side = shape == 0 ? TiledProductKernels.LARGE_TILE : TiledProductKernels.SMALL_TILE;
      perMatrix = (long) ((m + side - 1) / side) * ((n + side - 1) / side) * TiledProductKernels.GROUP;
    } else {
      perMatrix = (long) ((m + BertKernels.BLOCK_ROWS - 1) / BertKernels.BLOCK_ROWS)
          * ((n + BertKernels.BLOCK_COLS - 1) / BertKernels.BLOCK_COLS);
    }
    return perMatrix == 0 ? 0 : count / perMatrix;
  }

  /**
   * @param kernel a fresh kernel object (each owns an OpenCL context: make one per model and device)
   * @param device where it runs
   * @param parameters the parameter arena; uploaded on the first launch and by {@link #putParameters()}
   * @throws DeviceException when this JVM cannot keep the arrays OpenCL uses in place ({@link MemoryCheck})
   */
  public Launcher(BertKernels kernel, ComputeDevice device, float[] parameters) {
    this.kernel = Objects.requireNonNull(kernel, "kernel");
    this.device = Objects.requireNonNull(device, "device");
    this.minArenaFloats = MemoryCheck.requireSafe(device);
    SignalChaining.warnIfMissing(device);
    this.compactionsAtStart = HeapCompactionWatch.compactions();
    this.maxBufferBytes = device.device() instanceof com.aparapi.device.OpenCLDevice cl && cl.getMaxMemAllocSize() > 0
        ? Math.min(cl.getMaxMemAllocSize(), Integer.MAX_VALUE) : Integer.MAX_VALUE;
    this.localSize = Integer.getInteger("bertgen.localSize", switch (device.kind()) {
      case GPU -> 128;
      case CPU -> 64;
      // Aparapi runs one Java thread per work-item of a group: one per core
      case JAVA -> Math.max(1, Runtime.getRuntime().availableProcessors());
    });
    this.tiled = kernel instanceof GpuBertKernels;
    if (tiled && !device.isOpenCL()) {
      throw new DeviceException("kernel " + kernel.getClass().getName() + " is of the GPU family (local memory, "
          + "barriers) and cannot run on " + device + "; Java threads run the CPU family");
    }
    if (tiled != (device.family() == KernelFamily.GPU)) {
      throw new IllegalArgumentException("kernel " + kernel.getClass().getName() + " is not of the "
          + device.family() + " family " + device + " asks for");
    }
    if (tiled && device.kind() == DeviceKind.CPU) {
      requireStackForWorkGroups(device);
    }
    this.computeUnits = device.device() instanceof com.aparapi.device.OpenCLDevice cl
        ? Math.max(1, cl.getMaxComputeUnits()) : 1;
    kernel.setExplicit(true);
    this.hostParameters = Objects.requireNonNull(parameters, "parameters");
    // on OpenCL every array bound to the kernel is humongous (G1 never moves it; MemoryCheck), the
    // placeholders of unused arenas included: OpenCL holds their addresses too
    kernel.parameters = parameters.length >= minArenaFloats ? parameters
        : java.util.Arrays.copyOf(parameters, arenaLength(parameters.length, "parameter"));
    if (minArenaFloats > 1) {
      int n = arenaLength(1, "placeholder");
      kernel.activations = new float[n];
      kernel.intInputs = new int[n];
      kernel.results = new float[n];
      kernel.qkv = new float[n];
      kernel.feedForward = new float[n];
      kernel.dense = new float[n];
      kernel.logits = new float[n];
      kernel.gradients = new float[n];
      kernel.firstMoments = new float[n];
      kernel.secondMoments = new float[n];
      kernel.floatInputs = new float[n];
    }
  }

  public ComputeDevice device() {
    return device;
  }

  /** The kernel family of this launcher's kernel object. */
  public KernelFamily family() {
    return tiled ? KernelFamily.GPU : KernelFamily.CPU;
  }

  /** The device's compute units (1 on Java threads). */
  public int computeUnits() {
    return computeUnits;
  }

  /** The activation arena, at least {@code floats} long (reallocated, never shrunk). */
  public float[] activations(long floats) {
    if (kernel.activations.length < floats) {
      kernel.activations = new float[arenaLength(floats, "activation")];
    }
    return kernel.activations;
  }

  /** The integer input arena, at least {@code ints} long. */
  public int[] ints(long ints) {
    if (kernel.intInputs.length < ints) {
      kernel.intInputs = new int[arenaLength(ints, "integer input")];
    }
    return kernel.intInputs;
  }

  /** The download buffer, at least {@code floats} long. */
  public float[] out(long floats) {
    if (kernel.results.length < floats) {
      kernel.results = new float[arenaLength(floats, "output")];
    }
    return kernel.results;
  }

  /**
   * Sizes the output arrays of the fixed-shape products ({@link BertKernels#qkv},
   * {@link BertKernels#feedForward}, {@link BertKernels#dense}, {@link BertKernels#logits}); each is
   * reallocated only when it must grow.
   */
  public void productOutputs(long qkv, long intermediate, long dense, long logits) {
    if (kernel.qkv.length < qkv) {
      kernel.qkv = new float[arenaLength(qkv, "query/key/value")];
    }
    if (kernel.feedForward.length < intermediate) {
      kernel.feedForward = new float[arenaLength(intermediate, "feed-forward")];
    }
    if (kernel.dense.length < dense) {
      kernel.dense = new float[arenaLength(dense, "dense output")];
    }
    if (kernel.logits.length < logits) {
      kernel.logits = new float[arenaLength(logits, "logits")];
    }
  }

  /**
   * The length of a new arena for {@code n} elements: at least {@link #minArenaFloats} (so that G1
   * never moves it) and no larger than one buffer of this device may be.
   */
  private int arenaLength(long n, String what) {
    long len = Math.max(n, minArenaFloats);
    long bytes = len * Float.BYTES;
    if (n > Integer.MAX_VALUE / Float.BYTES || bytes > maxBufferBytes) {
      throw new DeviceException(String.format(java.util.Locale.ROOT, "the %s buffer needs %,d values "
          + "(%,d MiB), more than %s takes in one buffer (%,d MiB%s); use a smaller batch size or "
          + "sequence length", what, n, n * Float.BYTES >> 20, device, maxBufferBytes >> 20,
          maxBufferBytes == Integer.MAX_VALUE ? ", Aparapi's limit" : ""));
    }
    return (int) len;
  }

  /** Uploads the parameter arena (after the host changed it). */
  public void putParameters() {
    if (kernel.parameters != hostParameters) {
      System.arraycopy(hostParameters, 0, kernel.parameters, 0, hostParameters.length);
    }
    kernel.put(kernel.parameters);
  }

  /** Downloads the parameters into the host arena (after the device changed them: training). */
  public void getParameters() {
    download(kernel.parameters);
    if (kernel.parameters != hostParameters) {
      System.arraycopy(kernel.parameters, 0, hostParameters, 0, hostParameters.length);
    }
  }

  /**
   * Sizes the training arenas (gradients and Adam's two moments, each as long as the parameters)
   * and the float input buffer; the moments start at zero.
   */
  public void trainingArenas(long floatInputs) {
    training = true;
    long n = kernel.parameters.length;
    if (kernel.gradients.length < n) {
      kernel.gradients = new float[arenaLength(n, "gradient")];
      kernel.firstMoments = new float[arenaLength(n, "optimizer moment")];
      kernel.secondMoments = new float[arenaLength(n, "optimizer moment")];
    }
    if (kernel.floatInputs.length < floatInputs) {
      kernel.floatInputs = new float[arenaLength(floatInputs, "sample weight")];
    }
  }

  /** Resets Adam's moments to zero (a new optimizer). */
  public void resetOptimizer() {
    if (training) {
      java.util.Arrays.fill(kernel.firstMoments, 0f);
      java.util.Arrays.fill(kernel.secondMoments, 0f);
      kernel.put(kernel.firstMoments);
      kernel.put(kernel.secondMoments);
    }
  }

  /**
   * Copies of Adam's first and second moments, {@code n} floats each; {@code null} when no training
   * step has sized them yet (both zero).
   */
  public float[][] getMoments(int n) {
    if (!training) {
      return null;
    }
    download(kernel.firstMoments);
    download(kernel.secondMoments);
    return new float[][] {java.util.Arrays.copyOf(kernel.firstMoments, n),
        java.util.Arrays.copyOf(kernel.secondMoments, n)};
  }

  /** Sets Adam's moments (resuming an optimizer): sizes the training arenas and uploads both. */
  public void putMoments(float[] first, float[] second) {
    trainingArenas(0);
    System.arraycopy(first, 0, kernel.firstMoments, 0, first.length);
    System.arraycopy(second, 0, kernel.secondMoments, 0, second.length);
    kernel.put(kernel.firstMoments);
    kernel.put(kernel.secondMoments);
  }

  /** The float input buffer (sample weights); upload with {@link #putFloatInputs()}. */
  public float[] floatInputs() {
    return kernel.floatInputs;
  }

  public void putFloatInputs() {
    kernel.put(kernel.floatInputs);
  }

  /** Downloads the gradient arena (tests and diagnostics). */
  public float[] getGradients() {
    download(kernel.gradients);
    return kernel.gradients;
  }

  /** Uploads the gradient arena (after the host replaced the gradients: a gradient exchange). */
  public void putGradients() {
    checkPlacement();
    kernel.put(kernel.gradients);
  }

  /** Uploads the integer inputs. */
  public void putInts() {
    kernel.put(kernel.intInputs);
  }

  /**
   * Downloads the masked-LM logits array ({@link BertKernels#logits}, written from offset 0 by
   * {@link Ops#LOGITS}): the whole array, without a copy into the results buffer first.
   */
  public float[] getLogits() {
    download(kernel.logits);
    return kernel.logits;
  }

  /** Downloads the {@link BertKernels#results} buffer. */
  public float[] getOut() {
    download(kernel.results);
    return kernel.results;
  }

  /**
   * Bytes of the arrays the kernel holds: parameters, activations, product outputs, inputs and outputs, and
   * the training state once sized. On an OpenCL CPU and on Java threads this is the memory the model computes
   * in; a GPU holds a copy of the same arrays.
   */
  public long arenaBytes() {
    BertKernels k = kernel;
    long floats = (long) k.parameters.length + k.activations.length + k.results.length + k.qkv.length
        + k.feedForward.length + k.dense.length + k.logits.length + k.gradients.length + k.firstMoments.length
        + k.secondMoments.length + k.floatInputs.length;
    return (floats + k.intInputs.length) * 4L;
  }

  /** The kernel object's class name. */
  public String kernelClassName() {
    return kernel.getClass().getName();
  }

  /** Number of launches so far. */
  public long launches() {
    return launches;
  }

  /**
   * Runs {@code op} on {@code count} work-items.
   *
   * @param ints up to twenty integer arguments (i0..i19)
   */
  public void launch(int op, int count, float f0, float f1, int... ints) {
    launch(op, count, new float[] {f0, f1}, ints);
  }

  /**
   * Runs {@code op} on {@code count} work-items with up to seven float arguments (f0..f6) and up
   * to twenty integer arguments.
   */
  public void launch(int op, int count, float[] floats, int... ints) {
    float f0 = floats.length > 0 ? floats[0] : 0f;
    float f1 = floats.length > 1 ? floats[1] : 0f;
    if (count <= 0) {
      return;
    }
    if (ints.length > 20) {
      throw new IllegalArgumentException("at most 20 integer arguments");
    }
    checkPlacement();
    BertKernels k = kernel;
    k.op = op;
    k.elements = count;
    if (Ops.isElementwise(op)) {
      count = (count + BertKernels.RUN - 1) / BertKernels.RUN;
    }
    k.count = count;
    boolean coalesced = device.kind() == DeviceKind.GPU;
    k.itemStride = coalesced ? 1 : BertKernels.RUN;
    k.elementStride = coalesced ? count : 1;
    k.f0 = f0;
    k.f1 = f1;
    k.f2 = floats.length > 2 ? floats[2] : 0f;
    k.f3 = floats.length > 3 ? floats[3] : 0f;
    k.f4 = floats.length > 4 ? floats[4] : 0f;
    k.f5 = floats.length > 5 ? floats[5] : 0f;
    k.f6 = floats.length > 6 ? floats[6] : 0f;
    k.i0 = ints.length > 0 ? ints[0] : 0;
    k.i1 = ints.length > 1 ? ints[1] : 0;
    k.i2 = ints.length > 2 ? ints[2] : 0;
    k.i3 = ints.length > 3 ? ints[3] : 0;
    k.i4 = ints.length > 4 ? ints[4] : 0;
    k.i5 = ints.length > 5 ? ints[5] : 0;
    k.i6 = ints.length > 6 ? ints[6] : 0;
    k.i7 = ints.length > 7 ? ints[7] : 0;
    k.i8 = ints.length > 8 ? ints[8] : 0;
    k.i9 = ints.length > 9 ? ints[9] : 0;
    k.i10 = ints.length > 10 ? ints[10] : 0;
    k.i11 = ints.length > 11 ? ints[11] : 0;
    k.i12 = ints.length > 12 ? ints[12] : 0;
    k.i13 = ints.length > 13 ? ints[13] : 0;
    k.i14 = ints.length > 14 ? ints[14] : 0;
    k.i15 = ints.length > 15 ? ints[15] : 0;
    k.i16 = ints.length > 16 ? ints[16] : 0;
    k.i17 = ints.length > 17 ? ints[17] : 0;
    k.i18 = ints.length > 18 ? ints[18] : 0;
    k.i19 = ints.length > 19 ? ints[19] : 0;
    // no OpenCL: BertGen's own Java threads run it (JavaThreads), not Aparapi's thread pool
    if (!device.isOpenCL() && JavaThreads.ENABLED) {
      long t0 = System.nanoTime();
      JavaThreads.launch(k, op, count);
      launches++;
      record(op, count, t0);
      return;
    }
    // the GPU family runs every operation in work-groups of GROUP (its products need them: count is then whole
    // groups, one tile each; one size for all operations also means one compiled program per device on PoCL,
    // which specializes a kernel with barriers per work-group size)
    int local = tiled ? TiledProductKernels.GROUP : localSize;
    int global = ((count + local - 1) / local) * local;
    Range range = device.isOpenCL() ? Range.create(device.device(), global, local)
        : Range.create(global, local);
    synchronized (PREFERENCES_LOCK) {
      // preferences are kept per kernel class: pin this class to our device for this launch (once
      // while no other launcher of the class has pinned another device in between)
      if (PINNED.get(k.getClass()) != device.device()) {
        LinkedHashSet<Device> only = new LinkedHashSet<>();
        only.add(device.device());
        KernelManager.instance().setPreferredDevices(k, only);
        PINNED.put(k.getClass(), device.device());
      }
      long t0 = System.nanoTime();
      try {
        k.execute(range);
      } catch (RuntimeException | AssertionError e) {
        // Aparapi's fallback path can trip its own assertions (with -ea) after a device failed
        throw new DeviceException("kernel " + k.getClass().getName() + " (operation " + op + ") failed on "
            + device + " and Aparapi tried to fall back: " + e.getMessage() + ". Look for the Aparapi "
            + "warning above for the cause, or set " + Devices.ENV + "=java to run on Java threads.", e);
      }
      launches++;
      record(op, count, t0);
      if (!verified.get(op)) {
        verify(op);
        verified.set(op);
      }
    }
  }

  /** Adds a launch that started at {@code t0} to the timings and the trace. */
  private void record(int op, int count, long t0) {
    BertKernels k = kernel;
    if (tracing) {
      String key = Ops.name(op) + " items=" + count + " m=" + k.i8 + " n=" + k.i9 + " k=" + k.i19
          + (Ops.isProduct(op) ? " batches=" + productBatches(count, k.i8, k.i9, k.i7) : "");
      long[] entry = TRACE.computeIfAbsent(key, x -> new long[2]);
      synchronized (entry) {
        entry[0] += System.nanoTime() - t0;
        entry[1]++;
      }
    }
    if (op < opNanos.length) {
      opNanos[op] += System.nanoTime() - t0;
      opCounts[op]++;
    }
  }

  private void verify(int op) {
    Device target = kernel.getTargetDevice();
    List<Device> failed = KernelManager.instance().getPreferences(kernel).getFailedDevices();
    boolean ok = device.isOpenCL()
        ? kernel.isRunningCL() && target == device.device() && failed.isEmpty()
        : !kernel.isRunningCL();
    if (!ok) {
      throw new DeviceException("kernel " + kernel.getClass().getName() + " (operation " + op + ") was sent "
          + "to " + device + " but ran on " + (kernel.isRunningCL() ? target : "Java threads")
          + (failed.isEmpty() ? "" : "; Aparapi marked " + failed + " as failed for this class")
          + ". BertGen does not fall back silently: look for the Aparapi warning above for the cause, "
          + "or set " + Devices.ENV + "=java to choose Java threads deliberately.");
    }
  }

  /**
   * Wall time spent in each operation so far ({@code execute} is synchronous), by {@link Ops} code:
   * {@code [op] = {nanoseconds, launches}}. For benchmarks and tuning.
   */
  public long[][] timings() {
    long[][] out = new long[opNanos.length][];
    for (int i = 0; i < opNanos.length; i++) {
      out[i] = new long[] {opNanos[i], opCounts[i]};
    }
    return out;
  }

  /** Clears {@link #timings()}. */
  public void resetTimings() {
    java.util.Arrays.fill(opNanos, 0);
    java.util.Arrays.fill(opCounts, 0);
  }

  /** Every array bound to the kernel: all that OpenCL may read or write. */
  java.util.List<Object> arenas() {
    BertKernels k = kernel;
    return java.util.List.of(k.parameters, k.activations, k.intInputs, k.results, k.qkv, k.feedForward, k.dense,
        k.logits, k.gradients, k.firstMoments, k.secondMoments, k.floatInputs);
  }

  /** Downloads an arena (after checking it is still where OpenCL writes). */
  private void download(float[] arena) {
    checkPlacement();
    kernel.get(arena);
  }

  /**
   * Refuses to go on after G1 compacted the whole heap (the collection before an OutOfMemoryError,
   * which on Java 21 and later moves even humongous arrays): OpenCL may be writing where the arrays
   * were.
   */
  private void checkPlacement() {
    if (minArenaFloats > 1 && HeapCompactionWatch.compactions() != compactionsAtStart) {
      throw new DeviceException("the Java heap ran full and G1 compacted all of it ("
          + HeapCompactionWatch.lastCause() + "), which moves the arrays BertGen shares with OpenCL on " + device
          + "; its results can no longer be trusted and nothing more is computed or saved from them. Start "
          + "the JVM with a larger -Xmx (now " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB).");
    }
  }

  /** Frees the kernel's OpenCL context and buffers. */
  @Override
  public void close() {
    kernel.dispose();
  }
}
