package dev.bertgen.preprocessing;

/** Where {@link MultiSegmentPacker} puts padding (keras-hub's {@code padding_side}). */
public enum PaddingSide {
  /** Padding after the tokens (keras-hub's default). */
  RIGHT,
  /** Padding before the tokens; the packed tokens end at the last position. */
  LEFT
}
