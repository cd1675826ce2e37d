package dev.bertgen.compute;

/**
 * Operation codes of {@link BertKernels#dispatch}. Each operation's arguments (which of i0..i19 and
 * f0..f6 means what, and the arrays its operands live in) are written in one place, the
 * {@link DeviceOps} method named below; launch operations through it. Arrays: [p] parameters, [a]
 * activations, [ii] integer inputs, [out] results, [q] query/key/value, [f] intermediate, [d] dense
 * output, [l] logits, [gr] gradients, [fin] float inputs ({@link Arena}).
 */
public final class Ops {
  private Ops() {}

  /** Fills [a] with a value: {@link DeviceOps#fill}. */
  public static final int FILL = 1;

  /** Embeddings and their LayerNorm, one work-item per token: {@link DeviceOps#embeddings}. */
  public static final int EMBEDDINGS = 2;

  /**
   * A matrix product X [a] · W [p] → Y [a] with any strides; its argument layout is every product's, one
   * register block of {@value BertKernels#BLOCK_ROWS}×{@value BertKernels#BLOCK_COLS} per work-item: {@link
   * DeviceOps#dense}.
   */
  public static final int DENSE_FROM_HIDDEN = 3;

  /**
   * Query, key and value at once, X [a] · three adjacent W [p] → [q] from offset 0 (generated kernel classes
   * inline its shapes): {@link DeviceOps#denseQkv}.
   */
  public static final int DENSE_QKV = 4;

  /**
   * X [a] (rows, H) · W [p] (H, H) → [d]: attention output and the head's dense layer, {@link
   * DeviceOps#denseHidden}.
   */
  public static final int DENSE_HIDDEN = 5;

  /** Queries [q] × keysᵀ [a] per (sequence, head) → [a]: {@link DeviceOps#attentionScores}. */
  public static final int ATTENTION_SCORES = 6;

  /** Probabilities [a] × values [q] per (sequence, head) → [a]: {@link DeviceOps#attentionContext}. */
  public static final int ATTENTION_CONTEXT = 7;

  /**
   * keras-hub's masked softmax of attention score rows, one row per work-item: {@link
   * DeviceOps#maskedSoftmax}.
   */
  public static final int MASKED_SOFTMAX = 8;

  /**
   * Batched transpose from [q] (the keys) to [a], one {@value BertKernels#TILE}² tile per work-item: {@link
   * DeviceOps#transpose}.
   */
  public static final int TRANSPOSE_KEYS = 9;

  /** As {@link #TRANSPOSE_KEYS} from [p]: {@link DeviceOps#transpose}. */
  public static final int TRANSPOSE_PARAMETERS = 10;

  /** {@code Y [a] = LN(X [a] + R [d])}, R optional, per row: {@link DeviceOps#layerNorm}. */
  public static final int ADD_LAYER_NORM = 11;

  /**
   * Rows of the sequence output at mask positions, one element per work-item: {@link DeviceOps#gatherRows}.
   */
  public static final int GATHER_ROWS = 12;

  /** Copies [a] to [out]: {@link DeviceOps#copy}. */
  public static final int COPY_OUT = 13;

  /**
   * X [a] (tokens, H) · W [p] (H, I) → [f]: the feed-forward layer's first product, {@link
   * DeviceOps#denseUp}.
   */
  public static final int DENSE_UP = 14;

  /**
   * X [f] (tokens, I) · W [p] (I, H) → [d]: the feed-forward layer's second product, {@link
   * DeviceOps#denseDown}.
   */
  public static final int DENSE_DOWN = 15;

  /** X [a] (rows, H) · the transposed token embedding [a] (H, V) → [l]: {@link DeviceOps#logits}. */
  public static final int LOGITS = 16;

  /**
   * An activation in place over rows of [a], {@value BertKernels#ACTIVATE_RUN} consecutive elements of a row
   * per work-item: {@link DeviceOps#activate}.
   */
  public static final int ACTIVATE = 17;

  /** As {@link #ACTIVATE} over [f]: {@link DeviceOps#activate}. */
  public static final int ACTIVATE_INTERMEDIATE = 18;

  /** As {@link #ACTIVATE} over [d]: {@link DeviceOps#activate}. */
  public static final int ACTIVATE_DENSE = 19;

  /** {@code Y [a] = LN(X [d])}: {@link DeviceOps#layerNorm}. */
  public static final int LAYER_NORM_DENSE = 20;

  /** Copies [l] to [out]: {@link DeviceOps#copy}. */
  public static final int COPY_OUT_LOGITS = 21;

  // Training

  /** Batched X [a] · W [a] → Y [a]: {@link DeviceOps#matmul}. */
  public static final int MATMUL = 30;

  /** Batched X [a] · W [p] → Y [a]: {@link DeviceOps#matmul}. */
  public static final int MATMUL_PARAMETERS = 53;

  /** Weight gradients Xᵀ · dY → [gr], X [a] read in place: {@link DeviceOps#weightGradient}. */
  public static final int MATMUL_TO_GRADIENTS = 31;

  /** Batched Xᵀ · W [a] → Y [a] for X [a] stored transposed: {@link DeviceOps#transposedXProduct}. */
  public static final int MATMUL_TRANSPOSED_X = 56;

  /** Batched Xᵀ · W [p] → Y [a] for X [a] stored transposed: {@link DeviceOps#transposedXProduct}. */
  public static final int MATMUL_TRANSPOSED_X_PARAMETERS = 57;

