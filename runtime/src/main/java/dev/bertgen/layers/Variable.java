package dev.bertgen.layers;

import java.util.Arrays;

/**
 * One trainable tensor of a model: its Keras variable path (e.g. {@code mlm_head/output_bias}), its
 * shape as Keras gives it, how keras-hub initializes it, and where it lives in the parameter arena.
 *
 * @param path Keras variable path
 * @param shape Keras shape (row-major storage)
 * @param init keras-hub's initializer for it
 * @param offset first element in the parameter arena
 * @param backbone true for backbone variables, false for task-head variables
 */
public record Variable(String path, int[] shape, Init init, int offset, boolean backbone) {

  /** keras-hub's initializers for BERT. */
  public enum Init {
    /** TruncatedNormal(mean 0, stddev 0.02), re-drawn beyond two standard deviations. */
    TRUNCATED_NORMAL,
    ZEROS,
    ONES
  }

  /** Number of elements. */
  public int size() {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }

  /** The shape as keras prints it, e.g. {@code (128, 2, 64)}. */
  public String shapeString() {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(shape[i]);
    }
    return sb.append(shape.length == 1 ? ",)" : ")").toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Variable v && v.path.equals(path) && Arrays.equals(v.shape, shape)
        && v.init == init && v.offset == offset && v.backbone == backbone;
  }

  @Override
  public int hashCode() {
    return path.hashCode() * 31 + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return path + " " + shapeString();
  }
}
