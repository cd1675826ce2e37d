package dev.bertgen.preprocessing;

import java.util.Arrays;
import java.util.Objects;

/**
 * What {@code BertMaskedLMPreprocessor} makes of a batch of text: keras-hub's {@code (x, y,
 * sample_weight)}.
 *
 * @param inputs the model inputs (x)
 * @param labels (batch, mask slots) original ids at the mask positions ({@code mask_ids}, y), 0 in
 *     unused slots
 * @param sampleWeights (batch, mask slots) 1 for used slots, 0 for unused ones ({@code mask_weights})
 */
public record MaskedLMBatch(MaskedLMInputs inputs, int[][] labels, float[][] sampleWeights)
    implements TaskBatch<MaskedLMBatch> {

  /** @throws IllegalArgumentException when labels or weights are not (batch, mask slots) */
  public MaskedLMBatch {
    Objects.requireNonNull(inputs, "inputs");
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(sampleWeights, "sampleWeights");
    int batch = inputs.batchSize();
    if (labels.length != batch || sampleWeights.length != batch) {
      throw new IllegalArgumentException("labels has " + labels.length + " rows and sampleWeights "
          + sampleWeights.length + ", but the inputs have " + batch + " examples");
    }
    for (int b = 0; b < batch; b++) {
      int slots = inputs.maskPositions()[b].length;
      if (labels[b].length != slots || sampleWeights[b].length != slots) {
        throw new IllegalArgumentException("row " + b + ": labels has " + labels[b].length + " and "
            + "sampleWeights " + sampleWeights[b].length + " columns, but maskPositions has " + slots
            + "; all three have one column per mask slot");
      }
    }
  }

  /** Number of examples. */
  @Override
  public int size() {
    return inputs.batchSize();
  }

  @Override
  public int sequenceLength() {
    return inputs.sequenceLength();
  }

  /**
   * The examples {@code rows} (in that order) as a new batch.
   *
   * @throws IndexOutOfBoundsException for a row outside [0, size)
   */
  @Override
  public MaskedLMBatch select(int... rows) {
    int n = rows.length;
    int[][] ids = new int[n][];
    int[][] mask = new int[n][];
    int[][] positions = new int[n][];
    int[][] segments = new int[n][];
    int[][] y = new int[n][];
    float[][] w = new float[n][];
    for (int i = 0; i < n; i++) {
      int r = java.util.Objects.checkIndex(rows[i], size());
      ids[i] = inputs.tokenIds()[r];
      mask[i] = inputs.paddingMask()[r];
      positions[i] = inputs.maskPositions()[r];
      segments[i] = inputs.segmentIds()[r];
      y[i] = labels[r];
      w[i] = sampleWeights[r];
    }
    return new MaskedLMBatch(new MaskedLMInputs(ids, mask, positions, segments), y, w);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MaskedLMBatch m && inputs.equals(m.inputs) && Arrays.deepEquals(labels, m.labels)
        && Arrays.deepEquals(sampleWeights, m.sampleWeights);
  }

  @Override
  public int hashCode() {
    return Objects.hash(inputs, Arrays.deepHashCode(labels), Arrays.deepHashCode(sampleWeights));
  }

  @Override
  public String toString() {
    return "MaskedLMBatch[inputs=" + inputs + ", labels=" + Arrays.deepToString(labels) + ", sampleWeights="
        + Arrays.deepToString(sampleWeights) + "]";
  }
}
