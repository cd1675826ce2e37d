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
 * @param inDims for a dense kernel, how many leading Keras dimensions form its input side: the
 *     arena then stores it transposed, {@code [out][in]}, so that every forward matrix product
 *     reads both operands along contiguous memory; 0 for variables stored as Keras lays them out
 */
public record Variable(String path, int[] shape, Init init, int offset, boolean backbone, int inDims) {

  /** keras-hub's initializers for BERT. */
  public enum Init {
    /** TruncatedNormal(mean 0, stddev 0.02), re-drawn beyond two standard deviations. */
    TRUNCATED_NORMAL,
    ZEROS,
    ONES
  }

  /** True for a dense kernel stored {@code [out][in]}. */
  public boolean transposed() {
    return inDims > 0;
  }

  /** Size of the input side of a transposed kernel (product of its first {@code inDims} dimensions). */
  public int inSize() {
    int n = 1;
    for (int i = 0; i < inDims; i++) {
      n *= shape[i];
    }
    return n;
  }

  /** Size of the output side of a transposed kernel. */
  public int outSize() {
    return size() / inSize();
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
        && v.init == init && v.offset == offset && v.backbone == backbone && v.inDims == inDims;
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
