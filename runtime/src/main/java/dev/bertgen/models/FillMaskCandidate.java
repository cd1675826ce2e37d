package dev.bertgen.models;

/**
 * One candidate for a {@code [MASK]}: the token, its id, and the probability the model gives it
 * (softmax over the whole vocabulary).
 */
public record FillMaskCandidate(String token, int id, double probability) {

  @Override
  public String toString() {
    return String.format(java.util.Locale.ROOT, "%s (%d) %.4f", token, id, probability);
  }
}
