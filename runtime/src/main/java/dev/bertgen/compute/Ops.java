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
   * {@code Y = act(X·Wᵀ + b)} with K = {@code hidden}, one output per work-item: i0 X [a], i1 X row
   * stride, i2 W [p] stored [N][K], i3 bias [p] or -1, i4 Y [a], i5 Y row stride, i6 N, i7 activation
   * ({@link #ACT_NONE}, {@link #ACT_GELU}, {@link #ACT_GELU_TANH}, {@link #ACT_TANH}).
   */
  public static final int DENSE_FROM_HIDDEN = 3;

  /** As {@link #DENSE_FROM_HIDDEN} with K = {@code intermediate}. */
  public static final int DENSE_FROM_INTERMEDIATE = 4;

  /**
   * Self-attention of one query row per work-item (b, head, i): scores of the pre-scaled query
   * against all keys, masked keys replaced by -1e9, softmax, masked probabilities zeroed, then the
   * weighted sum of values. i0 fused QKV [a] (rows of 3·hidden), i1 padding mask [ii], i2 sequence
   * length, i3 probabilities [a] (B, heads, S, S), i4 context [a] (rows of hidden), f0 1/√headDim.
   */
  public static final int ATTENTION = 5;

  /**
   * {@code Y = LN(X + R)} per row of {@code hidden}: i0 X [a], i1 R [a] or -1 for none, i2 Y [a],
   * i3 gamma [p] (beta follows), f0 epsilon.
   */
  public static final int ADD_LAYER_NORM = 6;

  /**
   * Rows of the sequence output at mask positions: {@code Y[b,j,:] = X[b, pos[b,j], :]}, one element
   * per work-item. i0 X [a], i1 positions [ii] (B, M), i2 M, i3 sequence length, i4 Y [a].
   */
  public static final int GATHER_ROWS = 7;

  /** Copies {@code [a] i0 + g} to {@code [out] i1 + g}. */
  public static final int COPY_OUT = 8;

  /** No activation. */
  public static final int ACT_NONE = 0;
  /** Exact GELU, 0.5·x·(1 + erf(x/√2)). */
  public static final int ACT_GELU = 1;
  /** tanh approximation of GELU. */
  public static final int ACT_GELU_TANH = 2;
  /** tanh. */
  public static final int ACT_TANH = 3;
}
