package dev.bertgen.compute;

import static dev.bertgen.compute.Arena.ACTIVATIONS;
import static dev.bertgen.compute.Arena.DENSE;
import static dev.bertgen.compute.Arena.FLOAT_INPUTS;
import static dev.bertgen.compute.Arena.GRADIENTS;
import static dev.bertgen.compute.Arena.INTERMEDIATE;
import static dev.bertgen.compute.Arena.INTS;
import static dev.bertgen.compute.Arena.LOGITS;
import static dev.bertgen.compute.Arena.PARAMETERS;
import static dev.bertgen.compute.Arena.QKV;
import static dev.bertgen.compute.Arena.RESULTS;

import java.util.Objects;

/**
 * One typed method per operation of {@link Ops}: the only place where an operation's integer and
 * float arguments (which of i0..i19 and f0..f6 means what) are written. Each method takes
 * {@link Tensor}s, checks that they are in the arrays the operation's code reads and writes (else an
 * {@link IllegalArgumentException} naming the tensor and the array) and that their shapes fit, then
 * launches on its {@link Launcher}. Operations that differ only in the array an operand lives in
 * share a method that picks the code from it ({@link #copy}, {@link #transpose}, {@link #activate},
 * {@link #layerNorm}, {@link #matmul}, {@link #transposedXProduct}).
 */
public final class DeviceOps {
  private final Launcher launcher;

  public DeviceOps(Launcher launcher) {
    this.launcher = Objects.requireNonNull(launcher, "launcher");
  }

  // ---- checks

  private static void require(int op, String role, Tensor t, Arena arena) {
    if (t == null) {
      throw new NullPointerException(Ops.name(op) + " needs a tensor it " + role);
    }
    if (t.arena() != arena) {
      throw new IllegalArgumentException(Ops.name(op) + " " + role + " " + arena + ", but tensor " + t.name()
          + " is in " + t.arena() + "; pass a tensor of " + arena);
    }
  }

  private static void require(int op, String role, Slices s, Arena arena) {
    require(op, role, s.first(), arena);
  }

  private static IllegalArgumentException shapeError(int op, String what) {
    return new IllegalArgumentException(Ops.name(op) + ": " + what);
  }

  private static void requireContiguous(int op, Tensor... ts) {
    for (Tensor t : ts) {
      if (!(t.contiguous())) {
        throw shapeError(op, "tensor " + t + " has gaps between rows; this operation needs contiguous rows");
      }
    }
  }

  private static void requireSameSize(int op, Tensor a, Tensor b) {
    if (!(a.size() == b.size())) {
      throw shapeError(op, "tensor " + a + " and tensor " + b + " differ in size");
    }
  }

  private static String noOp(String what, Tensor t, String accepted) {
    return what + " from tensor " + t.name() + " in " + t.arena() + ": no operation does that; " + accepted;
  }

  // ---- elementwise

  /** {@code y = value} elementwise, y in [a] ({@link Ops#FILL}). */
  public void fill(Tensor y, float value) {
    int op = Ops.FILL;
    require(op, "writes to", y, ACTIVATIONS);
    requireContiguous(op, y);
    launcher.launch(op, y.size(), value, 0f, y.offset());
  }

  /**
   * {@code to = from} elementwise: from [a], [q], [f] or [d] to [a] ({@link Ops#COPY}, {@code SAVE_QKV},
   * {@code SAVE_INTERMEDIATE}, {@code SAVE_DENSE}), from [a] or [l] to [out] ({@link Ops#COPY_OUT},
   * {@code COPY_OUT_LOGITS}), or from [a] to [l] ({@link Ops#COPY_TO_LOGITS}).
   */
  public void copy(Tensor from, Tensor to) {
    int op;
    if (to.arena() == RESULTS) {
      op = switch (from.arena()) {
        case ACTIVATIONS -> Ops.COPY_OUT;
        case LOGITS -> Ops.COPY_OUT_LOGITS;
        default -> throw new IllegalArgumentException(noOp("a copy to " + RESULTS, from,
            "copies to it read " + ACTIVATIONS + " or " + LOGITS));
      };
    } else if (to.arena() == ACTIVATIONS) {
      op = switch (from.arena()) {
        case ACTIVATIONS -> Ops.COPY;
        case QKV -> Ops.SAVE_QKV;
        case INTERMEDIATE -> Ops.SAVE_INTERMEDIATE;
        case DENSE -> Ops.SAVE_DENSE;
        default -> throw new IllegalArgumentException(noOp("a copy to " + ACTIVATIONS, from,
            "copies to it read " + ACTIVATIONS + ", " + QKV + ", " + INTERMEDIATE + " or " + DENSE));
      };
    } else if (to.arena() == LOGITS) {
      if (from.arena() != ACTIVATIONS) {
        throw new IllegalArgumentException(noOp("a copy to " + LOGITS, from, "copies to it read " + ACTIVATIONS));
      }
      op = Ops.COPY_TO_LOGITS;
    } else {
      throw new IllegalArgumentException("a copy to tensor " + to.name() + " in " + to.arena()
          + ": copies write " + ACTIVATIONS + ", " + LOGITS + " or " + RESULTS);
    }
    requireContiguous(op, from, to);
    requireSameSize(op, from, to);
    launcher.launch(op, from.size(), 0f, 0f, from.offset(), to.offset());
  }

