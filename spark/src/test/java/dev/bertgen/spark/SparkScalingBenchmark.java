package dev.bertgen.spark;

import dev.bertgen.layers.VariableLayout;
import dev.bertgen.spec.BackboneConfig;
import dev.bertgen.spec.BuiltinPresets;
import dev.bertgen.training.RingAllReduce;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPInputStream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/**
 * Data-parallel training throughput with 1, 2 and 4 workers on {@code local[4]}, the all-reduce's share of
 * the step time, the ring's bandwidth on this machine for bert_base's gradients, and what that gives on a
 * real network. Run: {@code mvn -B -pl spark test -Pbenchmarks} (after {@code mvn -B install -DskipTests});
 * {@code -Dbench.device=java|cpu|gpu}, {@code -Dbench.steps=N}, {@code -Dbench.corpus=FILE},
 * {@code -Dbench.parts=ring} (only the ring and the network table).
 */
class SparkScalingBenchmark {

  @Test
  void scaling() throws Exception {
    String device = System.getProperty("bench.device", "auto");
    int steps = Integer.getInteger("bench.steps", 16);
    int batch = Integer.getInteger("bench.batch", 16);
    int length = Integer.getInteger("bench.length", 128);
    Path dir = Files.createTempDirectory("bertgen-spark-bench");
    Path data = corpus(dir.resolve("glosses.txt"), 4 * batch * steps);
    PrintStream out = System.out;
    if (System.getProperty("bench.parts", "all").equals("ring")) {
      ringBandwidth(out);
      return;
    }
    out.printf(Locale.ROOT, "# data-parallel masked-LM training, bert_tiny from scratch, batch %d x %d tokens per worker, "
        + "%d steps, device %s, %s, %d cores, JDK %s, %s%n", batch, length, steps, device, System.getProperty("os.arch"),
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), LocalDate.now());
    try (JavaSparkContext sc = new JavaSparkContext(new SparkConf().setMaster("local[4]").setAppName("bench")
        .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
        .set("spark.driver.bindAddress", "127.0.0.1").set("spark.ui.showConsoleProgress", "false"))) {
      sc.setLogLevel("ERROR");
      out.println("| workers | global batch | tokens/s | step ms (slowest worker) | all-reduce ms/step | all-reduce share "
          + "| floats/update |");
      out.println("|---|---|---|---|---|---|---|");
      double plain = plainFit(data, batch, length, steps, device);
      out.printf(Locale.ROOT, "| peer: BertMaskedLM.fit alone (no Spark, no exchange) | %d | %,.0f | %.1f | | | |%n",
          batch, plain, batch * length * 1000.0 / plain);
      double base = 0;
      for (int workers : new int[] {1, 2, 4}) {
        // a warm-up run (kernel builds, JIT), then the measured one
        train(sc, dir, data, workers, batch, length, Math.min(3, steps), device, "warm" + workers);
        DataParallelResult r = train(sc, dir, data, workers, batch, length, steps, device, "run" + workers);
        double stepMs = r.reports().stream().mapToDouble(WorkerReport::trainSeconds).max().orElse(0) * 1000 / steps;
        double reduceMs = r.reports().stream().mapToDouble(WorkerReport::allReduceSeconds).average().orElse(0) * 1000
            / steps;
        if (workers == 1) {
          base = r.tokensPerSecond();
        }
        out.printf(Locale.ROOT, "| %d | %d | %,.0f (%.2fx of 1 worker, %.2fx of fit alone) | %.1f | %.1f | %.1f %% "
                + "| %,d |%n", workers, workers * batch, r.tokensPerSecond(), r.tokensPerSecond() / base,
            r.tokensPerSecond() / plain, stepMs, reduceMs,
            100 * r.allReduceShare(), r.reports().get(0).allReduceFloats());
      }
    }
    ringBandwidth(out);
  }

  /** Tokens per second of the same training in this JVM without Spark: a warm-up fit, then the measured one. */
  private static double plainFit(Path data, int batch, int length, int steps, String device) throws Exception {
    java.util.List<String> lines = Files.readAllLines(data).subList(0, batch * steps);
    dev.bertgen.compute.ComputeDevice d = dev.bertgen.compute.Devices.select(device);
    try (dev.bertgen.models.BertMaskedLM mlm = dev.bertgen.examples.app.Models.fromScratch("bert_tiny_en_uncased", 42,
        d)) {
      mlm.setPreprocessor(dev.bertgen.examples.app.Models.preprocessor(mlm, length, null));
      mlm.compile(new dev.bertgen.training.CompileOptions(dev.bertgen.training.Optimizers.adam(1e-3)));
      dev.bertgen.training.FitOptions.Builder o = dev.bertgen.training.FitOptions.builder().batchSize(batch).epochs(1)
          .verbosity(dev.bertgen.training.Verbosity.SILENT);
      mlm.fit(lines, o.stepsPerEpoch(Math.min(3, steps)).build());
      return mlm.fit(lines, o.stepsPerEpoch(steps).build()).tokensPerSecond();
    }
  }

  private static DataParallelResult train(JavaSparkContext sc, Path dir, Path data, int workers, int batch, int length,
      int steps, String device, String name) {
    DataParallelOptions o = new DataParallelOptions(data.toString(), "bert_tiny_en_uncased", true,
        dir.resolve(name).toString(), workers, batch, 1, steps, length, null, 1e-3, 42, true, 1_000_000, device,
        600_000, -1, TaskKind.MASKED_LM, null, false, null);
    return DataParallelTraining.run(sc, o, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
  }

  /** The ring alone on bert_base's gradient arena: seconds per sum and the bandwidth it reached on the loopback. */
  private static void ringBandwidth(PrintStream out) throws Exception {
    BackboneConfig base = BuiltinPresets.get("bert_base_en_uncased").backbone();
    int floats = VariableLayout.maskedLm(base).size();
    long bytes = 4L * floats;
    out.printf(Locale.ROOT, "%n# ring all-reduce of bert_base's gradients (%,d floats, %.0f MB) between threads over "
        + "the loopback; median of 5 after 1%n", floats, bytes / 1e6);
    out.println("| workers | seconds per sum | bytes sent per worker | loopback bandwidth per worker |");
    out.println("|---|---|---|---|");
    for (int n : new int[] {2, 4}) {
      double seconds = ringSeconds(n, floats);
      double sent = 2.0 * (n - 1) / n * bytes;
      out.printf(Locale.ROOT, "| %d | %.3f | %.0f MB | %.2f GB/s |%n", n, seconds, sent / 1e6, sent / seconds / 1e9);
    }
    double plain = loopbackBytesPerSecond(bytes);
    out.printf(Locale.ROOT, "| limit: one plain TCP stream over the loopback, %.0f MB of bytes, no conversion | %.3f | "
        + "%.0f MB | %.2f GB/s |%n", bytes / 1e6, bytes / plain, bytes / 1e6, plain / 1e9);
    out.printf(Locale.ROOT, "%n# on a network: each worker sends and receives 2(N-1)/N x %.0f MB per update%n", bytes / 1e6);
    out.println("| network | N = 2 | N = 4 | N = 8 | N = 16 |");
    out.println("|---|---|---|---|---|");
    for (double gbit : new double[] {10, 25, 100}) {
      StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %.0f Gb/s |", gbit));
      for (int n : new int[] {2, 4, 8, 16}) {
        double s = 2.0 * (n - 1) / n * bytes / (gbit * 1e9 / 8);
        row.append(String.format(Locale.ROOT, " %.2f s |", s));
      }
      out.println(row);
    }
  }

  /** Bytes per second of one socket stream on the loopback: a sender thread, this thread receiving. */
  private static double loopbackBytesPerSecond(long bytes) throws Exception {
    try (java.net.ServerSocket server = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      ExecutorService sender = Executors.newSingleThreadExecutor();
      try {
        Future<?> sending = sender.submit(() -> {
          try (java.net.Socket s = new java.net.Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
            byte[] chunk = new byte[1 << 18];
            var o = s.getOutputStream();
            for (int round = 0; round < 3; round++) {
              for (long sent = 0; sent < bytes; sent += chunk.length) {
                o.write(chunk, 0, (int) Math.min(chunk.length, bytes - sent));
              }
            }
            o.flush();
          }
          return null;
        });
        try (java.net.Socket s = server.accept()) {
          var in = s.getInputStream();
          byte[] chunk = new byte[1 << 18];
          double best = 0;
          for (int round = 0; round < 3; round++) {
            long start = System.nanoTime();
            for (long got = 0; got < bytes; ) {
              int n = in.read(chunk, 0, (int) Math.min(chunk.length, bytes - got));
              if (n < 0) {
                throw new java.io.EOFException();
              }
              got += n;
            }
            best = Math.max(best, bytes / ((System.nanoTime() - start) / 1e9));
          }
          sending.get();
          return best;
        }
      } finally {
        sender.shutdownNow();
      }
    }
  }

  private static double ringSeconds(int n, int floats) throws Exception {
    List<RingAllReduce> ring = new ArrayList<>();
    List<InetSocketAddress> addresses = new ArrayList<>();
    for (int r = 0; r < n; r++) {
      RingAllReduce w = RingAllReduce.open(r, n, Duration.ofMinutes(5), InetAddress.getLoopbackAddress());
      ring.add(w);
      addresses.add(w.address());
    }
    ExecutorService threads = Executors.newFixedThreadPool(n);
    try {
      List<Future<double[]>> results = new ArrayList<>();
      for (int r = 0; r < n; r++) {
        RingAllReduce w = ring.get(r);
        results.add(threads.submit(() -> {
          w.connect(addresses);
          float[] g = new float[floats];
          Arrays.fill(g, 1f);
          double[] t = new double[6];
          for (int i = 0; i < t.length; i++) {
            long s = System.nanoTime();
            w.sum(g);
            t[i] = (System.nanoTime() - s) / 1e9;
          }
          return t;
        }));
      }
      double[] slowest = new double[6];
      for (Future<double[]> f : results) {
        double[] t = f.get();
        for (int i = 0; i < t.length; i++) {
          slowest[i] = Math.max(slowest[i], t[i]);
        }
      }
      double[] measured = Arrays.copyOfRange(slowest, 1, slowest.length);
      Arrays.sort(measured);
      return measured[measured.length / 2];
    } finally {
      threads.shutdownNow();
      for (RingAllReduce w : ring) {
        w.close();
      }
    }
  }

  /** {@code lines} WordNet glosses (the repository's corpus), or the file {@code -Dbench.corpus} names. */
  private static Path corpus(Path file, int lines) throws Exception {
    String given = System.getProperty("bench.corpus");
    if (given != null) {
      return Path.of(given);
    }
    Path gz = Path.of(System.getProperty("user.dir")).resolve("../testdata/corpus/wordnet-glosses.txt.gz");
    List<String> out = new ArrayList<>();
    try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(new GZIPInputStream(Files.newInputStream(gz)),
        StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null && out.size() < lines; line = in.readLine()) {
        if (!line.isBlank()) {
          out.add(line);
        }
      }
    }
    Files.write(file, out);
    return file;
  }
}
