package dev.bertgen.layers;

import dev.bertgen.compute.Launcher;
import dev.bertgen.compute.Matmul;
import dev.bertgen.compute.Ops;
import dev.bertgen.spec.BackboneConfig;

/**
 * keras-hub's {@code MaskedLMHead}: gather the sequence output at the mask positions, dense +
 * activation (exact GELU in keras-hub), LayerNorm (epsilon 1e-5 in keras-hub), then logits against
 * the tied token embedding plus an output bias.
 */
public final class MaskedLMHead {
  private final BackboneConfig config;
  private final int denseKernel;
  private final int denseBias;
  private final int norm;
  private final int outputBias;
  private final int tokenEmbedding;
  private final int normBeta;

  public MaskedLMHead(VariableLayout layout) {
    this.config = layout.config();
    this.denseKernel = layout.get("mlm_head/intermediate_dense/kernel").offset();
    this.denseBias = layout.get("mlm_head/intermediate_dense/bias").offset();
    this.norm = layout.get("mlm_head/intermediate_layer_norm/gamma").offset();
    this.outputBias = layout.get("mlm_head/output_bias").offset();
    this.tokenEmbedding = layout.get("token_embedding/embeddings").offset();
    this.normBeta = layout.get("mlm_head/intermediate_layer_norm/beta").offset();
    if (normBeta != norm + config.hiddenDim()) {
      throw new IllegalStateException("LayerNorm beta must follow gamma in the arena");
    }
  }

  /**
   * Writes the token embedding transposed, (hidden, vocabulary), to the workspace's cache: the
   * logits product reads it. Needed once after the parameters or the arena changed.
   */
  public void prepare(Launcher l, Workspace w) {
    int h = config.hiddenDim();
    int v = config.vocabularySize();
    Matmul.transpose(l, Ops.TRANSPOSE_PARAMETERS, tokenEmbedding, h, w.embeddingT, v, v, h, 1, 1, 0, 0, 0, 0);
  }

  /** Writes (batch, slots, vocabulary) logits into the logits array [l], from offset 0. */
  public void forward(Launcher l, Workspace w) {
    int h = config.hiddenDim();
    int rows = w.batch * w.slots;
    l.launch(Ops.GATHER_ROWS, rows * h, 0f, 0f, w.hiddenStates, w.positions, w.gathered);
    Matmul.of(Ops.DENSE_HIDDEN).x(w.gathered, h).w(denseKernel, h).y(0, h).size(rows, h, h)
        .bias(denseBias).activation(Activations.code(config.mlmHeadActivation())).launch(l);
    l.launch(Ops.LAYER_NORM_DENSE, rows, (float) config.mlmHeadLayerNormEpsilon(), 0f, 0, -1, w.head, norm);
    int v = config.vocabularySize();
    Matmul.of(Ops.LOGITS).x(w.head, h).w(w.embeddingT, v).y(0, v).size(rows, v, h)
        .bias(outputBias).launch(l);
  }

  /** Training forward from the sequence output {@code t.layerInput[L]}: logits into [l], keeping what backward needs. */
  public void forwardTraining(Launcher l, TrainingWorkspace t) {
    Workspace w = t.inference;
    int h = config.hiddenDim();
    int rows = t.rows();
    prepare(l, w); // the token embedding changes every step
    l.launch(Ops.GATHER_ROWS, rows * h, 0f, 0f, t.layerInput[config.numLayers()], w.positions, t.gathered);
    Matmul.of(Ops.DENSE_HIDDEN).x(t.gathered, h).w(denseKernel, h).y(0, h).size(rows, h, h).bias(denseBias)
        .launch(l);
    l.launch(Ops.SAVE_DENSE, rows * h, 0f, 0f, 0, t.headDense);
    Matmul.activate(l, Ops.ACTIVATE_DENSE, 0, h, rows, h, Activations.code(config.mlmHeadActivation()));
    l.launch(Ops.SAVE_DENSE, rows * h, 0f, 0f, 0, t.headActivated);
    l.launch(Ops.LAYER_NORM_DENSE, rows, (float) config.mlmHeadLayerNormEpsilon(), 0f, 0, -1, t.headNormalized,
        norm);
    int v = config.vocabularySize();
    Matmul.of(Ops.LOGITS).x(t.headNormalized, h).w(w.embeddingT, v).y(0, v).size(rows, v, h).bias(outputBias)
        .launch(l);
  }

  /** Vocabulary entries per slab of {@link #inputGradient}: a slice of dLogits and E stays in cache. */
  static final int SLICE = 1024;
  /** Most floats the slabs may take. */
  static final long SLAB_FLOATS = 8L << 20;