  /** Batched transpose within [a]: {@link DeviceOps#transpose}. */
  public static final int TRANSPOSE = 32;

  /** Copies [q] to [a]: {@link DeviceOps#copy}. */
  public static final int SAVE_QKV = 33;

  /** Copies [f] to [a]: {@link DeviceOps#copy}. */
  public static final int SAVE_INTERMEDIATE = 34;

  /** Copies [d] to [a]: {@link DeviceOps#copy}. */
  public static final int SAVE_DENSE = 35;

  /** Copies within [a]: {@link DeviceOps#copy}. */
  public static final int COPY = 36;

  /** Elementwise sum within [a]: {@link DeviceOps#add}. */
  public static final int ADD = 37;

  /** Embedding sums without LayerNorm, one element per work-item: {@link DeviceOps#embeddingSum}. */
  public static final int EMBEDDING_SUM = 38;

  /** Inverted dropout in place over [a]: {@link DeviceOps#dropout}. */
  public static final int DROPOUT = 39;

  /** {@code dx = dy · act'(x)} within [a]: {@link DeviceOps#activationBackward}. */
  public static final int ACTIVATION_BACKWARD = 40;

  /** LayerNorm backward per row: {@link DeviceOps#layerNormBackward}. */
  public static final int LAYER_NORM_BACKWARD = 41;

  /** LayerNorm γ and β gradients per column: {@link DeviceOps#layerNormParameterGradients}. */
  public static final int LAYER_NORM_PARAMETER_GRADIENTS = 42;

  /** Column sums into [gr] (bias gradients): {@link DeviceOps#columnSums}. */
  public static final int COLUMN_SUMS = 43;

  /** Softmax backward per row: {@link DeviceOps#softmaxBackward}. */
  public static final int SOFTMAX_BACKWARD = 44;

  /**
   * Sparse categorical cross-entropy and its gradient, one work-item per (row, slice of {@link
   * BertKernels#CE_SLICE} logits), from {@link #CROSS_ENTROPY_PARTIALS}: {@link DeviceOps#crossEntropy}.
   */
  public static final int CROSS_ENTROPY = 45;

  /**
   * The cross-entropy's first pass, per (row, slice) the maximum, its first index and the sum of exp(x −
   * max): {@link DeviceOps#crossEntropyPartials}.
   */
  public static final int CROSS_ENTROPY_PARTIALS = 55;

  /**
   * Gathered-row gradients added back at their token indices, one work-item per hidden column: {@link
   * DeviceOps#scatterRows}.
   */
  public static final int SCATTER_MASK_GRADIENTS = 46;

  /** Token embedding gradients from host-built position lists: {@link DeviceOps#tokenEmbeddingGradients}. */
  public static final int TOKEN_EMBEDDING_GRADIENTS = 47;

  /** Position embedding gradients: {@link DeviceOps#positionEmbeddingGradients}. */
  public static final int POSITION_EMBEDDING_GRADIENTS = 48;

  /** Segment embedding gradients: {@link DeviceOps#segmentEmbeddingGradients}. */
  public static final int SEGMENT_EMBEDDING_GRADIENTS = 49;

  /** Zeroes [gr]: {@link DeviceOps#fillGradients}. */
  public static final int FILL_GRADIENTS = 50;

  /** Partial sums of squared gradients into [out]: {@link DeviceOps#squaredSums}. */
  public static final int SQUARED_SUMS = 51;

  /** One Adam (or AdamW) step over a range of parameters: {@link DeviceOps#adam}. */
  public static final int ADAM = 52;

  /** Elementwise sum of slabs of partial products within [a]: {@link DeviceOps#sumSlabs}. */
  public static final int SUM_SLABS = 54;

  /** Copies [a] to the logits array [l] (a text classifier's logits): {@link DeviceOps#copy}. */
  public static final int COPY_TO_LOGITS = 58;

  /**
   * Whether {@code op} works element by element (copies, adds, dropout, activation backward, fills,
   * Adam): {@link Launcher} then launches one work-item per {@link BertKernels#RUN} elements.
   */
  public static boolean isElementwise(int op) {
    return op == SAVE_QKV || op == SAVE_INTERMEDIATE || op == SAVE_DENSE || op == COPY || op == ADD
        || op == DROPOUT || op == ACTIVATION_BACKWARD || op == FILL_GRADIENTS || op == ADAM || op == FILL
        || op == COPY_OUT || op == COPY_OUT_LOGITS || op == SUM_SLABS || op == COPY_TO_LOGITS;
  }

  /**
   * Whether {@code op} is a matrix product (the {@link DeviceOps} entry points that fill
   * {@link Ops#DENSE_FROM_HIDDEN}'s arguments): the GPU kernel family runs these as tiles, one per
   * work-group ({@link KernelFamily#GPU}).
   */
  public static boolean isProduct(int op) {
    return op == DENSE_QKV || op == DENSE_UP || op == DENSE_DOWN || op == DENSE_HIDDEN || op == LOGITS
        || op == DENSE_FROM_HIDDEN || op == ATTENTION_SCORES || op == ATTENTION_CONTEXT || op == MATMUL
        || op == MATMUL_PARAMETERS || op == MATMUL_TO_GRADIENTS || op == MATMUL_TRANSPOSED_X
        || op == MATMUL_TRANSPOSED_X_PARAMETERS;
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
