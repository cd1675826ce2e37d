package dev.bertgen.spark;

import org.apache.spark.Partitioner;

/** Line {@code i} of the data goes to worker {@code i mod workers}: shards that differ by at most one line. */
final class ShardPartitioner extends Partitioner {
  private static final long serialVersionUID = 1L;
  private final int workers;

  ShardPartitioner(int workers) {
    this.workers = workers;
  }

  @Override
  public int numPartitions() {
    return workers;
  }

  @Override
  public int getPartition(Object key) {
    return (int) Math.floorMod((Long) key, (long) workers);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ShardPartitioner p && p.workers == workers;
  }

  @Override
  public int hashCode() {
    return workers;
  }
}
