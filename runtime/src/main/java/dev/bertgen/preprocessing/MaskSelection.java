package dev.bertgen.preprocessing;

/** Which of keras-hub's two algorithms {@link MaskedLMMaskGenerator} uses to choose positions. */
public enum MaskSelection {
  /**
   * The algorithm keras-hub's {@code fit}, {@code evaluate} and {@code predict} use (the tf.data
   * path, tf-text's {@code RandomItemSelector} and {@code MaskValuesChooser}): exactly
   * {@code min(ceil(selectable · rate), mask_selection_length)} positions, uniformly without
   * replacement; one uniform u per position: u < mask rate gives [MASK], mask rate < u < mask rate +
   * random rate a uniform random id, otherwise the token is kept. The default.
   */
  EXACT_COUNT,
  /**
   * keras-hub's eager Python path (direct calls to the layer): each selectable position is chosen
   * independently with probability rate; above {@code mask_selection_length}, a random subset of
   * that size is kept; then r < mask rate gives [MASK], r < mask rate + random rate a uniform random
   * id, otherwise the token is kept.
   */
  PER_TOKEN
}