  /** Number of slabs {@link #inputGradient} splits the vocabulary into. */
  static int inputGradientSlabs(int vocabulary, int rows, int hidden) {
    long wanted = (vocabulary + SLICE - 1) / SLICE;
    return (int) Math.max(1, Math.min(wanted, SLAB_FLOATS / Math.max(1L, (long) rows * hidden)));
  }

  /**
   * dHidden = dLogits·E, a product over the whole vocabulary (K = V) with few outputs: in one pass
   * every work-item streams its rows of dLogits and all of E from memory (6 GFLOP/s on PoCL). Split
   * over slices of the vocabulary, each slice's operands stay in cache; a last pass sums the slabs.
   * dLogits is transposed first so that the slices run as transposed-X products.
   */
  private void inputGradient(Launcher l, TrainingWorkspace t, int rows, int h, int v) {
    int slabs = inputGradientSlabs(v, rows, h);
    int chunk = (v + slabs - 1) / slabs;
    int full = v / chunk;
    int tail = v - full * chunk;
    int slab = rows * h;
    // dLogitsᵀ (V×rows), then (dLogitsᵀ)ᵀ·E per slice of the vocabulary with the transposed-X block
    Matmul.transpose(l, Ops.TRANSPOSE, t.dLogits, v, t.transposed, rows, rows, v, 1, 1, 0, 0, 0, 0);
    Matmul.of(Ops.MATMUL_TRANSPOSED_X_PARAMETERS).x(t.transposed, rows).w(tokenEmbedding, h).y(t.slabs, h)
        .size(rows, h, chunk).batch(full, 1, chunk * rows, 0, chunk * h, 0, slab, 0).launch(l);
    if (tail > 0) {
      Matmul.of(Ops.MATMUL_TRANSPOSED_X_PARAMETERS).x(t.transposed + full * chunk * rows, rows)
          .w(tokenEmbedding + full * chunk * h, h).y(t.slabs + full * slab, h).size(rows, h, tail).launch(l);
    }
    l.launch(Ops.SUM_SLABS, slab, 0f, 0f, t.slabs, t.dBranch, full + (tail > 0 ? 1 : 0), slab);
  }

  /**
   * keras-hub's masked-LM loss over the logits in [l] (labels and sample weights uploaded): per-row
   * loss·weight and correct·weight to [out] from 0, and its gradient in {@code t.dLogits}. Two passes
   * over slices of the vocabulary, so that a few rows still fill every core.
   */
  public static void crossEntropy(Launcher l, TrainingWorkspace t) {
    int v = t.vocabulary;
    int items = t.rows() * t.slices;
    l.launch(Ops.CROSS_ENTROPY_PARTIALS, items, 0f, 0f, 0, 0, 0, 0, v, 0, t.slices, t.partials);
    l.launch(Ops.CROSS_ENTROPY, items, 1f / (t.batch * t.slots), 0f, 0, t.labels, 0, t.dLogits, v, 0, t.slices,
        t.partials);
  }

  /**
   * The loss and the head's backward: sparse categorical cross-entropy over the logits in [l]
   * (labels and sample weights already uploaded; per-row loss·weight and correct·weight to [out] from
   * 0), every head gradient, and, when {@code backbone} is true, the tied embedding's gradient from
   * the logits and the gradient of the sequence output in {@code t.dX}.
   */
  public void backward(Launcher l, TrainingWorkspace t, boolean backbone) {
    Workspace w = t.inference;
    int h = config.hiddenDim();
    int v = config.vocabularySize();
    int rows = t.rows();
    crossEntropy(l, t);
    l.launch(Ops.COLUMN_SUMS, v, 0f, 0f, t.dLogits, v, rows, outputBias);
    if (backbone) {
      TransformerEncoder.weightGradient(l, t, t.dLogits, v, t.headNormalized, h, tokenEmbedding, rows);
    }
    inputGradient(l, t, rows, h, v);
    TransformerEncoder.layerNormBackward(l, t, t.headActivated, t.dBranch, t.dX2, norm,
        (float) config.mlmHeadLayerNormEpsilon(), rows);
    l.launch(Ops.ACTIVATION_BACKWARD, rows * h, 0f, 0f, t.headDense, t.dX2, t.dX2,
        Activations.code(config.mlmHeadActivation()));
    l.launch(Ops.COLUMN_SUMS, h, 0f, 0f, t.dX2, h, rows, denseBias);
    TransformerEncoder.weightGradient(l, t, t.gathered, h, t.dX2, h, denseKernel, rows);
    if (backbone) {
      TransformerEncoder.inputGradient(l, t, t.dX2, h, denseKernel, h, h, t.dBranch, rows);
      l.launch(Ops.FILL, t.tokens() * h, 0f, 0f, t.dX);
      l.launch(Ops.SCATTER_MASK_GRADIENTS, h, 0f, 0f, t.dBranch, w.positions, rows, t.dX);
    }
  }
}
