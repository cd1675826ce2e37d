package dev.bertgen.preprocessing;

import dev.bertgen.dsl.Truncation;
import java.util.Arrays;
import java.util.Objects;

/**
 * keras-hub's {@code MultiSegmentPacker}: packs one or more segments of token ids into
 * {@code [start] s0 [sep] s1 ... [end]}, trimming the tails of segments that do not fit and padding
 * to {@code sequenceLength}.
 *
 * <ul>
 *   <li>Budget for segment tokens: sequence length − |start| − (n − 1)·|sep| − |end|.
 *   <li>{@link Truncation#ROUND_ROBIN}: segments take one token each in turn (0, 1, 0, 1, ...),
 *       skipping exhausted ones, so segment 0 gets the odd extra token.
 *       {@link Truncation#WATERFALL}: segments are filled left to right.
 *   <li>Segment ids: 0 for the start tokens; i for segment i and the separator (or end) after it;
 *       0 for padding.
 * </ul>
 *
 * <pre>{@code
 * MultiSegmentPacker packer = MultiSegmentPacker.builder(8).startValue(101).endValue(102).build();
 * packer.pack(new int[] {1, 2, 3, 4}, new int[] {11, 12, 13, 14});
 * // tokenIds [101, 1, 2, 3, 102, 11, 12, 102], segmentIds [0, 0, 0, 0, 0, 1, 1, 1]
 * }</pre>
 */
public final class MultiSegmentPacker {
  private final int sequenceLength;
  private final int[] startValue;
  private final int[] endValue;
  private final int[] sepValue;
  private final int padValue;
  private final Truncation truncate;
  private final PaddingSide paddingSide;

  /**
   * @param startValue tokens put first (may be empty)
   * @param endValue tokens put last (may be empty)
   * @param sepValue tokens between segments; {@code null} means the end tokens
   * @param padValue padding token id (keras-hub's {@code pad_value=None} is 0)
   * @throws IllegalArgumentException for a sequence length below 1 or {@link Truncation#INHERIT}
   */
  public MultiSegmentPacker(int sequenceLength, int[] startValue, int[] endValue, int[] sepValue,
      int padValue, Truncation truncate, PaddingSide paddingSide) {
    this.sequenceLength = checkLength(sequenceLength);
    this.startValue = Objects.requireNonNull(startValue, "startValue").clone();
    this.endValue = Objects.requireNonNull(endValue, "endValue").clone();
    this.sepValue = sepValue == null ? this.endValue : sepValue.clone();
    this.padValue = padValue;
    this.truncate = Objects.requireNonNull(truncate, "truncate");
    if (truncate != Truncation.ROUND_ROBIN && truncate != Truncation.WATERFALL) {
      throw new IllegalArgumentException("Only ROUND_ROBIN and WATERFALL truncation are supported. "
          + "Received " + truncate);
    }
    this.paddingSide = Objects.requireNonNull(paddingSide, "paddingSide");
  }

  /** A builder with keras-hub's defaults: no start or end tokens, pad 0, round robin, right padding. */
  public static Builder builder(int sequenceLength) {
    return new Builder(sequenceLength);
  }

  private static int checkLength(int sequenceLength) {
    if (sequenceLength < 1) {
      throw new IllegalArgumentException("sequenceLength is " + sequenceLength + "; it must be at least 1");
    }
    return sequenceLength;
  }

  public int sequenceLength() {
    return sequenceLength;
  }

  public Truncation truncate() {
    return truncate;
  }

  public PaddingSide paddingSide() {
    return paddingSide;
  }

  /** The same packer with another sequence length (keras-hub: setting {@code sequence_length}). */
  public MultiSegmentPacker withSequenceLength(int value) {
    return new MultiSegmentPacker(value, startValue, endValue, sepValue, padValue, truncate, paddingSide);
  }

  /** Packs one example made of {@code segments} (at least one), with start and end tokens. */
  public PackedSegments pack(int[]... segments) {
    return pack(sequenceLength, true, true, segments);
  }

