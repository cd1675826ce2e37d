package dev.bertgen.spark;

import dev.bertgen.training.GradientExchange;
import dev.bertgen.training.ParameterRange;
import dev.bertgen.training.RingAllReduce;
import java.util.List;
import java.util.Objects;

/**
 * Data-parallel gradients: each worker's gradients are summed across the ring and divided by the number of
 * workers, so that every worker applies the mean gradient of the global batch. Adjacent parameter ranges
 * go as one sum (values between ranges travel too, and are ignored by the update). The ring gives every
 * worker the same bits, so the replicas stay identical.
 */
final class RingGradientExchange implements GradientExchange {
  private final RingAllReduce ring;
  private final int workers;
  private long nanos;
  private long floats;

  RingGradientExchange(RingAllReduce ring, int workers) {
    this.ring = Objects.requireNonNull(ring, "ring");
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be at least 1, got " + workers);
    }
    this.workers = workers;
  }

  @Override
  public void exchange(float[] gradients, List<ParameterRange> ranges) {
    long start = System.nanoTime();
    long sent = 0;
    int i = 0;
    while (i < ranges.size()) {
      int from = ranges.get(i).offset();
      int to = ranges.get(i).end();
      int j = i + 1;
      while (j < ranges.size() && ranges.get(j).offset() >= to && ranges.get(j).offset() - to <= 1024) {
        to = Math.max(to, ranges.get(j).end());
        j++;
      }
      ring.sum(gradients, from, to - from);
      if (workers > 1) {
        for (int k = from; k < to; k++) {
          gradients[k] /= workers;
        }
      }
      sent += to - from;
      i = j;
    }
    floats = sent;
    nanos += System.nanoTime() - start;
  }

  /** Seconds spent in {@link #exchange} so far (the sums, waiting for the slowest worker, the division). */
  double seconds() {
    return nanos / 1e9;
  }

  /** Floats summed at the last exchange. */
  long floatsPerUpdate() {
    return floats;
  }

  @Override
  public String toString() {
    return "RingGradientExchange[" + workers + " workers]";
  }
}
