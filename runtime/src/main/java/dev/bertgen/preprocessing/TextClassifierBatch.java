package dev.bertgen.preprocessing;

import java.util.Objects;

/**
 * What {@code BertTextClassifierPreprocessor} makes of labelled text: keras-hub's
 * {@code (x, y, sample_weight)} for a text classifier.
 *
 * @param inputs the packed inputs (x)
 * @param labels one class id per example (y)
 * @param sampleWeights one weight per example (1 unless given)
 */
public record TextClassifierBatch(PackedInputs inputs, int[] labels, float[] sampleWeights)
    implements TaskBatch<TextClassifierBatch> {

  /** @throws IllegalArgumentException when labels or weights do not have one entry per example */
  public TextClassifierBatch {
    Objects.requireNonNull(inputs, "inputs");
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(sampleWeights, "sampleWeights");
    int batch = inputs.tokenIds().length;
    if (labels.length != batch || sampleWeights.length != batch) {
      throw new IllegalArgumentException("labels has " + labels.length + " entries and sampleWeights "
          + sampleWeights.length + ", but the inputs have " + batch + " examples; give one of each per example");
    }
  }

  /** Labelled inputs, every example of weight 1. */
  public TextClassifierBatch(PackedInputs inputs, int[] labels) {
    this(inputs, labels, ones(labels.length));
  }

  private static float[] ones(int n) {
    float[] w = new float[n];
    java.util.Arrays.fill(w, 1f);
    return w;
  }

  /** Number of examples. */
  @Override
  public int size() {
    return labels.length;
  }

  /** Tokens per example. */
  @Override
  public int sequenceLength() {
    return inputs.tokenIds().length == 0 ? 0 : inputs.tokenIds()[0].length;
  }

  /**
   * The examples {@code rows} (in that order) as a new batch.
   *
   * @throws IndexOutOfBoundsException for a row outside [0, size)
   */
  @Override
  public TextClassifierBatch select(int... rows) {
    int n = rows.length;
    int[][] ids = new int[n][];
    int[][] mask = new int[n][];
    int[][] segments = new int[n][];
    int[] y = new int[n];
    float[] w = new float[n];
    for (int i = 0; i < n; i++) {
      int r = Objects.checkIndex(rows[i], size());
      ids[i] = inputs.tokenIds()[r];
      mask[i] = inputs.paddingMask()[r];
      segments[i] = inputs.segmentIds()[r];
      y[i] = labels[r];
      w[i] = sampleWeights[r];
    }
    return new TextClassifierBatch(new PackedInputs(ids, mask, segments), y, w);
  }
}
