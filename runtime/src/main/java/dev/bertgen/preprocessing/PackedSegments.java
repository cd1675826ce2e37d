package dev.bertgen.preprocessing;

import java.util.Arrays;
import java.util.Objects;

/**
 * One packed example: {@code [start] segment0 [sep] segment1 ... [end]} padded to the sequence
 * length, and the segment id of each position.
 *
 * @param tokenIds packed and padded token ids
 * @param segmentIds 0 for the start and segment 0 (with the separator after it), i for segment i
 *     and the separator or end after it, 0 for padding
 */
public record PackedSegments(int[] tokenIds, int[] segmentIds) {

  public PackedSegments {
    Objects.requireNonNull(tokenIds, "tokenIds");
    Objects.requireNonNull(segmentIds, "segmentIds");
    if (tokenIds.length != segmentIds.length) {
      throw new IllegalArgumentException("tokenIds has " + tokenIds.length + " positions but segmentIds has "
          + segmentIds.length + "; both must have the sequence length");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PackedSegments p && Arrays.equals(tokenIds, p.tokenIds)
        && Arrays.equals(segmentIds, p.segmentIds);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(tokenIds) + Arrays.hashCode(segmentIds);
  }

  @Override
  public String toString() {
    return "PackedSegments[tokenIds=" + Arrays.toString(tokenIds) + ", segmentIds="
        + Arrays.toString(segmentIds) + "]";
  }
}
