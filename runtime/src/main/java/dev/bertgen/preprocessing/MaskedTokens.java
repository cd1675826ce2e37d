package dev.bertgen.preprocessing;

import java.util.Arrays;
import java.util.Objects;

/**
 * The masking of one sequence (keras-hub's {@code MaskedLMMaskGenerator} outputs).
 *
 * @param tokenIds the sequence with chosen positions replaced ([MASK], a random id, or unchanged)
 * @param maskPositions chosen positions in ascending order, then 0 padding up to
 *     {@code mask_selection_length}
 * @param maskIds the original ids at those positions, then 0 padding
 * @param maskWeights 1 for each chosen position, then 0 padding
 */
public record MaskedTokens(int[] tokenIds, int[] maskPositions, int[] maskIds, float[] maskWeights) {

  public MaskedTokens {
    Objects.requireNonNull(tokenIds, "tokenIds");
    Objects.requireNonNull(maskPositions, "maskPositions");
    Objects.requireNonNull(maskIds, "maskIds");
    Objects.requireNonNull(maskWeights, "maskWeights");
    if (maskIds.length != maskPositions.length || maskWeights.length != maskPositions.length) {
      throw new IllegalArgumentException("maskPositions, maskIds and maskWeights must have one length; got "
          + maskPositions.length + ", " + maskIds.length + ", " + maskWeights.length);
    }
  }

  /** Number of chosen positions (weight 1). */
  public int maskedCount() {
    int n = 0;
    for (float w : maskWeights) {
      if (w != 0f) {
        n++;
      }
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MaskedTokens m && Arrays.equals(tokenIds, m.tokenIds)
        && Arrays.equals(maskPositions, m.maskPositions) && Arrays.equals(maskIds, m.maskIds)
        && Arrays.equals(maskWeights, m.maskWeights);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(tokenIds), Arrays.hashCode(maskPositions), Arrays.hashCode(maskIds),
        Arrays.hashCode(maskWeights));
  }

  @Override
  public String toString() {
    return "MaskedTokens[tokenIds=" + Arrays.toString(tokenIds) + ", maskPositions="
        + Arrays.toString(maskPositions) + ", maskIds=" + Arrays.toString(maskIds) + ", maskWeights="
        + Arrays.toString(maskWeights) + "]";
  }
}
