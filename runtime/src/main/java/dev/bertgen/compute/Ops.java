package dev.bertgen.compute;

/** Operation codes of {@link BertKernels#dispatch}. */
public final class Ops {
  private Ops() {}

  /** {@code a[i0 + g] = f0}. */
  public static final int OP_FILL = 1;
  /** {@code a[i0 + g] = a[i1 + g] * f0}. */
  public static final int OP_SCALE = 2;
}
