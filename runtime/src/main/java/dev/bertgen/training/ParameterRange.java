package dev.bertgen.training;

import java.util.List;

/**
 * A run of the parameter arena, {@code length} values from {@code offset}. The gradient arena has
 * the parameter arena's layout, so the same range names a variable's gradients too: the optimizer
 * needs nothing else to know what it updates.
 */
public record ParameterRange(int offset, int length) {

  public ParameterRange {
    if (offset < 0 || length < 0 || (long) offset + length > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("parameter range [" + offset + ", " + offset + " + " + length
          + ") is not inside an arena");
    }
  }

  /** First index after the range. */
  public int end() {
    return offset + length;
  }

  /**
   * Appends {@code next} to {@code ranges}, merging it into the last range when they touch (fewer
   * launches for the same update).
   */
  public static void append(List<ParameterRange> ranges, ParameterRange next) {
    if (!ranges.isEmpty() && ranges.get(ranges.size() - 1).end() == next.offset()) {
      ParameterRange last = ranges.remove(ranges.size() - 1);
      ranges.add(new ParameterRange(last.offset(), last.length() + next.length()));
    } else {
      ranges.add(next);
    }
  }

  /** Total values in {@code ranges}. */
  public static long total(List<ParameterRange> ranges) {
    long n = 0;
    for (ParameterRange r : ranges) {
      n += r.length();
    }
    return n;
  }

  /** The whole arena of {@code size} values. */
  public static List<ParameterRange> all(int size) {
    return List.of(new ParameterRange(0, size));
  }
}
