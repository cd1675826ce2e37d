package dev.bertgen.compute;

/**
 * Operation codes of {@link BertKernels#dispatch} and the meaning of their arguments. Offsets are
 * element offsets into the arena named in brackets: [a] activations, [p] parameters, [ii] integer
 * inputs, [out] the download buffer.
 */
public final class Ops {
  private Ops() {}

  /** {@code [a] i0 + g = f0}. */
  public static final int FILL = 1;

  /**
   * Embeddings and their LayerNorm, one work-item per token: {@code LN(tok[id] + pos[s] + seg[sid])}.
   * i0 output [a], i1 token ids [ii], i2 segment ids [ii], i3 sequence length, i4 token embedding
   * [p], i5 position embedding [p], i6 segment embedding [p], i7 gamma [p] (beta follows), f0 epsilon.
   */
  public static final int EMBEDDINGS = 2;

  /**
   * Batched matrix product {@code Y = act(f0·X·W + bias)} with X [a] and W [p], K = {@code hidden},
   * one register block of {@value BertKernels#BLOCK_ROWS}×{@value BertKernels#BLOCK_COLS} per
   * work-item. Arguments ({@link Matmul} builds them): i0 X, i1 X row stride, i2 W, i3 W row stride,
   * i4 Y, i5 Y row stride, i6 bias [p] or -1, i7 activation ({@code ACT_*}), i8 M, i9 N, i10 inner
   * batch count; batch offsets i11/i12 (X outer/inner), i13/i14 (W), i15/i16 (Y); i17 width of a
   * column group of W and i18 the distance between groups (W's columns come from several matrices,
   * e.g. query, key and value kernels; otherwise i17 = N), i19 K for {@link #MATMUL}.
   */
  public static final int DENSE_FROM_HIDDEN = 3;

  /** As {@link #DENSE_FROM_HIDDEN} with K = {@code intermediate}. */
  public static final int DENSE_FROM_INTERMEDIATE = 4;

  /** As {@link #DENSE_FROM_HIDDEN} with W in [a] too, K = {@code hidden}. */
  public static final int MATMUL_HIDDEN = 5;

  /** As {@link #DENSE_FROM_HIDDEN} with W in [a] too, K = {@code headDim}: query × keysᵀ. */
  public static final int ATTENTION_SCORES = 6;

  /** As {@link #DENSE_FROM_HIDDEN} with W in [a] too, K = i19. */
  public static final int MATMUL = 7;

  /**
   * keras-hub's masked softmax of attention score rows, one row per work-item: i0 scores [a]
   * (batch, heads, S, S), i1 padding mask [ii], i2 S.
   */
  public static final int MASKED_SOFTMAX = 8;

  /**
   * Batched transpose {@code Y[n][m] = X[m][n]} within [a], one element per work-item: i0 X, i1 X
   * row stride, i4 Y, i5 Y row stride, i8 M, i9 N, i10 inner batch count, i11/i12 X batch offsets,
   * i15/i16 Y batch offsets.
   */
  public static final int TRANSPOSE = 9;

  /** As {@link #TRANSPOSE} reading X from [p]. */
  public static final int TRANSPOSE_PARAMETERS = 10;

  /**
   * {@code Y = LN(X + R)} per row of {@code hidden}: i0 X [a], i1 R [a] or -1 for none, i2 Y [a],
   * i3 gamma [p] (beta follows), f0 epsilon.
   */
  public static final int ADD_LAYER_NORM = 11;

  /**
   * Rows of the sequence output at mask positions: {@code Y[b,j,:] = X[b, pos[b,j], :]}, one element
   * per work-item. i0 X [a], i1 positions [ii] (B, M), i2 M, i3 sequence length, i4 Y [a].
   */
  public static final int GATHER_ROWS = 12;

  /** Copies {@code [a] i0 + g} to {@code [out] i1 + g}. */
  public static final int COPY_OUT = 13;

  /** The constant's name, for reports. */
  public static String name(int op) {
    for (java.lang.reflect.Field f : Ops.class.getFields()) {
      try {
        if (!f.getName().startsWith("ACT_") && f.getType() == int.class && f.getInt(null) == op) {
          return f.getName();
        }
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
    }
    return "OP_" + op;
  }

  /** No activation. */
  public static final int ACT_NONE = 0;
  /** Exact GELU, 0.5·x·(1 + erf(x/√2)). */
  public static final int ACT_GELU = 1;
  /** tanh approximation of GELU. */
  public static final int ACT_GELU_TANH = 2;
  /** tanh. */
  public static final int ACT_TANH = 3;
}