  /** {@code y = a + b} elementwise, all in [a] ({@link Ops#ADD}). */
  public void add(Tensor a, Tensor b, Tensor y) {
    int op = Ops.ADD;
    require(op, "reads its first term from", a, ACTIVATIONS);
    require(op, "reads its second term from", b, ACTIVATIONS);
    require(op, "writes to", y, ACTIVATIONS);
    requireContiguous(op, a, b, y);
    requireSameSize(op, a, b);
    requireSameSize(op, a, y);
    launcher.launch(op, a.size(), 0f, 0f, a.offset(), b.offset(), y.offset());
  }

  /**
   * Inverted dropout of x [a] in place ({@link Ops#DROPOUT}): the mask of (seed, step, stream, element)
   * drops a fraction {@code rate} and scales the rest by 1 / (1 − rate).
   */
  public void dropout(Tensor x, float rate, int stream, int seed, int step) {
    int op = Ops.DROPOUT;
    require(op, "works in place in", x, ACTIVATIONS);
    requireContiguous(op, x);
    launcher.launch(op, x.size(), rate, 0f, x.offset(), stream, seed, step);
  }

  /**
   * An activation ({@code Ops.ACT_*}) in place over y's rows: y in [a] ({@link Ops#ACTIVATE}), [f]
   * ({@code ACTIVATE_INTERMEDIATE}) or [d] ({@code ACTIVATE_DENSE}). Nothing for {@link Ops#ACT_NONE}.
   */
  public void activate(Tensor y, int activation) {
    int op = switch (y.arena()) {
      case ACTIVATIONS -> Ops.ACTIVATE;
      case INTERMEDIATE -> Ops.ACTIVATE_INTERMEDIATE;
      case DENSE -> Ops.ACTIVATE_DENSE;
      default -> throw new IllegalArgumentException(noOp("an activation in place", y,
          "activations work in " + ACTIVATIONS + ", " + INTERMEDIATE + " or " + DENSE));
    };
    if (activation == Ops.ACT_NONE) {
      return;
    }
    int runs = (y.cols() + BertKernels.ACTIVATE_RUN - 1) / BertKernels.ACTIVATE_RUN;
    launcher.launch(op, Math.toIntExact((long) y.rows() * runs), 0f, 0f, y.offset(), y.stride(), y.cols(),
        activation);
  }

  /** {@code dx = dy · act'(x)} elementwise, all in [a] ({@link Ops#ACTIVATION_BACKWARD}). */
  public void activationBackward(Tensor x, Tensor dy, Tensor dx, int activation) {
    int op = Ops.ACTIVATION_BACKWARD;
    require(op, "reads x from", x, ACTIVATIONS);
    require(op, "reads dy from", dy, ACTIVATIONS);
    require(op, "writes dx to", dx, ACTIVATIONS);
    requireContiguous(op, x, dy, dx);
    requireSameSize(op, x, dy);
    requireSameSize(op, x, dx);
    launcher.launch(op, x.size(), 0f, 0f, x.offset(), dy.offset(), dx.offset(), activation);
  }

  /**
   * {@code y = Σ_{s < count} slab_s} elementwise, slab s at {@code first} + s·{@code slabStride}, all in
   * [a] ({@link Ops#SUM_SLABS}).
   */
  public void sumSlabs(Tensor first, int count, int slabStride, Tensor y) {
    int op = Ops.SUM_SLABS;
    require(op, "reads slabs from", first, ACTIVATIONS);
    require(op, "writes to", y, ACTIVATIONS);
    requireContiguous(op, first, y);
    launcher.launch(op, y.size(), 0f, 0f, first.offset(), y.offset(), count, slabStride);
  }

  // ---- rows

  /**
   * keras-hub's embeddings and their LayerNorm, {@code y = LN(token[ids] + position[s] + segment[sids])}
   * ({@link Ops#EMBEDDINGS}): ids and segments (batch, seq) in [ii], the tables and gamma (beta
   * follows) in [p], y (batch·seq, hidden) in [a].
   */
  public void embeddings(Tensor ids, Tensor segments, Tensor tokenTable, Tensor positionTable,
      Tensor segmentTable, Tensor gamma, float epsilon, Tensor y) {
    int op = Ops.EMBEDDINGS;
    requireEmbeddingInputs(op, ids, segments, tokenTable, positionTable, segmentTable, y);
    require(op, "reads gamma from", gamma, PARAMETERS);
    launcher.launch(op, ids.size(), epsilon, 0f, y.offset(), ids.offset(), segments.offset(), ids.cols(),
        tokenTable.offset(), positionTable.offset(), segmentTable.offset(), gamma.offset());
  }