  /**
   * Packs one example.
   *
   * @param sequenceLength overrides the packer's sequence length for this call
   * @param addStartValue put the start tokens (and count them in the budget)
   * @param addEndValue put the end tokens (and count them in the budget)
   */
  public PackedSegments pack(int sequenceLength, boolean addStartValue, boolean addEndValue, int[]... segments) {
    checkLength(sequenceLength);
    Objects.requireNonNull(segments, "segments");
    int n = segments.length;
    if (n == 0) {
      throw new IllegalArgumentException("At least one segment is required for packing; pass the token "
          + "ids of one or more segments");
    }
    int[] lengths = new int[n];
    for (int s = 0; s < n; s++) {
      lengths[s] = Objects.requireNonNull(segments[s], "segment " + s).length;
    }
    int special = (addStartValue ? startValue.length : 0) + (n - 1) * sepValue.length
        + (addEndValue ? endValue.length : 0);
    int[] keep = truncate == Truncation.WATERFALL
        ? waterfall(lengths, sequenceLength - special)
        : roundRobin(lengths, sequenceLength - special);
    int total = special;
    for (int k : keep) {
      total += k;
    }
    // Lay out [start] s0 [sep] s1 ... [end] directly in the padded arrays: position p of the layout
    // goes to p + shift, and positions that fall outside [0, sequenceLength) are dropped (only
    // possible when the special tokens alone exceed the length: right padding keeps the head, left
    // padding the tail, as keras-hub's reverse-pad-reverse does).
    int shift = paddingSide == PaddingSide.RIGHT ? 0 : sequenceLength - total;
    int[] ids = new int[sequenceLength];
    int[] segmentIds = new int[sequenceLength];
    if (padValue != 0) {
      if (shift > 0) {
        Arrays.fill(ids, 0, shift, padValue);
      } else if (total < sequenceLength) {
        Arrays.fill(ids, total, sequenceLength, padValue);
      }
    }
    int p = shift;
    if (addStartValue) {
      p = put(startValue, startValue.length, 0, ids, segmentIds, p);
    }
    for (int s = 0; s < n; s++) {
      p = put(segments[s], keep[s], s, ids, segmentIds, p);
      int[] after = s < n - 1 ? sepValue : addEndValue ? endValue : NONE;
      p = put(after, after.length, s, ids, segmentIds, p);
    }
    return new PackedSegments(ids, segmentIds);
  }

  private static final int[] NONE = new int[0];

  /** Copies {@code src[0, count)} with segment id {@code segment} to layout position {@code p}. */
  private static int put(int[] src, int count, int segment, int[] ids, int[] segmentIds, int p) {
    int from = Math.max(0, -p);
    int to = Math.min(count, ids.length - p);
    if (from < to) {
      System.arraycopy(src, from, ids, p + from, to - from);
      if (segment != 0) {
        Arrays.fill(segmentIds, p + from, p + to, segment);
      }
    }
    return p + count;
  }

  /** Tokens kept per segment: one per segment in turn until the budget is used. */
  static int[] roundRobin(int[] lengths, int budget) {
    int n = lengths.length;
    int[] keep = new int[n];
    long sum = 0;
    int max = 0;
    for (int l : lengths) {
      sum += l;
      max = Math.max(max, l);
    }
    if (sum <= budget) {
      return lengths.clone();
    }
    if (budget <= 0) {
      return keep;
    }
    // The largest number of full rounds r with sum(min(length, r)) <= budget.
    int lo = 0;
    int hi = max;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (takenInRounds(lengths, mid) <= budget) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    long rest = budget - takenInRounds(lengths, lo);
    for (int s = 0; s < n; s++) {
      keep[s] = Math.min(lengths[s], lo);
      if (lengths[s] > lo && rest > 0) {
        keep[s]++;
        rest--;
      }
    }
    return keep;
  }

  private static long takenInRounds(int[] lengths, int rounds) {
    long taken = 0;
    for (int l : lengths) {
      taken += Math.min(l, rounds);
    }
    return taken;
  }

  /** Tokens kept per segment: segments filled left to right. */
  static int[] waterfall(int[] lengths, int budget) {
    int[] keep = new int[lengths.length];
    int remaining = Math.max(0, budget);
    for (int s = 0; s < lengths.length; s++) {
      keep[s] = Math.min(lengths[s], remaining);
      remaining -= keep[s];
    }
    return keep;
  }

  /** Builder of {@link MultiSegmentPacker}. */
  public static final class Builder {
    private final int sequenceLength;
    private int[] startValue = new int[0];
    private int[] endValue = new int[0];
    private int[] sepValue;
    private int padValue;
    private Truncation truncate = Truncation.ROUND_ROBIN;
    private PaddingSide paddingSide = PaddingSide.RIGHT;

    private Builder(int sequenceLength) {
      this.sequenceLength = sequenceLength;
    }

    /** Tokens put first; none to put none. */
    public Builder startValue(int... value) {
      this.startValue = value;
      return this;
    }

    /** Tokens put last; none to put none. */
    public Builder endValue(int... value) {
      this.endValue = value;
      return this;
    }

    /** Tokens between segments; by default the end tokens. {@code sepValue()} puts none. */
    public Builder sepValue(int... value) {
      this.sepValue = value;
      return this;
    }

    public Builder padValue(int value) {
      this.padValue = value;
      return this;
    }

    public Builder truncate(Truncation value) {
      this.truncate = value;
      return this;
    }

    public Builder paddingSide(PaddingSide value) {
      this.paddingSide = value;
      return this;
    }

    public MultiSegmentPacker build() {
      return new MultiSegmentPacker(sequenceLength, startValue, endValue, sepValue, padValue, truncate,
          paddingSide);
    }
  }
}
