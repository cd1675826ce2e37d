package dev.bertgen.benchmarks;

import dev.bertgen.compute.ComputeDevice;
import dev.bertgen.compute.Devices;
import dev.bertgen.compute.KernelFamily;
import dev.bertgen.compute.Launcher;
import dev.bertgen.examples.presets.BaseBertMaskedLM;
import dev.bertgen.examples.presets.LargeBertMaskedLM;
import dev.bertgen.examples.presets.TinyBertMaskedLM;
import dev.bertgen.layers.TrainingWorkspace;
import dev.bertgen.models.BertMaskedLM;
import dev.bertgen.preprocessing.MaskedLMInputs;
import dev.bertgen.spec.BackboneConfig;
import dev.bertgen.training.CompileOptions;
import dev.bertgen.training.Optimizers;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * BertGen's side of the GPU benchmark ({@code benchmarks/gpu/run-gpu-benchmark.sh} runs it, then the PyTorch
 * peer, which reads what this writes): the generated {@code TinyBertMaskedLM}, {@code BaseBertMaskedLM} and
 * {@code LargeBertMaskedLM} at batch × 128 tokens with 20 mask slots, on the device {@code BERTGEN_DEVICE} selects
 * (the GPU on the GPU machine; {@code cpu} for a dry run on PoCL), in the device's kernel family.
 *
 * <ul>
 *   <li>backbone: {@code backbone().call} at the full batch (embeddings, encoder, pooler; sequence and pooled
 *       outputs downloaded), median of the timed calls;</li>
 *   <li>forward: {@code testOnBatch} (embeddings, encoder, masked-LM head at the mask slots, loss; the loss read
 *       back), at the training batch below (it plans the training step's buffers);</li>
 *   <li>training step: {@code trainOnBatch} (forward, loss, backward, gradient clipping, Adam 1e-3, loss and
 *       accuracy read back), dropout 0.1 as keras-hub's presets; at the largest batch whose
 *       activations fit in one device buffer, trying 32, 24, 16, 8 (the peer trains at the same batch);</li>
 *   <li>the matrix products of one forward pass and one training step of each model, from the launch trace
 *       ({@code -Dbertgen.traceLaunches=true}): per shape, milliseconds per launch and TFLOP/s;</li>
 *   <li>bert_base's training memory: the activation buffer a step needs per batch × sequence length, against
 *       the largest buffer the device and Aparapi take.</li>
 * </ul>
 *
 * <p>Writes {@code bertgen.tsv}, {@code products.tsv} and {@code memory.tsv} to the folder given as the first
 * argument. System properties: {@code gpu.models} (default {@code tiny,base,large}), {@code gpu.batch} (32),
 * {@code gpu.warmup} (2), {@code gpu.steps} (8), {@code gpu.compareFamilies} (true: bert_base also with the
 * CPU family's kernels on the same device).
 */
public final class GpuBenchmark {
  static final int SEQ = 128;
  static final double LEARNING_RATE = 1e-3;
  static final long SEED = 1;
  private static final Pattern KEY = Pattern.compile(
      "(\\w+) items=(\\d+) m=(\\d+) n=(\\d+) k=(\\d+) batches=(\\d+)");

  private GpuBenchmark() {}

  record Model(String name, Supplier<BertMaskedLM> factory) {}

  public static void main(String[] args) throws IOException {
    if (!Boolean.getBoolean("bertgen.traceLaunches")) {
      throw new IllegalStateException("run with -Dbertgen.traceLaunches=true (the products table reads the trace)");
    }
    Path out = Path.of(args.length > 0 ? args[0] : "gpu-results");
    Files.createDirectories(out);
    int batch = Integer.getInteger("gpu.batch", 32);
    int warmup = Integer.getInteger("gpu.warmup", 2);
    int steps = Integer.getInteger("gpu.steps", 8);
    boolean compare = Boolean.parseBoolean(System.getProperty("gpu.compareFamilies", "true"));
    ComputeDevice device = Devices.fromEnvironment();
    String header = String.format(Locale.ROOT, "BertGen %s, device %s (%s), JDK %s, Aparapi 3.0.2", LocalDate.now(),
        device, describe(device), System.getProperty("java.version"));
    System.out.println("# " + header);
    Files.writeString(out.resolve("bertgen-header.txt"), header + "\n", StandardCharsets.UTF_8);
    List<Model> models = new ArrayList<>();
    for (String m : System.getProperty("gpu.models", "tiny,base,large").split(",")) {
      switch (m.trim()) {
        case "tiny" -> models.add(new Model("bert_tiny", () -> TinyBertMaskedLM.create(SEED)));
        case "base" -> models.add(new Model("bert_base", () -> BaseBertMaskedLM.create(SEED)));
        case "large" -> models.add(new Model("bert_large", () -> LargeBertMaskedLM.create(SEED)));
        default -> throw new IllegalArgumentException("gpu.models: unknown model " + m + "; use tiny, base, large");
      }
    }
    try (PrintWriter rows = writer(out.resolve("bertgen.tsv"));
        PrintWriter products = writer(out.resolve("products.tsv"))) {
      rows.println("model\tfamily\tphase\tbatch\tseq\tslots\tms\tmin_ms\tmax_ms\tfirst_loss\tlast_loss\tnote");
      products.println("model\tphase\top\tm\tn\tk\tbatches\tlaunches\tms_per_launch\ttflops");
      for (Model m : models) {
        guarded(m, device, batch, warmup, steps, rows, products, true);
        if (compare && m.name().equals("bert_base") && device.family() == KernelFamily.GPU) {
          guarded(m, device.withKernels(KernelFamily.CPU), batch, warmup, steps, rows, products, false);
        }
      }
    }
    memory(out.resolve("memory.tsv"), device);
    System.out.println("# wrote " + out.toAbsolutePath());
  }

  /** {@link #run}, a failure recorded as a row (so one model's failure does not lose the others' figures). */
  private static void guarded(Model m, ComputeDevice device, int batch, int warmup, int steps, PrintWriter rows,
      PrintWriter products, boolean traceProducts) {
    try {
      run(m, device, batch, warmup, steps, rows, products, traceProducts);
    } catch (RuntimeException | OutOfMemoryError e) {
      e.printStackTrace();
      String line = String.format(Locale.ROOT, "%s\t%s\tfailed\t%d\t%d\t%d\tNaN\tNaN\tNaN\tNaN\tNaN\t%s", m.name(),
          device.family().name().toLowerCase(Locale.ROOT), batch, SEQ, slots(),
          String.valueOf(e).replace('\t', ' ').replace('\n', ' '));
      rows.println(line);
      rows.flush();
      System.out.println(line);
    }
  }

  private static void run(Model m, ComputeDevice device, int batch, int warmup, int steps, PrintWriter rows,
      PrintWriter products, boolean traceProducts) {
    String family = device.family().name().toLowerCase(Locale.ROOT);
    BertMaskedLM mlm = m.factory().get();
    try {
      mlm.backbone().setDevice(device);
      mlm.compile(new CompileOptions(Optimizers.adam(LEARNING_RATE)));
      BackboneConfig c = mlm.backbone().config();
      // the backbone's forward pass at the full batch (inference buffers), its outputs downloaded
      TrainingBenchmark.Batch b = batchOf(batch, c.vocabularySize());
      Timing f = time(warmup, steps, () -> mlm.backbone().call(b.tokenIds(), b.segmentIds(), b.paddingMask())
          .pooledOutput()[0][0]);
      row(rows, m.name(), family, "backbone", batch, f, "sequence and pooled outputs downloaded");
      if (traceProducts) {
        Launcher.resetLaunchTrace();
        mlm.backbone().call(b.tokenIds(), b.segmentIds(), b.paddingMask());
        products(products, m.name(), "backbone", Launcher.launchTrace());
      }
      // the masked LM's forward pass with its loss (testOnBatch), and the training step, at the largest batch
      // whose activations (kept for the backward pass) fit in one buffer
      int tb = batch;
      while (tb > 1 && !fits(c, tb)) {
        tb -= tb > 16 ? 8 : tb / 2; // 32, 24, 16, 8, 4, ...
      }
      TrainingBenchmark.Batch t = batchOf(tb, c.vocabularySize());
      String note = tb == batch ? "" : "batch " + batch + " does not fit: " + trainingFloats(c, batch) * 4 / (1 << 20)
          + " MiB of activations in one buffer";
      Timing l = time(warmup, steps, () -> mlm.testOnBatch(t.inputs(), t.labels(), t.weights()).get("loss"));
      row(rows, m.name(), family, "forward", tb, l, note);
      Timing s = time(warmup, steps, () -> mlm.trainOnBatch(t.inputs(), t.labels(), t.weights()).get("loss"));
      row(rows, m.name(), family, "train", tb, s, note);
      if (traceProducts) {
        Launcher.resetLaunchTrace();
        mlm.trainOnBatch(t.inputs(), t.labels(), t.weights());
        products(products, m.name(), "train", Launcher.launchTrace());
      }
    } finally {
      mlm.close();
    }
  }

  record Timing(double median, double min, double max, double first, double last) {}

  interface Step {
    double run();
  }

  private static Timing time(int warmup, int steps, Step step) {
    double[] ms = new double[steps];
    double first = Double.NaN;
    double last = Double.NaN;
    for (int i = 0; i < warmup + steps; i++) {
      long t0 = System.nanoTime();
      double loss = step.run();
      long t1 = System.nanoTime();
      if (!Double.isFinite(loss)) {
        throw new IllegalStateException("loss is " + loss + " at call " + i);
      }
      if (i == 0) {
        first = loss;
      }
      last = loss;
      if (i >= warmup) {
        ms[i - warmup] = (t1 - t0) / 1e6;
      }
    }
    return new Timing(TrainingBenchmark.median(ms), TrainingBenchmark.min(ms), TrainingBenchmark.max(ms), first,
        last);
  }

  private static void row(PrintWriter w, String model, String family, String phase, int batch, Timing t,
      String note) {
    String line = String.format(Locale.ROOT, "%s\t%s\t%s\t%d\t%d\t%d\t%.3f\t%.3f\t%.3f\t%.4f\t%.4f\t%s", model,
        family, phase, batch, SEQ, slots(), t.median(), t.min(), t.max(), t.first(), t.last(), note);
    w.println(line);
    w.flush();
    System.out.println(line);
  }

  private static void products(PrintWriter w, String model, String phase, Map<String, long[]> trace) {
    for (Map.Entry<String, long[]> e : trace.entrySet()) {
      Matcher x = KEY.matcher(e.getKey());
      if (!x.matches()) {
        continue;
      }
      long m = Long.parseLong(x.group(3));
      long n = Long.parseLong(x.group(4));
      long k = Long.parseLong(x.group(5));
      long batches = Long.parseLong(x.group(6));
      long launches = e.getValue()[1];
      double ms = e.getValue()[0] / 1e6 / launches;
      double tflops = 2.0 * m * n * k * batches / (ms / 1e3) / 1e12;
      w.printf(Locale.ROOT, "%s\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%.4f\t%.2f%n", model, phase, x.group(1), m, n, k, batches,
          launches, ms, tflops);
    }
    w.flush();
  }

  private static int slots() {
    return (int) Math.ceil(0.15 * SEQ);
  }

  private static TrainingBenchmark.Batch batchOf(int batch, int vocab) {
    return TrainingBenchmark.batch(batch, SEQ, vocab);
  }

  static long trainingFloats(BackboneConfig c, int batch) {
    return trainingFloats(c, batch, SEQ);
  }

  static long trainingFloats(BackboneConfig c, int batch, int seq) {
    try {
      return TrainingWorkspace.plan(c, batch, seq, (int) Math.ceil(0.15 * seq)).size;
    } catch (IllegalArgumentException e) {
      return Long.MAX_VALUE / 8; // more than a Java array holds
    }
  }

  /** Whether a training step's activation buffer fits in one buffer of Aparapi (2 GiB). */
  static boolean fits(BackboneConfig c, int batch) {
    return trainingFloats(c, batch) * Float.BYTES <= Integer.MAX_VALUE;
  }

  private static void memory(Path file, ComputeDevice device) throws IOException {
    BackboneConfig base = BaseBertMaskedLM.SPECIALIZATION.spec().backbone();
    long maxAlloc = device.device() instanceof com.aparapi.device.OpenCLDevice cl ? cl.getMaxMemAllocSize() : -1;
    long global = device.device() instanceof com.aparapi.device.OpenCLDevice cl ? cl.getGlobalMemSize() : -1;
    try (PrintWriter w = writer(file)) {
      w.printf(Locale.ROOT, "# bert_base training: activation buffer per batch x sequence; one buffer may hold "
          + "%d MiB (Aparapi's int sizes: 2 GiB; device max allocation %d MiB, global memory %d MiB)%n",
          Integer.MAX_VALUE >> 20, maxAlloc >> 20, global >> 20);
      w.println("batch\tseq\tactivation_mib\tfits");
      for (int seq : new int[] {128, 256, 512}) {
        for (int batch : new int[] {8, 12, 16, 20, 24, 32, 64}) {
          long floats = trainingFloats(base, batch, seq);
          boolean fits = floats * Float.BYTES <= Integer.MAX_VALUE;
          w.printf(Locale.ROOT, "%d\t%d\t%d\t%s%n", batch, seq, floats >= Long.MAX_VALUE / 8 ? -1 : floats * 4 >> 20,
              fits);
        }
      }
    }
  }

  private static String describe(ComputeDevice d) {
    if (d.device() instanceof com.aparapi.device.OpenCLDevice cl) {
      return String.format(Locale.ROOT, "%d compute units, %d MiB global memory, max allocation %d MiB, "
          + "local memory %d KiB, max work-group %d", cl.getMaxComputeUnits(), cl.getGlobalMemSize() >> 20,
          cl.getMaxMemAllocSize() >> 20, cl.getLocalMemSize() >> 10, cl.getMaxWorkGroupSize());
    }
    return "Java threads";
  }

  private static PrintWriter writer(Path p) throws IOException {
    return new PrintWriter(Files.newBufferedWriter(p, StandardCharsets.UTF_8));
  }
}
