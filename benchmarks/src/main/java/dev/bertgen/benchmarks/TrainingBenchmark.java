package dev.bertgen.benchmarks;

import dev.bertgen.compute.ComputeDevice;
import dev.bertgen.compute.Devices;
import dev.bertgen.examples.presets.TinyBertConfig;
import dev.bertgen.examples.presets.TinyBertMaskedLM;
import dev.bertgen.models.BertMaskedLM;
import dev.bertgen.preprocessing.MaskedLMInputs;
import dev.bertgen.spec.BackboneConfig;
import dev.bertgen.spec.BuiltinPresets;
import dev.bertgen.training.CompileOptions;
import dev.bertgen.training.Optimizers;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Masked-LM training throughput for the bert_tiny shape (vocabulary 30522, 2 layers, 2 heads, hidden 128,
 * intermediate 512) at batch 32 × 128 tokens (20 mask slots) and 32 × 64 tokens (10 mask slots): one full
 * {@code trainOnBatch} step (forward, loss, backward, Adam update, loss and accuracy read back) with the
 * generated {@code TinyBertMaskedLM} and with the model built from the built-in preset at run time (on OpenCL
 * its kernel class specialized at load time, on Java threads the generic class), on every OpenCL device and on
 * Java threads, next to libtorch (CPU, JavaCPP) training the same architecture on the same arrays, in one run.
 * Each row is the median step time after warm-up; all models train on one fixed batch, so the loss falls.
 *
 * <p>System properties: {@code training.seqs} (default {@code 128,64}), {@code training.java} (default
 * {@code true}: the generic class on Java threads, first sequence length only, {@value #JAVA_WARMUP} warm-up and
 * {@value #JAVA_STEPS} timed steps), {@code bertgen.profile}.
 */
public final class TrainingBenchmark {
  static final int BATCH = 32;
  static final int WARMUP = 3;
  static final int STEPS = 8;
  static final int JAVA_WARMUP = 3;
  static final int JAVA_STEPS = 8;
  static final double LEARNING_RATE = 1e-3;
  static final long SEED = 1;
  /** {@code -Dbertgen.profile=true}: BertGen's per-operation times of the timed steps, as for the forward pass. */
  static final boolean PROFILE = Boolean.getBoolean("bertgen.profile");

  private TrainingBenchmark() {}

  /** One fixed batch in keras-hub's BertMaskedLMPreprocessor layout. */
  record Batch(int[][] tokenIds, int[][] segmentIds, int[][] paddingMask, int[][] maskPositions, int[][] labels,
      float[][] weights, int realTokens, int maskedTokens) {
    int seq() {
      return tokenIds[0].length;
    }

    int slots() {
      return maskPositions[0].length;
    }

    MaskedLMInputs inputs() {
      return new MaskedLMInputs(tokenIds, paddingMask, maskPositions, segmentIds);
    }
  }

  /** What one measured row found: median step time and the loss of the first and last step. */
  record Result(String what, String device, double ms, double min, double max, double firstLoss, double lastLoss,
      int steps) {}

  public static void main(String[] args) throws Exception {
    int[] seqs = Arrays.stream(System.getProperty("training.seqs", "128,64").split(","))
        .map(String::trim).mapToInt(Integer::parseInt).toArray();
    boolean java = Boolean.parseBoolean(System.getProperty("training.java", "true"));
    BackboneConfig tiny = TinyBertConfig.SPEC.backbone();
    System.out.printf(Locale.ROOT, "# training (trainOnBatch: forward, loss, backward, Adam 1e-3, metrics), bert_tiny "
            + "(vocab %d, %d layers, %d heads, hidden %d, intermediate %d), batch %d, %s, %d cores, JDK %s, %s%n",
        tiny.vocabularySize(), tiny.numLayers(), tiny.numHeads(), tiny.hiddenDim(), tiny.intermediateDim(), BATCH,
        System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"), LocalDate.now());
    System.out.printf(Locale.ROOT, "# median of %d steps after %d warm-up steps (Java threads: %d after %d); "
        + "ratio = BertGen time / PyTorch time%n", STEPS, WARMUP, JAVA_STEPS, JAVA_WARMUP);

    for (int s = 0; s < seqs.length; s++) {
      int seq = seqs[s];
      Batch batch = batch(seq, tiny.vocabularySize());
      System.out.printf(Locale.ROOT, "%n## seq %d: %d mask slots, %d of %d positions real (%.0f %%), %d masked tokens%n",
          seq, batch.slots(), batch.realTokens(), BATCH * seq, 100.0 * batch.realTokens() / (BATCH * seq),
          batch.maskedTokens());
      List<Result> results = new ArrayList<>();
      for (ComputeDevice d : Devices.openCl()) {
        results.add(bertGen("BertGen TinyBertMaskedLM (generated)",
            () -> TinyBertMaskedLM.create(SEED), d, batch, WARMUP, STEPS));
        results.add(bertGen("BertGen built-in preset (run-time class)",
            () -> BertMaskedLM.create(BuiltinPresets.get("bert_tiny_en_uncased"), SEED), d, batch, WARMUP, STEPS));
      }
      if (java && s == 0) {
        results.add(bertGen("BertGen built-in preset (generic class)", () -> BertMaskedLM.create(
            BuiltinPresets.get("bert_tiny_en_uncased"), SEED), ComputeDevice.javaThreads(), batch, JAVA_WARMUP,
            JAVA_STEPS));
      }
      Result torch = torch(tiny, batch);
      results.add(torch);
      System.out.printf(Locale.ROOT, "%-37s %-66s %8s %13s %8s %6s  %s%n", "what", "device", "ms/step",
          "(min-max)", "tokens/s", "ratio", "loss first -> last");
      for (Result r : results) {
        System.out.printf(Locale.ROOT, "%-37s %-66s %8.1f %13s %8.0f %5.2fx  %.3f -> %.3f%s%n", r.what(), r.device(),
            r.ms(), String.format(Locale.ROOT, "(%.0f-%.0f)", r.min(), r.max()), BATCH * seq / (r.ms() / 1000),
            r.ms() / torch.ms(), r.firstLoss(), r.lastLoss(),
            r.steps() == WARMUP + STEPS ? "" : " (" + r.steps() + " steps)");
      }
      Result javaRow = results.stream().filter(r -> r.device().startsWith("java")).findFirst().orElse(null);
      Result openClRow = results.stream().filter(r -> r.device().startsWith("cpu")
          && r.what().startsWith("BertGen built-in preset")).findFirst().orElse(null);
      if (javaRow != null && openClRow != null) {
        System.out.printf(Locale.ROOT, "Java threads / OpenCL CPU (built-in preset, same model): %.2fx%n",
            javaRow.ms() / openClRow.ms());
      }
    }
  }

  static Result bertGen(String what, Supplier<BertMaskedLM> factory, ComputeDevice d, Batch b, int warmup,
      int timed) {
    BertMaskedLM mlm = factory.get();
    mlm.backbone().setDevice(d);
    mlm.compile(new CompileOptions(Optimizers.adam(LEARNING_RATE)));
    MaskedLMInputs x = b.inputs();
    double[] ms = new double[timed];
    double first = Double.NaN;
    double last = Double.NaN;
    for (int i = 0; i < warmup + timed; i++) {
      long t0 = System.nanoTime();
      double loss = mlm.trainOnBatch(x, b.labels(), b.weights()).get("loss");
      long t1 = System.nanoTime();
      check(loss, what);
      if (i == 0) {
        first = loss;
      }
      last = loss;
      if (i >= warmup) {
        ms[i - warmup] = (t1 - t0) / 1e6;
      }
      if (i == warmup - 1 && PROFILE) {
        mlm.backbone().kernelTimings(true);
      }
    }
    if (PROFILE) {
      System.out.printf(Locale.ROOT, "  %s on %s, per step:%n", what, d);
      mlm.backbone().kernelTimings(false).forEach((op, v) -> System.out.printf(Locale.ROOT,
          "    %-34s %8.1f ms over %5.0f launches%n", op, v[0] / timed, v[1] / timed));
    }
    if (d.isOpenCL()) {
      // frees the OpenCL buffers before the next model (outside the timing)
      mlm.backbone().setDevice(ComputeDevice.javaThreads());
    }
    return new Result(what, d.toString(), median(ms), min(ms), max(ms), first, last, warmup + timed);
  }

  static Result torch(BackboneConfig c, Batch b) {
    int threads = Runtime.getRuntime().availableProcessors();
    try (TorchMaskedLmTrainer t = new TorchMaskedLmTrainer(c.vocabularySize(), c.numLayers(), c.numHeads(),
        c.hiddenDim(), c.intermediateDim(), c.maxSequenceLength(), LEARNING_RATE, SEED, threads)) {
      double[] ms = new double[STEPS];
      double first = Double.NaN;
      double last = Double.NaN;
      for (int i = 0; i < WARMUP + STEPS; i++) {
        long t0 = System.nanoTime();
        double loss = t.step(b.tokenIds(), b.segmentIds(), b.paddingMask(), b.maskPositions(), b.labels(),
            b.weights());
        long t1 = System.nanoTime();
        check(loss, "PyTorch");
        if (i == 0) {
          first = loss;
        }
        last = loss;
        if (i >= WARMUP) {
          ms[i - WARMUP] = (t1 - t0) / 1e6;
        }
      }
      return new Result("PyTorch peer (same architecture)", t.description(), median(ms), min(ms), max(ms), first,
          last, WARMUP + STEPS);
    }
  }

  /**
   * A batch as keras-hub's BertMaskedLMPreprocessor packs it: [CLS] a [SEP] b [SEP] then padding, row lengths
   * uniform in [seq/2, seq] (about 75 % real tokens), random ids; min(ceil(0.15 · selectable), slots) positions
   * masked (80 % [MASK], 10 % random, 10 % kept), slots = mask_selection_length ceil(0.15 · seq) (20 for 128,
   * 10 for 64); unused slots at position 0 with weight 0.
   */
  static Batch batch(int seq, int vocab) {
    return batch(BATCH, seq, vocab);
  }

  /** {@link #batch(int, int)} with {@code rows} sequences. */
  static Batch batch(int rows, int seq, int vocab) {
    int slots = (int) Math.ceil(0.15 * seq); // 128 -> 20, 64 -> 10
    SplittableRandom r = new SplittableRandom(42);
    int[][] ids = new int[rows][seq];
    int[][] segments = new int[rows][seq];
    int[][] padding = new int[rows][seq];
    int[][] positions = new int[rows][slots];
    int[][] labels = new int[rows][slots];
    float[][] weights = new float[rows][slots];
    int real = 0;
    int masked = 0;
    for (int b = 0; b < rows; b++) {
      int len = seq / 2 + r.nextInt(seq - seq / 2 + 1);
      int sep = 1 + (len - 3) / 2; // first [SEP]: two segments of about equal length
      for (int s = 0; s < len; s++) {
        ids[b][s] = s == 0 ? 101 : s == sep || s == len - 1 ? 102 : 1000 + r.nextInt(vocab - 1000);
        segments[b][s] = s > sep ? 1 : 0;
        padding[b][s] = 1;
      }
      real += len;
      int selectable = len - 3;
      int n = Math.min((int) Math.ceil(0.15 * selectable), slots);
      int[] chosen = r.ints(1, len - 1).filter(p -> p != sep).distinct().limit(n).sorted().toArray();
      for (int k = 0; k < n; k++) {
        int p = chosen[k];
        positions[b][k] = p;
        labels[b][k] = ids[b][p];
        weights[b][k] = 1f;
        double u = r.nextDouble();
        ids[b][p] = u < 0.8 ? 103 : u < 0.9 ? 1000 + r.nextInt(vocab - 1000) : ids[b][p];
      }
      masked += n;
    }
    return new Batch(ids, segments, padding, positions, labels, weights, real, masked);
  }

  private static void check(double loss, String what) {
    if (!Double.isFinite(loss)) {
      throw new IllegalStateException(what + ": loss is " + loss);
    }
  }

  static double min(double[] values) {
    return Arrays.stream(values).min().orElse(Double.NaN);
  }

  static double max(double[] values) {
    return Arrays.stream(values).max().orElse(Double.NaN);
  }

  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }
}
