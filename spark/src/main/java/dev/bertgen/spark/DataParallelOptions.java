package dev.bertgen.spark;

import java.io.Serializable;
import java.util.Objects;

/**
 * The settings of a data-parallel training run (masked LM or text classifier), as the driver resolved them; every worker
 * gets this record (Spark serializes it into each task).
 *
 * @param data any path Spark's {@code textFile} reads (a file, a folder, a glob; local, HDFS, object
 *     stores; gzip allowed): one example per line, blank lines skipped
 * @param preset a preset directory, a built-in name, {@code kaggle://} or {@code hf://}
 * @param fromScratch start from keras-hub's initialization of the built-in preset {@code preset}
 * @param output an absolute folder every worker reaches (checkpoints and the trained preset)
 * @param workers the number of barrier tasks, one model replica each
 * @param batchSize examples per worker and step (the global batch is {@code workers · batchSize})
 * @param epochs passes over the data
 * @param stepsPerEpoch at most this many steps per epoch (0: as many as the smallest shard allows)
 * @param sequenceLength the preprocessor's sequence length, or {@code null} for 128 for a masked LM and 64
 *     for a classifier (or the preset's maximum if lower)
 * @param maskSlots mask slots per sequence, or {@code null} for 15 % of the sequence length
 * @param learningRate Adam's
 * @param seed shuffling, masking, dropout and initialization seed
 * @param shuffle whether each worker shuffles its shard every epoch
 * @param checkpointEvery updates between checkpoints
 * @param device {@code auto}, {@code gpu}, {@code cpu} or {@code java} (a Spark GPU resource, when the
 *     task has one, picks the OpenCL GPU of that index)
 * @param allReduceTimeoutMillis the longest one all-reduce socket operation may wait
 * @param failAtUpdate for testing recovery: the last worker fails at this update on the stage's first
 *     attempt; -1 for never
 * @param task what to train: a masked LM on text lines, or a text classifier on {@code label<TAB>text} lines
 * @param numClasses a classifier's number of classes, or {@code null} to take it from the labels
 * @param freezeBackbone train a classifier's head alone
 * @param dropout the dropout rate of training, or {@code null} for the model's own (the preset's, or
 *     keras-hub's 0.1 for a classifier's head)
 */
public record DataParallelOptions(String data, String preset, boolean fromScratch, String output, int workers,
    int batchSize, int epochs, int stepsPerEpoch, Integer sequenceLength, Integer maskSlots, double learningRate,
    long seed, boolean shuffle, int checkpointEvery, String device, long allReduceTimeoutMillis, long failAtUpdate,
    TaskKind task, Integer numClasses, boolean freezeBackbone, Double dropout) implements Serializable {

  private static final long serialVersionUID = 1L;

  public DataParallelOptions {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(preset, "preset");
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(task, "task");
    if (numClasses != null) {
      atLeast("numClasses", numClasses, 1);
    }
    if (dropout != null && !(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
    }
    atLeast("workers", workers, 1);
    atLeast("batchSize", batchSize, 1);
    atLeast("epochs", epochs, 1);
    atLeast("stepsPerEpoch", stepsPerEpoch, 0);
    atLeast("checkpointEvery", checkpointEvery, 1);
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException("learningRate must be a positive number, got " + learningRate);
    }
    if (allReduceTimeoutMillis < 1) {
      throw new IllegalArgumentException("allReduceTimeoutMillis must be at least 1, got " + allReduceTimeoutMillis);
    }
  }

  private static void atLeast(String name, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be at least " + min + ", got " + value);
    }
  }
}