  /** {@link #embeddings}' sums without the LayerNorm ({@link Ops#EMBEDDING_SUM}), an element per work-item. */
  public void embeddingSum(Tensor ids, Tensor segments, Tensor tokenTable, Tensor positionTable,
      Tensor segmentTable, Tensor y) {
    int op = Ops.EMBEDDING_SUM;
    requireEmbeddingInputs(op, ids, segments, tokenTable, positionTable, segmentTable, y);
    launcher.launch(op, y.size(), 0f, 0f, y.offset(), ids.offset(), segments.offset(), ids.cols(),
        tokenTable.offset(), positionTable.offset(), segmentTable.offset());
  }

  private static void requireEmbeddingInputs(int op, Tensor ids, Tensor segments, Tensor tokenTable,
      Tensor positionTable, Tensor segmentTable, Tensor y) {
    require(op, "reads token ids from", ids, INTS);
    require(op, "reads segment ids from", segments, INTS);
    require(op, "reads the token embedding from", tokenTable, PARAMETERS);
    require(op, "reads the position embedding from", positionTable, PARAMETERS);
    require(op, "reads the segment embedding from", segmentTable, PARAMETERS);
    require(op, "writes to", y, ACTIVATIONS);
    requireContiguous(op, ids, segments, y);
    if (!(y.rows() == ids.size())) {
      throw shapeError(op, "tensor " + y + " needs one row per token of " + ids);
    }
  }

  /**
   * {@code y = LN(x + residual)} per row, with gamma (beta follows) in [p] and y in [a]: x in [a] with
   * the residual in [d] or none ({@link Ops#ADD_LAYER_NORM}), or x in [d] without one
   * ({@link Ops#LAYER_NORM_DENSE}).
   */
  public void layerNorm(Tensor x, Tensor residualOrNull, Tensor y, Tensor gamma, float epsilon) {
    int op = switch (x.arena()) {
      case ACTIVATIONS -> Ops.ADD_LAYER_NORM;
      case DENSE -> Ops.LAYER_NORM_DENSE;
      default -> throw new IllegalArgumentException(noOp("a LayerNorm", x,
          "LayerNorm reads x from " + ACTIVATIONS + " or " + DENSE));
    };
    if (residualOrNull != null) {
      if (!(op == Ops.ADD_LAYER_NORM)) {
        throw shapeError(op, "x in " + DENSE + " takes no residual, but " + residualOrNull.name()
            + " was given");
      }
      require(op, "reads the residual from", residualOrNull, DENSE);
      requireContiguous(op, residualOrNull);
      requireSameSize(op, x, residualOrNull);
    }
    require(op, "writes to", y, ACTIVATIONS);
    require(op, "reads gamma from", gamma, PARAMETERS);
    requireContiguous(op, x, y);
    requireSameSize(op, x, y);
    if (!(x.cols() == gamma.size())) {
      throw shapeError(op, "rows of " + x + " and " + gamma + " differ in width");
    }
    int residual = residualOrNull == null ? -1 : residualOrNull.offset();
    launcher.launch(op, rowReductionItems(x.rows()), epsilon, 0f, x.offset(), residual, y.offset(), gamma.offset());
  }

  /**
   * LayerNorm backward per row ({@link Ops#LAYER_NORM_BACKWARD}): dx from x (the LayerNorm's input), dy
   * and gamma; writes each row's mean and 1/σ to {@code stats} (rows, 2). All in [a] but gamma [p].
   */
  public void layerNormBackward(Tensor x, Tensor dy, Tensor dx, Tensor gamma, Tensor stats, float epsilon) {
    int op = Ops.LAYER_NORM_BACKWARD;
    require(op, "reads x from", x, ACTIVATIONS);
    require(op, "reads dy from", dy, ACTIVATIONS);
    require(op, "writes dx to", dx, ACTIVATIONS);
    require(op, "reads gamma from", gamma, PARAMETERS);
    require(op, "writes row statistics to", stats, ACTIVATIONS);
    requireContiguous(op, x, dy, dx);
    requireSameSize(op, x, dy);
    requireSameSize(op, x, dx);
    if (!(x.cols() == gamma.size())) {
      throw shapeError(op, "rows of " + x + " and " + gamma + " differ in width");
    }
    launcher.launch(op, rowReductionItems(x.rows()), epsilon, 0f, x.offset(), dy.offset(), dx.offset(), gamma.offset(),
        stats.offset());
  }

  /**
   * LayerNorm's dγ and dβ (dβ follows dγ in [gr]) per column ({@link Ops#LAYER_NORM_PARAMETER_GRADIENTS})
   * from x, dy and {@link #layerNormBackward}'s row statistics, all in [a].
   */
  public void layerNormParameterGradients(Tensor x, Tensor dy, Tensor stats, Tensor gammaGradient) {
    int op = Ops.LAYER_NORM_PARAMETER_GRADIENTS;
    require(op, "reads x from", x, ACTIVATIONS);
    require(op, "reads dy from", dy, ACTIVATIONS);
    require(op, "reads row statistics from", stats, ACTIVATIONS);
    require(op, "writes dγ to", gammaGradient, GRADIENTS);
    requireContiguous(op, x, dy);
    requireSameSize(op, x, dy);
    launcher.launch(op, columnReductionItems(x.cols()), 0f, 0f, x.offset(), dy.offset(), 0, gammaGradient.offset(),
        stats.offset(), x.rows());
  }

