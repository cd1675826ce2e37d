package dev.bertgen.models;

import java.util.List;

/**
 * What {@link BertMaskedLM#fillMask} predicts for one {@code [MASK]} of a text.
 *
 * @param position the [MASK]'s index in the packed sequence ([CLS] is 0)
 * @param candidates the most probable tokens, most probable first
 */
public record MaskPrediction(int position, List<FillMaskCandidate> candidates) {

  public MaskPrediction {
    candidates = List.copyOf(candidates);
  }

  /** The most probable candidate. */
  public FillMaskCandidate best() {
    return candidates.get(0);
  }
}
