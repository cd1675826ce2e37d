package dev.bertgen.benchmarks;

import java.util.Arrays;
import java.util.List;

/**
 * Entry point of the benchmarks: {@code mvn -B -q -Pbenchmarks -DskipTests install && mvn -B -q
 * -Pbenchmarks -pl benchmarks exec:exec -Dbench=forward} (or {@code -Dbench=cpu}, {@code -Dbench=training},
 * {@code -Dbench=memory}; {@code benchmarks/cpu/run-cpu-benchmark.sh} runs them all with the keras-hub peer). Each benchmark
 * measures BertGen and its peer in the same run and prints the ratio.
 */
public final class Benchmarks {
  private Benchmarks() {}

  public static void main(String[] args) throws Exception {
    List<String> which = args.length == 0 ? List.of("all") : Arrays.asList(args);
    boolean all = which.contains("all");
    if (all || which.contains("forward")) {
      ForwardBenchmark.main(new String[0]);
    }
    if (all || which.contains("cpu")) {
      CpuBenchmark.main(new String[0]);
    }
    if (which.contains("memory")) {
      MemoryBenchmark.main(new String[0]);
    }
    if (all || which.contains("training")) {
      TrainingBenchmark.main(new String[0]);
    }
  }
}