  /**
   * keras-hub's masked softmax of each row of scores [a] in place, keys whose padding mask [ii] (batch,
   * seq) is 0 masked ({@link Ops#MASKED_SOFTMAX}); scores are (batch·heads·seq, seq).
   */
  public void maskedSoftmax(Tensor scores, Tensor mask) {
    int op = Ops.MASKED_SOFTMAX;
    require(op, "works in place in", scores, ACTIVATIONS);
    require(op, "reads the padding mask from", mask, INTS);
    requireContiguous(op, scores, mask);
    if (!(scores.cols() == mask.cols())) {
      throw shapeError(op, "score rows of " + scores + " and mask rows of " + mask + " differ in length");
    }
    launcher.launch(op, scores.rows(), 0f, 0f, scores.offset(), mask.offset(), scores.cols());
  }

  /** Softmax backward per row, {@code ds = p ⊙ (dp − Σ dp·p)}, in [a] ({@link Ops#SOFTMAX_BACKWARD}). */
  public void softmaxBackward(Tensor p, Tensor dp, Tensor ds) {
    int op = Ops.SOFTMAX_BACKWARD;
    require(op, "reads probabilities from", p, ACTIVATIONS);
    require(op, "reads dp from", dp, ACTIVATIONS);
    require(op, "writes ds to", ds, ACTIVATIONS);
    requireContiguous(op, p, dp, ds);
    requireSameSize(op, p, dp);
    requireSameSize(op, p, ds);
    launcher.launch(op, p.rows(), 0f, 0f, p.offset(), dp.offset(), ds.offset(), p.cols());
  }

  /**
   * {@code y[r, :] = x[t[r], :]}: rows of x [a] at the token indices [ii] the host wrote
   * ({@link Ops#GATHER_ROWS}), y (rows, hidden) in [a].
   */
  public void gatherRows(Tensor x, Tensor rowTokens, Tensor y) {
    int op = Ops.GATHER_ROWS;
    require(op, "reads rows from", x, ACTIVATIONS);
    require(op, "reads row token indices from", rowTokens, INTS);
    require(op, "writes to", y, ACTIVATIONS);
    requireContiguous(op, x, y);
    if (!(x.cols() == y.cols())) {
      throw shapeError(op, "rows of " + x + " and " + y + " differ in width");
    }
    launcher.launch(op, y.size(), 0f, 0f, x.offset(), rowTokens.offset(), y.offset());
  }

  /**
   * {@link #gatherRows} backward: {@code dx[t[r], :] += dRows[r, :]} in row order
   * ({@link Ops#SCATTER_MASK_GRADIENTS}), dRows and dx in [a], t in [ii].
   */
  public void scatterRows(Tensor dRows, Tensor rowTokens, Tensor dx) {
    int op = Ops.SCATTER_MASK_GRADIENTS;
    require(op, "reads row gradients from", dRows, ACTIVATIONS);
    require(op, "reads row token indices from", rowTokens, INTS);
    require(op, "adds to", dx, ACTIVATIONS);
    requireContiguous(op, dRows, dx);
    if (!(dRows.cols() == dx.cols())) {
      throw shapeError(op, "rows of " + dRows + " and " + dx + " differ in width");
    }
    launcher.launch(op, dRows.cols(), 0f, 0f, dRows.offset(), rowTokens.offset(), dRows.rows(), dx.offset());
  }

  /** Column sums of x [a] into y [gr]: bias gradients ({@link Ops#COLUMN_SUMS}). */
  public void columnSums(Tensor x, Tensor y) {
    int op = Ops.COLUMN_SUMS;
    require(op, "reads from", x, ACTIVATIONS);
    require(op, "writes to", y, GRADIENTS);
    if (!(y.size() == x.cols())) {
      throw shapeError(op, "tensor " + y + " needs one value per column of " + x);
    }
    launcher.launch(op, columnReductionItems(x.cols()), 0f, 0f, x.offset(), x.stride(), x.rows(), y.offset(),
        x.cols());
  }

  // ---- embedding gradients

  /**
   * The token embedding's gradient rows {@code tableGradient[id] += Σ dEmb[positions of id]} for the
   * {@code distinct} ids the host listed ({@link Ops#TOKEN_EMBEDDING_GRADIENTS}): ids, start offsets
   * (distinct + 1) and token positions in [ii], dEmb (tokens, hidden) in [a].
   */
  public void tokenEmbeddingGradients(Tensor dEmb, Tensor uniqueIds, Tensor idStarts, Tensor idPositions,
      int distinct, Tensor tableGradient) {
    int op = Ops.TOKEN_EMBEDDING_GRADIENTS;
    require(op, "reads dEmb from", dEmb, ACTIVATIONS);
    require(op, "reads the distinct ids from", uniqueIds, INTS);
    require(op, "reads the id start offsets from", idStarts, INTS);
    require(op, "reads the id positions from", idPositions, INTS);
    require(op, "adds to", tableGradient, GRADIENTS);
    requireContiguous(op, dEmb);
    launcher.launch(op, distinct * dEmb.cols(), 0f, 0f, dEmb.offset(), uniqueIds.offset(), idStarts.offset(),
        idPositions.offset(), tableGradient.offset());
  }

