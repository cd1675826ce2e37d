package dev.bertgen.layers;

import java.util.SplittableRandom;

/** keras-hub's BERT initializers, reproducible from a seed. */
public final class Initializers {
  private Initializers() {}

  /** Standard deviation of keras-hub's kernel and embedding initializer. */
  public static final double STDDEV = 0.02;

  /**
   * Fills the arena slice of {@code v}. The random stream depends only on {@code seed} and the
   * variable's path, so adding variables elsewhere does not change the values of the others.
   */
  public static void fill(float[] arena, Variable v, long seed) {
    int end = v.offset() + v.size();
    switch (v.init()) {
      case ZEROS -> java.util.Arrays.fill(arena, v.offset(), end, 0f);
      case ONES -> java.util.Arrays.fill(arena, v.offset(), end, 1f);
      case TRUNCATED_NORMAL -> {
        SplittableRandom r = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (v.path().hashCode() + 1L)));
        for (int i = v.offset(); i < end; i++) {
          arena[i] = (float) (STDDEV * truncatedStandardNormal(r));
        }
      }
    }
  }

  /** A standard normal draw, re-drawn while it lies beyond ±2 (Keras' TruncatedNormal). */
  static double truncatedStandardNormal(SplittableRandom r) {
    while (true) {
      // Box-Muller, one value per pair of uniforms
      double u1 = r.nextDouble();
      double u2 = r.nextDouble();
      if (u1 <= 0) {
        continue;
      }
      double z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
      if (Math.abs(z) <= 2) {
        return z;
      }
    }
  }
}
