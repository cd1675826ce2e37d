package dev.bertgen.models;

import java.util.Objects;

/**
 * The inputs of a masked LM, keras-hub's feature dict: {@code token_ids}, {@code padding_mask},
 * {@code mask_positions}, {@code segment_ids}, each a batch of rows.
 *
 * @param tokenIds (batch, sequence) token ids, already masked
 * @param paddingMask (batch, sequence) 1 for real tokens, 0 for padding
 * @param maskPositions (batch, maskSlots) positions to predict; padded slots use position 0
 * @param segmentIds (batch, sequence) segment ids
 */
public record MaskedLMInputs(int[][] tokenIds, int[][] paddingMask, int[][] maskPositions, int[][] segmentIds) {

  /**
   * @throws IllegalArgumentException when the batch is empty or the rows disagree in length
   */
  public MaskedLMInputs {
    Objects.requireNonNull(tokenIds, "tokenIds");
    Objects.requireNonNull(paddingMask, "paddingMask");
    Objects.requireNonNull(maskPositions, "maskPositions");
    Objects.requireNonNull(segmentIds, "segmentIds");
    if (tokenIds.length == 0) {
      throw new IllegalArgumentException("tokenIds is an empty batch; give at least one row");
    }
    int b = tokenIds.length;
    if (paddingMask.length != b || maskPositions.length != b || segmentIds.length != b) {
      throw new IllegalArgumentException("batch sizes differ: tokenIds " + b + ", paddingMask "
          + paddingMask.length + ", maskPositions " + maskPositions.length + ", segmentIds "
          + segmentIds.length + "; give one row per sequence in each");
    }
    Shapes.requireRectangular("tokenIds", tokenIds);
    Shapes.requireSameShape("paddingMask", paddingMask, "tokenIds", tokenIds);
    Shapes.requireSameShape("segmentIds", segmentIds, "tokenIds", tokenIds);
    Shapes.requireRectangular("maskPositions", maskPositions);
  }

  public int batchSize() {
    return tokenIds.length;
  }

  public int sequenceLength() {
    return tokenIds[0].length;
  }

  public int maskSlots() {
    return maskPositions[0].length;
  }
}