  /**
   * The position embedding's gradient, its first {@code tableGradient.rows()} (= seq) rows summed over
   * the sequences of dEmb (batch·seq, hidden) [a] ({@link Ops#POSITION_EMBEDDING_GRADIENTS}).
   */
  public void positionEmbeddingGradients(Tensor dEmb, Tensor tableGradient) {
    int op = Ops.POSITION_EMBEDDING_GRADIENTS;
    require(op, "reads dEmb from", dEmb, ACTIVATIONS);
    require(op, "writes to", tableGradient, GRADIENTS);
    requireContiguous(op, dEmb, tableGradient);
    int seq = tableGradient.rows();
    launcher.launch(op, tableGradient.size(), 0f, 0f, dEmb.offset(), dEmb.rows() / seq, seq,
        tableGradient.offset());
  }

  /**
   * The segment embedding's gradient, row s the sum of dEmb [a] over the tokens of segment s
   * ({@link Ops#SEGMENT_EMBEDDING_GRADIENTS}), segment ids in [ii].
   */
  public void segmentEmbeddingGradients(Tensor dEmb, Tensor segments, Tensor tableGradient) {
    int op = Ops.SEGMENT_EMBEDDING_GRADIENTS;
    require(op, "reads dEmb from", dEmb, ACTIVATIONS);
    require(op, "reads segment ids from", segments, INTS);
    require(op, "writes to", tableGradient, GRADIENTS);
    requireContiguous(op, dEmb, tableGradient);
    launcher.launch(op, tableGradient.size(), 0f, 0f, dEmb.offset(), dEmb.rows(), segments.offset(),
        tableGradient.offset());
  }

  // ---- loss and optimizer

  /**
   * The cross-entropy's first pass ({@link Ops#CROSS_ENTROPY_PARTIALS}): per (row, slice of
   * {@link BertKernels#CE_SLICE}) of logits [l] (rows, V) from offset 0, the maximum, its first index and
   * the sum of exp(x − max), 3 floats each, to partials [a].
   */
  public void crossEntropyPartials(Tensor logits, int slices, Tensor partials) {
    int op = Ops.CROSS_ENTROPY_PARTIALS;
    requireLogits(op, logits);
    require(op, "writes partials to", partials, ACTIVATIONS);
    launcher.launch(op, logits.rows() * slices, 0f, 0f, logits.offset(), 0, 0, 0, logits.cols(), 0, slices,
        partials.offset());
  }

  /**
   * Sparse categorical cross-entropy and its gradient ({@link Ops#CROSS_ENTROPY}) from
   * {@link #crossEntropyPartials}: labels [ii] and weights [fin] per row, dLogits [a] (rows, V) scaled by
   * {@code scale}; per row loss·weight and correct·weight to results [out].
   */
  public void crossEntropy(Tensor logits, Tensor labels, Tensor weights, Tensor dLogits, Tensor results,
      int slices, Tensor partials, float scale) {
    int op = Ops.CROSS_ENTROPY;
    requireLogits(op, logits);
    require(op, "reads labels from", labels, INTS);
    require(op, "reads sample weights from", weights, FLOAT_INPUTS);
    require(op, "writes dLogits to", dLogits, ACTIVATIONS);
    require(op, "writes per-row losses to", results, RESULTS);
    require(op, "reads partials from", partials, ACTIVATIONS);
    requireContiguous(op, dLogits);
    requireSameSize(op, logits, dLogits);
    launcher.launch(op, logits.rows() * slices, scale, 0f, logits.offset(), labels.offset(), weights.offset(),
        dLogits.offset(), logits.cols(), results.offset(), slices, partials.offset());
  }

  private static void requireLogits(int op, Tensor logits) {
    require(op, "reads logits from", logits, LOGITS);
    requireContiguous(op, logits);
  }

  /** Zeroes gradients [gr] ({@link Ops#FILL_GRADIENTS}). */
  public void fillGradients(Tensor gradients) {
    int op = Ops.FILL_GRADIENTS;
    require(op, "writes to", gradients, GRADIENTS);
    requireContiguous(op, gradients);
    launcher.launch(op, gradients.size(), 0f, 0f, gradients.offset());
  }

  /**
   * Sums of squares of gradients [gr], one per chunk of {@code chunk} elements, to results [out]
   * ({@link Ops#SQUARED_SUMS}).
   */
  public void squaredSums(Tensor gradients, int chunk, Tensor results) {
    int op = Ops.SQUARED_SUMS;
    require(op, "reads gradients from", gradients, GRADIENTS);
    require(op, "writes sums to", results, RESULTS);
    requireContiguous(op, gradients);
    int chunks = (gradients.size() + chunk - 1) / chunk;
    launcher.launch(op, chunks, 0f, 0f, gradients.offset(), chunk, gradients.size(), results.offset());
  }

  /**
   * One Adam (or AdamW) step over parameters [p] and their gradients and moments at the same offsets
   * ({@link Ops#ADAM}); see {@link BertKernels#adam} for the coefficients.
   */
  public void adam(Tensor parameters, float a1, float a2, float beta1, float beta2, float epsilon, float decay,
      float clipScale) {
    int op = Ops.ADAM;
    require(op, "updates", parameters, PARAMETERS);
    requireContiguous(op, parameters);
    launcher.launch(op, parameters.size(), new float[] {a1, a2, beta1, beta2, epsilon, decay, clipScale},
        parameters.offset());
  }

