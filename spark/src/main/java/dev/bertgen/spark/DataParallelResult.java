package dev.bertgen.spark;

import java.util.List;

/**
 * What a data-parallel run did.
 *
 * @param lines the examples in the data
 * @param reports one per worker, from the attempt of the training stage that completed (empty when the
 *     output already held the finished run)
 * @param seconds the driver's wall time of the training job
 */
public record DataParallelResult(long lines, List<WorkerReport> reports, double seconds) {
  public DataParallelResult {
    reports = List.copyOf(reports);
  }

  /** The model's updates at the end (the same on every worker). */
  public long iterations() {
    return reports.isEmpty() ? 0 : reports.get(0).iterations();
  }

  /** Tokens per second over all workers in the completed attempt's training loops. */
  public double tokensPerSecond() {
    double slowest = reports.stream().mapToDouble(WorkerReport::trainSeconds).max().orElse(0);
    return slowest == 0 ? 0 : reports.stream().mapToLong(WorkerReport::tokens).sum() / slowest;
  }

  /** The share of the training loop spent in the gradient all-reduce, averaged over the workers. */
  public double allReduceShare() {
    return reports.stream().mapToDouble(r -> r.trainSeconds() == 0 ? 0 : r.allReduceSeconds() / r.trainSeconds())
        .average().orElse(0);
  }
}
