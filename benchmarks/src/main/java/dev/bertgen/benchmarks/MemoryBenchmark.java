package dev.bertgen.benchmarks;

import dev.bertgen.compute.ComputeDevice;
import dev.bertgen.compute.Devices;
import dev.bertgen.examples.presets.BaseBertMaskedLM;
import dev.bertgen.models.BertMaskedLM;
import dev.bertgen.models.MaskPrediction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Peak resident memory of {@code fillMask} with bert_base weights: writes a bert_base preset (random weights)
 * to a temporary directory, then starts a fresh JVM with {@code ./bertgen}'s options
 * ({@code -XX:+UseG1GC -Xmx6g}) that loads it with {@code BertMaskedLM.fromPreset}, fills the mask of one
 * sentence on the default device and reports the process's peak resident set ({@code VmHWM}) next to the bytes
 * of the weights and of all the arrays the model computes in.
 */
public final class MemoryBenchmark {
  private MemoryBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 2 && args[0].equals("measure")) {
      measure(Path.of(args[1]));
      return;
    }
    Path dir = Files.createTempDirectory("bertgen-memory");
    try {
      Path preset = dir.resolve("bert_base");
      try (BertMaskedLM mlm = BaseBertMaskedLM.create(1)) {
        mlm.saveToPreset(preset);
      }
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add("-XX:+UseG1GC");
      command.add("-Xmx6g");
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(MemoryBenchmark.class.getName());
      command.add("measure");
      command.add(preset.toString());
      Process p = new ProcessBuilder(command).inheritIO().start();
      if (p.waitFor() != 0) {
        throw new IllegalStateException("the measuring JVM failed (exit " + p.exitValue() + ")");
      }
    } finally {
      try (var paths = Files.walk(dir)) {
        for (Path f : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(f);
        }
      }
    }
  }

  private static void measure(Path preset) throws IOException {
    long base = status("VmRSS");
    ComputeDevice device = Devices.fromEnvironment();
    try (BertMaskedLM mlm = BertMaskedLM.fromPreset(preset.toString())) {
      mlm.backbone().setDevice(device);
      List<MaskPrediction> best = mlm.fillMask("the capital of france is [MASK] .", 5);
      long peak = status("VmHWM");
      long weights = mlm.parameterCount() * 4L;
      long arrays = mlm.backbone().deviceMemoryBytes();
      System.out.printf(Locale.ROOT, "%n## peak resident memory, fillMask of one sentence, bert_base (%,d parameters) "
          + "loaded from a preset directory, on %s, -Xmx6g%n", mlm.parameterCount(), device);
      System.out.printf(Locale.ROOT, "JVM before loading (resident)        %,8d MiB%n", base >> 20);
      System.out.printf(Locale.ROOT, "peak resident (VmHWM)                %,8d MiB%n", peak >> 20);
      System.out.printf(Locale.ROOT, "weights (float32)                    %,8d MiB%n", weights >> 20);
      System.out.printf(Locale.ROOT, "all arrays the model computes in     %,8d MiB (weights, activations, outputs)%n",
          arrays >> 20);
      Runtime rt = Runtime.getRuntime();
      System.out.printf(Locale.ROOT, "Java heap after fillMask             %,8d MiB committed, %,d MiB used%n",
          rt.totalMemory() >> 20, (rt.totalMemory() - rt.freeMemory()) >> 20);
      System.out.printf(Locale.ROOT, "peak / arrays                        %8.2fx (peak - JVM before loading: %.2fx)%n",
          peak / (double) arrays, (peak - base) / (double) arrays);
      System.out.println("first candidate: " + best.get(0).candidates().get(0));
    }
  }

  /** A /proc/self/status field in bytes. */
  private static long status(String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]) * 1024;
      }
    }
    throw new IOException(field + " not in /proc/self/status (Linux only)");
  }
}