  // ---- matrix products

  /**
   * {@code y = x·[Wq Wk Wv] + [bq bk bv]} ({@link Ops#DENSE_QKV}): x [a] (tokens, H), {@code queryKernel}
   * the first of three adjacent (H, H) kernels in [p], bias (3H) [p], y [q] (tokens, 3H) from offset 0.
   */
  public void denseQkv(Tensor x, Tensor queryKernel, Tensor bias, Tensor y) {
    int op = Ops.DENSE_QKV;
    requireProduct(op, x.single(), ACTIVATIONS, queryKernel.single(), PARAMETERS, y.single(), QKV, true);
    if (!(y.cols() == 3 * queryKernel.cols())) {
      throw shapeError(op, "tensor " + y + " needs three column groups as wide as " + queryKernel);
    }
    product(op, x.single(), queryKernel.single(), y.single(), bias, 1f, false, queryKernel.cols(),
        queryKernel.rows() * queryKernel.stride());
  }

  /**
   * {@code y = act(x·w + bias)} ({@link Ops#DENSE_HIDDEN}): x [a] (rows, H), w (H, H) [p], y [d] from
   * offset 0, then {@link #activate} unless {@code activation} is {@link Ops#ACT_NONE}.
   */
  public void denseHidden(Tensor x, Tensor w, Tensor bias, Tensor y, int activation) {
    fixedProduct(Ops.DENSE_HIDDEN, x, ACTIVATIONS, w, PARAMETERS, bias, y, DENSE, activation);
  }

  /** {@code y = act(x·w + bias)} ({@link Ops#DENSE_UP}): x [a] (tokens, H), w (H, I) [p], y [f] from 0. */
  public void denseUp(Tensor x, Tensor w, Tensor bias, Tensor y, int activation) {
    fixedProduct(Ops.DENSE_UP, x, ACTIVATIONS, w, PARAMETERS, bias, y, INTERMEDIATE, activation);
  }

  /** {@code y = x·w + bias} ({@link Ops#DENSE_DOWN}): x [f] (tokens, I), w (I, H) [p], y [d] from 0. */
  public void denseDown(Tensor x, Tensor w, Tensor bias, Tensor y) {
    fixedProduct(Ops.DENSE_DOWN, x, INTERMEDIATE, w, PARAMETERS, bias, y, DENSE, Ops.ACT_NONE);
  }

  /**
   * {@code y = x·w + bias} ({@link Ops#LOGITS}): x [a] (rows, H), w the transposed token embedding [a]
   * (H, V), bias [p], y [l] from offset 0.
   */
  public void logits(Tensor x, Tensor w, Tensor bias, Tensor y) {
    fixedProduct(Ops.LOGITS, x, ACTIVATIONS, w, ACTIVATIONS, bias, y, LOGITS, Ops.ACT_NONE);
  }

  /**
   * {@code y = act(x·w + bias)} for any rows and row strides ({@link Ops#DENSE_FROM_HIDDEN}): x [a]
   * (rows, H), w (H, N) [p], y [a].
   */
  public void dense(Tensor x, Tensor w, Tensor bias, Tensor y, int activation) {
    int op = Ops.DENSE_FROM_HIDDEN;
    requireProduct(op, x.single(), ACTIVATIONS, w.single(), PARAMETERS, y.single(), ACTIVATIONS, false);
    product(op, x.single(), w.single(), y.single(), bias, 1f, false, -1, 0);
    if (activation != Ops.ACT_NONE) {
      activate(y, activation); // a separate pass: a call inside the product block keeps PoCL from vectorizing it
    }
  }

  private void fixedProduct(int op, Tensor x, Arena xs, Tensor w, Arena ws, Tensor bias, Tensor y, Arena ys,
      int activation) {
    requireProduct(op, x.single(), xs, w.single(), ws, y.single(), ys, true);
    product(op, x.single(), w.single(), y.single(), bias, 1f, false, -1, 0);
    if (activation != Ops.ACT_NONE) {
      activate(y, activation); // a separate pass: a call inside the product block keeps PoCL from vectorizing it
    }
  }

  /**
   * Attention scores per (sequence, head), {@code scores = scale · q·kᵀ} ({@link Ops#ATTENTION_SCORES}):
   * queries [q] (seq, headDim), the transposed keys [a] (headDim, seq), scores [a] (seq, seq).
   */
  public void attentionScores(Slices queries, Slices keysT, Slices scores, float scale) {
    int op = Ops.ATTENTION_SCORES;
    requireProduct(op, queries, QKV, keysT, ACTIVATIONS, scores, ACTIVATIONS, false);
    product(op, queries, keysT, scores, null, scale, false, -1, 0);
  }

