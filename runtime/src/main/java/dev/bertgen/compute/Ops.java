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
   * Batched matrix product {@code Y = f0·X·W + bias}, X [a], W [p], Y [a], K = {@code hidden}, one
   * register block of {@value BertKernels#BLOCK_ROWS}×{@value BertKernels#BLOCK_COLS} per work-item
   * ({@link Matmul} builds the arguments): i0 X, i1 X row stride, i2 W, i3 W row stride, i4 Y, i5 Y
   * row stride, i6 bias [p] or -1, i8 M, i9 N, i10 inner batch count; batch offsets i11/i12 (X
   * outer/inner), i13/i14 (W), i15/i16 (Y); i17 width of a column group of W and i18 the distance
   * between groups (W's columns from several matrices, e.g. the query, key and value kernels;
   * otherwise i17 = N), i19 K where the operation does not fix it.
   */
  public static final int DENSE_FROM_HIDDEN = 3;

  /**
   * The fixed-shape products of the encoder and the head, {@link #DENSE_FROM_HIDDEN}'s arguments
   * with these arrays and strides (kernel classes generated for a preset inline them with literals;
   * Y always starts at offset 0 of its own array): query, key and value at once, X [a] (tokens, H),
   * W [p] three adjacent (H, H) kernels as column groups (i17 = H, i18 = H·H), Y [q] (tokens, 3H).
   */
  public static final int DENSE_QKV = 4;

  /** X [a] (rows, H) · W [p] (H, H) → Y [d] (rows, H): attention output and the head's dense layer. */
  public static final int DENSE_HIDDEN = 5;

  /** Batched X [q] · W [a], K = {@code headDim}: queries × keysᵀ per (sequence, head). */
  public static final int ATTENTION_SCORES = 6;

  /** Batched X [a] · W [q], K = i19: probabilities × values per (sequence, head). */
  public static final int ATTENTION_CONTEXT = 7;

  /**
   * keras-hub's masked softmax of attention score rows, one row per work-item: i0 scores [a]
   * (batch, heads, S, S), i1 padding mask [ii], i2 S.
   */
  public static final int MASKED_SOFTMAX = 8;

  /**
   * Batched transpose {@code Y[n][m] = X[m][n]}, X [q] (the keys), Y [a], one 16×16 tile per
   * work-item: i0 X, i1 X row stride, i4 Y, i5 Y row stride, i8 M, i9 N, i10 inner batch count,
   * i11/i12 X batch offsets, i15/i16 Y batch offsets.
   */
  public static final int TRANSPOSE_KEYS = 9;

  /** As {@link #TRANSPOSE_KEYS} with X in [p]. */
  public static final int TRANSPOSE_PARAMETERS = 10;

  /**
   * {@code Y [a] = LN(X [a] + R [d])} per row of {@code hidden}: i0 X, i1 R or -1 for none, i2 Y,
   * i3 gamma [p] (beta follows), f0 epsilon.
   */
  public static final int ADD_LAYER_NORM = 11;

  /**
   * Rows of the sequence output at mask positions: {@code Y[r,:] = X[t[r], :]} where {@code t[r]} is
   * row r's token index {@code b·seq + position} (the host writes it), one element per work-item.
   * i0 X [a], i1 row token indices [ii], i2 Y [a].
   */
  public static final int GATHER_ROWS = 12;

  /** Copies {@code [a] i0 + g} to {@code [out] i1 + g}. */
  public static final int COPY_OUT = 13;

  /** X [a] (tokens, H) · W [p] (H, I) → Y [f] (tokens, I): the feed-forward layer's first product. */
  public static final int DENSE_UP = 14;

  /** X [f] (tokens, I) · W [p] (I, H) → Y [d] (tokens, H): the feed-forward layer's second product. */
  public static final int DENSE_DOWN = 15;

  /** X [a] (rows, H) · W [a] (H, V) (the transposed token embedding) → Y [l] (rows, V). */
  public static final int LOGITS = 16;

  /**
   * An activation in place over rows of [a]: i0 the matrix, i1 its row stride, i2 its width, i3 the
   * activation ({@code ACT_*}); each work-item does {@value BertKernels#ACTIVATE_RUN} consecutive
   * elements of a row.
   */
  public static final int ACTIVATE = 17;

  /** As {@link #ACTIVATE} over [f]. */
  public static final int ACTIVATE_INTERMEDIATE = 18;

  /** As {@link #ACTIVATE} over [d]. */
  public static final int ACTIVATE_DENSE = 19;

  /** {@code Y [a] = LN(X [d])}: {@link #ADD_LAYER_NORM}'s arguments with X in [d] and no R. */
  public static final int LAYER_NORM_DENSE = 20;

  /** Copies {@code [l] i0 + g} to {@code [out] i1 + g}. */
  public static final int COPY_OUT_LOGITS = 21;

  // Training (arguments documented on the BertKernels helpers they call).

  /** Batched X [a] · W [a] → Y [a], K = i19 ({@link #DENSE_FROM_HIDDEN}'s arguments). */
  public static final int MATMUL = 30;
  /** Batched X [a] · W [p] → Y [a], K = i19. */
  public static final int MATMUL_PARAMETERS = 53;
  /** Batched Xᵀ · W [a] → Y [gr] for X [a] stored (K×M), K = i19: weight gradients dW = Xᵀ·dY. */
  public static final int MATMUL_TO_GRADIENTS = 31;
  /** Batched Xᵀ · W [a] → Y [a] for X [a] stored (K×M), K = i19: input gradients from a transposed dY. */
  public static final int MATMUL_TRANSPOSED_X = 56;
  /** Batched Xᵀ · W [p] → Y [a] for X [a] stored (K×M), K = i19. */
  public static final int MATMUL_TRANSPOSED_X_PARAMETERS = 57;
  /** Batched transpose within [a] ({@link #TRANSPOSE_KEYS}'s arguments). */
  public static final int TRANSPOSE = 32;
  /** {@code [a] i1 + g = [q] i0 + g}. */
  public static final int SAVE_QKV = 33;
  /** {@code [a] i1 + g = [f] i0 + g}. */
  public static final int SAVE_INTERMEDIATE = 34;
  /** {@code [a] i1 + g = [d] i0 + g}. */
  public static final int SAVE_DENSE = 35;
  /** {@code [a] i1 + g = [a] i0 + g}. */
  public static final int COPY = 36;
  /** {@code [a] i2 + g = [a] i0 + g + [a] i1 + g}. */
  public static final int ADD = 37;
  /** Embedding sums without LayerNorm, one element per work-item ({@link #EMBEDDINGS}'s arguments). */
  public static final int EMBEDDING_SUM = 38;
  /** Inverted dropout in place over [a]: i0 start, i1 stream, i2 seed, i3 step, f0 rate. */
  public static final int DROPOUT = 39;
  /** {@code [a] i2 + g = [a] i1 + g · act'([a] i0 + g)}, i3 the activation. */
  public static final int ACTIVATION_BACKWARD = 40;
  /** LayerNorm backward per row. */
  public static final int LAYER_NORM_BACKWARD = 41;
  /** LayerNorm γ and β gradients per column. */
  public static final int LAYER_NORM_PARAMETER_GRADIENTS = 42;
  /** Column sums into [gr] (bias gradients). */
  public static final int COLUMN_SUMS = 43;
  /** Softmax backward per row. */
  public static final int SOFTMAX_BACKWARD = 44;
  /**
   * Sparse categorical cross-entropy and its gradient, one work-item per (row, slice of
   * {@link BertKernels#CE_SLICE} logits), from the slices' partial maxima and sums of
   * {@link #CROSS_ENTROPY_PARTIALS}; slice 0 writes the row's loss·weight and correct·weight.
   * i0 logits [l], i1 labels [ii], i2 weights [fin], i3 dLogits [a], i4 V, i5 results [out],
   * i6 slices per row, i7 partials [a], f0 gradient scale (1 / (batch·slots)).
   */
  public static final int CROSS_ENTROPY = 45;
  /** The cross-entropy's first pass: per (row, slice) the maximum, its first index and the sum of exp(x − max). */
  public static final int CROSS_ENTROPY_PARTIALS = 55;
  /**
   * Gathered-row gradients added back at their token indices, one work-item per hidden column
   * looping over the rows in order (a token may repeat). i0 dRows [a], i1 row token indices [ii],
   * i2 rows, i3 dX [a].
   */
  public static final int SCATTER_MASK_GRADIENTS = 46;
  /** Token embedding gradients from host-built position lists. */
  public static final int TOKEN_EMBEDDING_GRADIENTS = 47;
  /** Position embedding gradients. */
  public static final int POSITION_EMBEDDING_GRADIENTS = 48;
  /** Segment embedding gradients. */
  public static final int SEGMENT_EMBEDDING_GRADIENTS = 49;
  /** {@code [gr] i0 + g = 0}. */
  public static final int FILL_GRADIENTS = 50;
  /** Partial sums of squared gradients into [out]. */
  public static final int SQUARED_SUMS = 51;
  /** One Adam (or AdamW) step over a range of parameters. */
  public static final int ADAM = 52;
  /** Elementwise: {@code [a](i1 + e) = Σ_{s < i2} [a](i0 + s·i3 + e)}: sums slabs of partial products. */
  public static final int SUM_SLABS = 54;

  /**
   * Whether {@code op} works element by element (copies, adds, dropout, activation backward, fills,
   * Adam): {@link Launcher} then launches one work-item per {@link BertKernels#RUN} elements.
   */
  public static boolean isElementwise(int op) {
    return op == SAVE_QKV || op == SAVE_INTERMEDIATE || op == SAVE_DENSE || op == COPY || op == ADD
        || op == DROPOUT || op == ACTIVATION_BACKWARD || op == FILL_GRADIENTS || op == ADAM || op == FILL
        || op == COPY_OUT || op == COPY_OUT_LOGITS || op == SUM_SLABS;
  }

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
  /** erf itself (for tests of the kernels' erf). */
  public static final int ACT_ERF = 4;
}
