package dev.bertgen.compute;

/**
 * A batch of equally shaped matrices, e.g. one per (sequence, head): the first is {@code first}, matrix
 * (o, i) starts {@code o·outerStride + i·innerStride} elements after it, for {@code o < outer} and
 * {@code i < inner}. The batched products and transposes of {@link DeviceOps} take slices.
 *
 * @param first the matrix (0, 0); its rows, columns and row stride are every matrix's
 * @param outer outer batch count
 * @param inner inner batch count
 * @param outerStride elements between consecutive outer matrices
 * @param innerStride elements between consecutive inner matrices
 */
public record Slices(Tensor first, int outer, int inner, int outerStride, int innerStride) {

  public Slices {
    if (outer < 1 || inner < 1) {
      throw new IllegalArgumentException("slices of " + first.name() + " need at least one matrix, not "
          + outer + " × " + inner);
    }
  }

  public Arena arena() {
    return first.arena();
  }

  public String name() {
    return first.name();
  }

  public int rows() {
    return first.rows();
  }

  public int cols() {
    return first.cols();
  }

  /** Number of matrices. */
  public int count() {
    return outer * inner;
  }
}