  /**
   * Attention context per (sequence, head), {@code context = probabilities·v}
   * ({@link Ops#ATTENTION_CONTEXT}): probabilities [a] (seq, seq), values [q] (seq, headDim), context [a].
   */
  public void attentionContext(Slices probabilities, Slices values, Slices context) {
    int op = Ops.ATTENTION_CONTEXT;
    requireProduct(op, probabilities, ACTIVATIONS, values, QKV, context, ACTIVATIONS, false);
    product(op, probabilities, values, context, null, 1f, false, -1, 0);
  }

  /**
   * {@code y = alpha · x·w} per matrix of the batch, x and y in [a], w in [a] ({@link Ops#MATMUL}) or
   * [p] ({@link Ops#MATMUL_PARAMETERS}).
   */
  public void matmul(Slices x, Slices w, Slices y, float alpha) {
    int op = pickByW(w, Ops.MATMUL, Ops.MATMUL_PARAMETERS);
    requireProduct(op, x, ACTIVATIONS, w, w.arena(), y, ACTIVATIONS, false);
    product(op, x, w, y, null, alpha, false, -1, 0);
  }

  /**
   * {@code y = xᵀ·w} for x [a] stored (K, M), w (K, N) in [a] ({@link Ops#MATMUL_TRANSPOSED_X}) or [p]
   * ({@link Ops#MATMUL_TRANSPOSED_X_PARAMETERS}), y (M, N) [a].
   */
  public void transposedXProduct(Slices x, Slices w, Slices y) {
    int op = pickByW(w, Ops.MATMUL_TRANSPOSED_X, Ops.MATMUL_TRANSPOSED_X_PARAMETERS);
    requireProduct(op, x, ACTIVATIONS, w, w.arena(), y, ACTIVATIONS, false);
    product(op, x, w, y, null, 1f, true, -1, 0);
  }

  /**
   * Weight gradients {@code dw = xᵀ·dy} ({@link Ops#MATMUL_TO_GRADIENTS}): x [a] (rows, K) read in place,
   * dy [a] (rows, N), dw (K, N) [gr].
   */
  public void weightGradient(Slices x, Slices dy, Slices dw) {
    int op = Ops.MATMUL_TO_GRADIENTS;
    requireProduct(op, x, ACTIVATIONS, dy, ACTIVATIONS, dw, GRADIENTS, false);
    product(op, x, dy, dw, null, 1f, true, -1, 0);
  }

  private static int pickByW(Slices w, int fromActivations, int fromParameters) {
    return switch (w.arena()) {
      case ACTIVATIONS -> fromActivations;
      case PARAMETERS -> fromParameters;
      default -> throw new IllegalArgumentException(Ops.name(fromActivations) + " reads W from "
          + ACTIVATIONS + " and " + Ops.name(fromParameters) + " from " + PARAMETERS + ", but tensor "
          + w.name() + " is in " + w.arena() + "; pass a tensor of one of them");
    };
  }

  private static void requireProduct(int op, Slices x, Arena xs, Slices w, Arena ws, Slices y, Arena ys,
      boolean fixed) {
    require(op, "reads X from", x, xs);
    require(op, "reads W from", w, ws);
    require(op, "writes Y to", y, ys);
    if (fixed) {
      if (!(y.first().offset() == 0 && y.count() == 1)) {
        throw shapeError(op, "writes its own array from offset 0, unbatched; tensor " + y.first()
            + " is not that");
      }
    }
    if (!(x.outer() == y.outer() && x.inner() == y.inner() && w.outer() == y.outer()
        && w.inner() == y.inner())) {
      throw shapeError(op, "X, W and Y need the same batch counts (" + x.name() + " " + x.outer() + "×"
          + x.inner() + ", " + w.name() + " " + w.outer() + "×" + w.inner() + ", " + y.name() + " " + y.outer()
          + "×" + y.inner() + ")");
    }
  }

  /**
   * The layout of every product ({@link Ops#DENSE_FROM_HIDDEN}'s arguments): {@code Y = alpha·X·W + bias}
   * per matrix of the batch, M×N = Y's shape, K = X's columns (X's rows for a transposed X).
   */
  private void product(int op, Slices x, Slices w, Slices y, Tensor bias, float alpha, boolean transposedX,
      int groupWidth, int groupStride) {
    int m = y.rows();
    int n = y.cols();
    int k = transposedX ? x.rows() : x.cols();
    int xm = transposedX ? x.cols() : x.rows();
    if (!(xm == m && w.rows() == k && (groupWidth >= 0 || w.cols() == n))) {
      throw shapeError(op, "shapes do not fit: X " + x.first() + (transposedX ? " (transposed)" : "") + ", W "
          + w.first() + ", Y " + y.first());
    }
    if (bias != null) {
      require(op, "reads the bias from", bias, PARAMETERS);
      if (!(bias.size() == n)) {
        throw shapeError(op, "bias " + bias + " needs one value per column of " + y.first());
      }
    }
    long batches = (long) y.outer() * y.inner();
    long blocks;
    int shape = 0;
    if (launcher.family() == KernelFamily.GPU) {
      shape = tileShape(m, n, batches);
      int side = shape == 0 ? TiledProductKernels.LARGE_TILE : TiledProductKernels.SMALL_TILE;
      blocks = tiles(m, n, batches, side) * TiledProductKernels.GROUP; // work-items: whole groups
    } else {
      blocks = (long) ((m + BertKernels.BLOCK_ROWS - 1) / BertKernels.BLOCK_ROWS)
          * ((n + BertKernels.BLOCK_COLS - 1) / BertKernels.BLOCK_COLS) * batches;
    }
    if (blocks > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("matrix product too large for one launch");
    }
    launcher.launch(op, (int) blocks, alpha, 0f, x.first().offset(), x.first().stride(), w.first().offset(),
        w.first().stride(), y.first().offset(), y.first().stride(), bias == null ? -1 : bias.offset(), shape, m, n,
        y.inner(), x.outerStride(), x.innerStride(), w.outerStride(), w.innerStride(), y.outerStride(),
        y.innerStride(), groupWidth < 0 ? n : groupWidth, groupStride, k);
  }

