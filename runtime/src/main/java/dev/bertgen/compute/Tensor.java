package dev.bertgen.compute;

/**
 * A named matrix in one of the kernels' arrays: {@code rows × cols} values, row-major, starting at
 * element {@code offset} of {@code arena}, consecutive rows {@code stride} elements apart. Layers pass
 * tensors to {@link DeviceOps} instead of bare offsets; views ({@link #columns}, {@link #rowRange},
 * {@link #everyRow}) keep the name, for messages.
 *
 * @param name what the tensor holds, e.g. {@code hiddenStates}
 * @param arena the array it lives in
 * @param offset its first element
 * @param rows number of rows
 * @param cols number of columns
 * @param stride elements from one row to the next
 */
public record Tensor(String name, Arena arena, int offset, int rows, int cols, int stride) {

  public Tensor {
    if (offset < 0 || rows < 0 || cols < 0 || stride < 0) {
      throw new IllegalArgumentException("tensor " + name + " has a negative offset, size or stride: offset "
          + offset + ", " + rows + " × " + cols + ", stride " + stride);
    }
  }

  /** A contiguous {@code rows × cols} matrix at {@code offset} of {@code arena}. */
  public static Tensor of(String name, Arena arena, int offset, int rows, int cols) {
    return new Tensor(name, arena, offset, rows, cols, cols);
  }

  /** Number of elements, {@code rows · cols}. */
  public int size() {
    return Math.toIntExact((long) rows * cols);
  }

  /** Whether the rows follow one another without gaps (elementwise operations need that). */
  public boolean contiguous() {
    return stride == cols || rows <= 1;
  }

  /** Columns {@code [from, from + width)} of every row (same row stride). */
  public Tensor columns(int from, int width) {
    return new Tensor(name, arena, offset + from, rows, width, stride);
  }

  /** Rows {@code [from, from + count)}. */
  public Tensor rowRange(int from, int count) {
    return new Tensor(name, arena, offset + Math.toIntExact((long) from * stride), count, cols, stride);
  }

  /** The first {@code count} rows, or as many rows of the same buffer when it is larger (scratch space). */
  public Tensor firstRows(int count) {
    return new Tensor(name, arena, offset, count, cols, stride);
  }

  /** Every {@code step}-th row from the first, e.g. the first token of each sequence. */
  public Tensor everyRow(int step) {
    return new Tensor(name, arena, offset, rows / step, cols, stride * step);
  }

  /** The tensor at the same place of another array (a parameter's gradient, ...). */
  public Tensor in(Arena other, String otherName) {
    return new Tensor(otherName, other, offset, rows, cols, stride);
  }

  /** A parameter's gradient: the same place in {@link Arena#GRADIENTS}. */
  public Tensor gradient() {
    if (arena != Arena.PARAMETERS) {
      throw new IllegalArgumentException("tensor " + name + " is in " + arena + "; only parameters have "
          + "gradients in " + Arena.GRADIENTS);
    }
    return in(Arena.GRADIENTS, "d" + name);
  }

  /** This matrix alone, as a batch of one. */
  public Slices single() {
    return new Slices(this, 1, 1, 0, 0);
  }

  /**
   * An {@code outer × inner} batch of matrices shaped like this one, the first one here, the others
   * {@code outerStride} and {@code innerStride} elements on (0: the same matrix again).
   */
  public Slices batch(int outer, int inner, int outerStride, int innerStride) {
    return new Slices(this, outer, inner, outerStride, innerStride);
  }

  /**
   * The (sequence, head) slices of a (batch·seq, heads·headDim) matrix, e.g. the queries: per
   * sequence and head a (seq, headDim) matrix, whose rows keep this tensor's stride.
   */
  public Slices heads(int batch, int heads, int seq) {
    Tensor slice = new Tensor(name, arena, offset, seq, cols / heads, stride);
    return slice.batch(batch, heads, Math.toIntExact((long) seq * stride), cols / heads);
  }

  /**
   * The (sequence, head) slices of a matrix that stacks them, (batch·heads·m, n) as (batch, heads, m, n),
   * e.g. the attention scores: per sequence and head one contiguous (m, n) matrix.
   */
  public Slices stacked(int batch, int heads) {
    int m = rows / (batch * heads);
    int each = Math.toIntExact((long) m * stride);
    return new Tensor(name, arena, offset, m, cols, stride).batch(batch, heads, heads * each, each);
  }

  @Override
  public String toString() {
    return name + " (" + rows + " × " + cols + (stride != cols ? ", stride " + stride : "") + " at " + offset
        + " of " + arena + ")";
  }
}
