package dev.bertgen.preprocessing;

import java.util.Arrays;
import java.util.Objects;

/**
 * Packed but unmasked BERT inputs (keras-hub's {@code {token_ids, padding_mask, segment_ids}}), as
 * {@code BertMaskedLMPreprocessor.pack} makes them for prediction and fill-mask.
 *
 * @param tokenIds (batch, sequence) token ids
 * @param paddingMask (batch, sequence) 1 for real tokens, 0 for padding
 * @param segmentIds (batch, sequence) segment of each position
 */
public record PackedInputs(int[][] tokenIds, int[][] paddingMask, int[][] segmentIds) {

  public PackedInputs {
    // MaskedLMInputs checks the shapes; no mask positions here.
    new MaskedLMInputs(tokenIds, paddingMask, new int[Objects.requireNonNull(tokenIds, "tokenIds").length][0],
        segmentIds);
  }

  /** These inputs with {@code maskPositions} (batch, mask slots). */
  public MaskedLMInputs withMaskPositions(int[][] maskPositions) {
    return new MaskedLMInputs(tokenIds, paddingMask, maskPositions, segmentIds);
  }

  /**
   * The positions of {@code tokenId} in each row (for fill-mask: where [MASK] is), padded with 0 to
   * the largest count in the batch.
   */
  public int[][] positionsOf(int tokenId) {
    int[][] rows = new int[tokenIds.length][];
    int max = 0;
    for (int b = 0; b < tokenIds.length; b++) {
      int[] row = new int[tokenIds[b].length];
      int n = 0;
      for (int i = 0; i < row.length; i++) {
        if (tokenIds[b][i] == tokenId) {
          row[n++] = i;
        }
      }
      rows[b] = Arrays.copyOf(row, n);
      max = Math.max(max, n);
    }
    for (int b = 0; b < rows.length; b++) {
      rows[b] = Arrays.copyOf(rows[b], max);
    }
    return rows;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PackedInputs p && Arrays.deepEquals(tokenIds, p.tokenIds)
        && Arrays.deepEquals(paddingMask, p.paddingMask) && Arrays.deepEquals(segmentIds, p.segmentIds);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.deepHashCode(tokenIds), Arrays.deepHashCode(paddingMask),
        Arrays.deepHashCode(segmentIds));
  }

  @Override
  public String toString() {
    return "PackedInputs[tokenIds=" + Arrays.deepToString(tokenIds) + ", paddingMask="
        + Arrays.deepToString(paddingMask) + ", segmentIds=" + Arrays.deepToString(segmentIds) + "]";
  }
}