  /**
   * Work-items of a reduction over each row (LayerNorm and its backward pass): one per row in the CPU family,
   * a work-group of {@link TiledProductKernels#GROUP} per row in the GPU family.
   */
  private int rowReductionItems(int rows) {
    return launcher.family() == KernelFamily.GPU ? Math.multiplyExact(rows, TiledProductKernels.GROUP) : rows;
  }

  /**
   * Work-items of a reduction over each column (bias and LayerNorm parameter gradients): one per column in the
   * CPU family, a work-group per {@link GpuBertKernels#COLUMNS} columns in the GPU family.
   */
  private int columnReductionItems(int cols) {
    return launcher.family() == KernelFamily.GPU
        ? Math.multiplyExact((cols + GpuBertKernels.COLUMNS - 1) / GpuBertKernels.COLUMNS, TiledProductKernels.GROUP)
        : cols;
  }

  /** Tiles of {@code side}×{@code side} covering {@code batches} products of m×n. */
  private static long tiles(int m, int n, long batches, int side) {
    return (long) ((m + side - 1) / side) * ((n + side - 1) / side) * batches;
  }

  /**
   * The GPU family's tile shape for an m×n product ({@code i7}: 0 the 128×128 tiles, 1 the 64×64):
   * large tiles when they give at least two work-groups per compute unit, else small ones, which fill
   * the device better (a 768-column product of 4,096 rows is 192 large tiles for an H200's 132
   * multiprocessors, 768 small ones). {@value #TILE_PROPERTY} = {@code large} or {@code small} forces one.
   */
  private int tileShape(int m, int n, long batches) {
    String forced = tileShapeProperty();
    if (forced != null) {
      return forced.equals("small") ? 1 : 0;
    }
    return tiles(m, n, batches, TiledProductKernels.LARGE_TILE) >= 2L * launcher.computeUnits() ? 0 : 1;
  }

  /** System property forcing the GPU family's tile shape ({@code large}, {@code small}; default by shape). */
  public static final String TILE_PROPERTY = "bertgen.gpuTile";

  private static String tileShapeProperty() {
    String v = System.getProperty(TILE_PROPERTY, "auto").trim().toLowerCase(java.util.Locale.ROOT);
    if (!(v.equals("auto") || v.equals("large") || v.equals("small"))) {
      throw new DeviceException("-D" + TILE_PROPERTY + "=" + v + " is not a tile shape; use large, small or auto");
    }
    return v.equals("auto") ? null : v;
  }

  /**
   * A batched transpose {@code y[n][m] = x[m][n]}, y in [a], one 16×16 tile per work-item: x in [q]
   * ({@link Ops#TRANSPOSE_KEYS}), [p] ({@link Ops#TRANSPOSE_PARAMETERS}) or [a] ({@link Ops#TRANSPOSE}).
   */
  public void transpose(Slices x, Slices y) {
    int op = switch (x.arena()) {
      case QKV -> Ops.TRANSPOSE_KEYS;
      case PARAMETERS -> Ops.TRANSPOSE_PARAMETERS;
      case ACTIVATIONS -> Ops.TRANSPOSE;
      default -> throw new IllegalArgumentException(noOp("a transpose", x.first(),
          "transposes read " + QKV + ", " + PARAMETERS + " or " + ACTIVATIONS));
    };
    require(op, "writes to", y, ACTIVATIONS);
    int rows = x.rows();
    int cols = x.cols();
    if (!(y.rows() == cols && y.cols() == rows && x.outer() == y.outer() && x.inner() == y.inner())) {
      throw shapeError(op, "tensor " + y.first() + " is not the transpose of " + x.first()
          + " (or the batch counts differ)");
    }
    long tiles = (long) ((rows + BertKernels.TILE - 1) / BertKernels.TILE)
        * ((cols + BertKernels.TILE - 1) / BertKernels.TILE);
    long count = tiles * y.outer() * y.inner(); // one tile per work-item
    if (count > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("transpose too large for one launch");
    }
    launcher.launch(op, (int) count, 0f, 0f, x.first().offset(), x.first().stride(), 0, 0, y.first().offset(),
        y.first().stride(), 0, 0, rows, cols, y.inner(), x.outerStride(), x.innerStride(), 0, 0, y.outerStride(),
        y.innerStride(), 1, 0, 0);
  }
}
