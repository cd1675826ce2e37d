package dev.bertgen.preprocessing;

import java.util.Arrays;
import java.util.Objects;

/**
 * The inputs of {@code BertMaskedLM}: keras-hub's {@code {token_ids, padding_mask, mask_positions,
 * segment_ids}}, one row per example.
 *
 * @param tokenIds (batch, sequence) token ids, already masked
 * @param paddingMask (batch, sequence) 1 for real tokens, 0 for padding
 * @param maskPositions (batch, mask slots) positions whose tokens the model predicts; unused slots
 *     hold 0 (and have sample weight 0)
 * @param segmentIds (batch, sequence) segment of each position
 */
public record MaskedLMInputs(int[][] tokenIds, int[][] paddingMask, int[][] maskPositions, int[][] segmentIds) {

  /**
   * @throws IllegalArgumentException when the arrays do not have the shapes (B, S), (B, S), (B, M),
   *     (B, S), or a mask position is outside [0, S)
   */
  public MaskedLMInputs {
    Objects.requireNonNull(tokenIds, "tokenIds");
    Objects.requireNonNull(paddingMask, "paddingMask");
    Objects.requireNonNull(maskPositions, "maskPositions");
    Objects.requireNonNull(segmentIds, "segmentIds");
    int batch = tokenIds.length;
    int length = rectangular("tokenIds", tokenIds, -1);
    sameShape("paddingMask", paddingMask, batch, length);
    sameShape("segmentIds", segmentIds, batch, length);
    if (maskPositions.length != batch) {
      throw new IllegalArgumentException("maskPositions has " + maskPositions.length + " rows but tokenIds has "
          + batch + "; pass one row of mask positions per example");
    }
    rectangular("maskPositions", maskPositions, -1);
    for (int b = 0; b < batch; b++) {
      for (int j = 0; j < maskPositions[b].length; j++) {
        int p = maskPositions[b][j];
        if (p < 0 || p >= length) {
          throw new IllegalArgumentException("maskPositions[" + b + "][" + j + "] is " + p + ", outside the "
              + "sequence [0, " + length + "); positions index tokenIds' columns (use 0 with weight 0 for "
              + "unused slots)");
        }
      }
    }
  }

  /** Checks all rows have one length and returns it (0 for an empty batch). */
  private static int rectangular(String name, int[][] rows, int expected) {
    int length = expected;
    for (int b = 0; b < rows.length; b++) {
      if (rows[b] == null) {
        throw new IllegalArgumentException(name + "[" + b + "] is null");
      }
      if (length < 0) {
        length = rows[b].length;
      } else if (rows[b].length != length) {
        throw new IllegalArgumentException(name + "[" + b + "] has " + rows[b].length + " columns but row 0 "
            + "has " + length + "; every row must be padded to the same length");
      }
    }
    return Math.max(length, 0);
  }

  private static void sameShape(String name, int[][] rows, int batch, int length) {
    if (rows.length != batch) {
      throw new IllegalArgumentException(name + " has " + rows.length + " rows but tokenIds has " + batch
          + "; all inputs need one row per example");
    }
    for (int b = 0; b < batch; b++) {
      if (rows[b] == null || rows[b].length != length) {
        throw new IllegalArgumentException(name + "[" + b + "] has " + (rows[b] == null ? "no" : rows[b].length)
            + " columns but tokenIds has " + length + "; " + name + " must have tokenIds' shape");
      }
    }
  }

  /** Number of examples. */
  public int batchSize() {
    return tokenIds.length;
  }

  /** Padded sequence length (0 for an empty batch). */
  public int sequenceLength() {
    return tokenIds.length == 0 ? 0 : tokenIds[0].length;
  }

  /** Number of mask slots per example (0 for an empty batch). */
  public int maskSlots() {
    return maskPositions.length == 0 ? 0 : maskPositions[0].length;
  }

  /**
   * The same inputs cut after the last position any row uses (its last real token or mask position), rounded
   * up to a multiple of {@code multiple} and at most the current length: the positions cut are padding, which
   * attention ignores, so the outputs at the kept positions do not change while the work shrinks with the
   * length (fill-mask of one short text padded to 512 positions does ~30× the work it needs).
   */
  public MaskedLMInputs withoutTrailingPadding(int multiple) {
    if (multiple < 1) {
      throw new IllegalArgumentException("multiple must be at least 1, got " + multiple);
    }
    int used = 0;
    for (int b = 0; b < batchSize(); b++) {
      for (int s = paddingMask[b].length - 1; s >= used; s--) {
        if (paddingMask[b][s] != 0) {
          used = s + 1;
          break;
        }
      }
      for (int p : maskPositions[b]) {
        used = Math.max(used, p + 1);
      }
    }
    int length = Math.min(sequenceLength(), Math.max(multiple, (used + multiple - 1) / multiple * multiple));
    if (length >= sequenceLength()) {
      return this;
    }
    int[][] ids = new int[batchSize()][];
    int[][] mask = new int[batchSize()][];
    int[][] segments = new int[batchSize()][];
    for (int b = 0; b < batchSize(); b++) {
      ids[b] = Arrays.copyOf(tokenIds[b], length);
      mask[b] = Arrays.copyOf(paddingMask[b], length);
      segments[b] = Arrays.copyOf(segmentIds[b], length);
    }
    return new MaskedLMInputs(ids, mask, maskPositions, segments);
  }

  /** Rows {@code from} (inclusive) to {@code to} (exclusive) as new inputs sharing the row arrays. */
  public MaskedLMInputs rows(int from, int to) {
    java.util.Objects.checkFromToIndex(from, to, batchSize());
    return new MaskedLMInputs(Arrays.copyOfRange(tokenIds, from, to), Arrays.copyOfRange(paddingMask, from, to),
        Arrays.copyOfRange(maskPositions, from, to), Arrays.copyOfRange(segmentIds, from, to));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MaskedLMInputs m && Arrays.deepEquals(tokenIds, m.tokenIds)
        && Arrays.deepEquals(paddingMask, m.paddingMask) && Arrays.deepEquals(maskPositions, m.maskPositions)
        && Arrays.deepEquals(segmentIds, m.segmentIds);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.deepHashCode(tokenIds), Arrays.deepHashCode(paddingMask),
        Arrays.deepHashCode(maskPositions), Arrays.deepHashCode(segmentIds));
  }

  @Override
  public String toString() {
    return "MaskedLMInputs[tokenIds=" + Arrays.deepToString(tokenIds) + ", paddingMask="
        + Arrays.deepToString(paddingMask) + ", maskPositions=" + Arrays.deepToString(maskPositions)
        + ", segmentIds=" + Arrays.deepToString(segmentIds) + "]";
  }
}
