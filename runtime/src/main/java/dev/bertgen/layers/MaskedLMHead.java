package dev.bertgen.layers;

import dev.bertgen.compute.DeviceOps;
import dev.bertgen.compute.Ops;
import dev.bertgen.compute.Tensor;
import dev.bertgen.spec.BackboneConfig;

/**
 * keras-hub's {@code MaskedLMHead}: gather the sequence output at the mask positions, dense +
 * activation (exact GELU in keras-hub), LayerNorm (epsilon 1e-5 in keras-hub), then logits against
 * the tied token embedding plus an output bias.
 */
public final class MaskedLMHead {
  private final int layers;
  private final int activation;
  private final float epsilon;
  private final Tensor denseKernel;
  private final Tensor denseBias;
  /** The LayerNorm's gamma; its beta follows it in the arena. */
  private final Tensor norm;
  private final Tensor outputBias;
  /** The token embedding (vocabulary, hidden), tied: the logits product reads its transpose. */
  private final Tensor tokenEmbedding;

  public MaskedLMHead(VariableLayout layout) {
    BackboneConfig config = layout.config();
    int h = config.hiddenDim();
    int v = config.vocabularySize();
    this.layers = config.numLayers();
    this.activation = Activations.code(config.mlmHeadActivation());
    this.epsilon = (float) config.mlmHeadLayerNormEpsilon();
    this.denseKernel = layout.parameter("mlm_head/intermediate_dense/kernel", h, h);
    this.denseBias = layout.parameter("mlm_head/intermediate_dense/bias", 1, h);
    this.norm = layout.parameter("mlm_head/intermediate_layer_norm/gamma", 1, h);
    this.outputBias = layout.parameter("mlm_head/output_bias", 1, v);
    this.tokenEmbedding = layout.parameter("token_embedding/embeddings", v, h);
    if (layout.get("mlm_head/intermediate_layer_norm/beta").offset() != norm.offset() + h) {
      throw new IllegalStateException("LayerNorm beta must follow gamma in the arena");
    }
  }

  /**
   * Writes the token embedding transposed, (hidden, vocabulary), to the workspace's cache: the
   * logits product reads it. Needed once after the parameters or the arena changed.
   */
  public void prepare(DeviceOps ops, Workspace w) {
    ops.transpose(tokenEmbedding.single(), w.embeddingT().single());
  }

  /**
   * Writes (rows, vocabulary) logits into the logits array [l], from offset 0: at inference
   * ({@code keep} null) for every mask slot of the workspace's sequence output, reading the transposed
   * embedding {@link #prepare} cached; in training for the head's rows of {@code layerInput(L)},
   * transposing the embedding first (it changes every step) and keeping what the backward pass needs.
   */
  public void forward(DeviceOps ops, Workspace w, KeepPlan keep) {
    TrainingWorkspace t = keep == null ? null : keep.workspace();
    if (t != null) {
      prepare(ops, w);
    }
    int rows = t == null ? w.batch * w.slots : t.rows();
    Tensor sequence = t == null ? w.hiddenStates() : t.layerInput(layers);
    Tensor gathered = t == null ? w.gathered() : t.gathered();
    ops.gatherRows(sequence, w.positions(rows), gathered);
    // LN(act(gathered·W + b))
    Tensor dense = w.dense(rows);
    ops.denseHidden(gathered, denseKernel, denseBias, dense, Ops.ACT_NONE);
    if (t != null) {
      ops.copy(dense, t.headDense());
    }
    ops.activate(dense, activation);
    if (t != null) {
      ops.copy(dense, t.headActivated());
    }
    Tensor normalized = t == null ? w.head() : t.headNormalized();
    ops.layerNorm(dense, null, normalized, norm, epsilon);
    // logits = normalized·Eᵀ + output bias
    ops.logits(normalized, w.embeddingT(), outputBias, w.logits(rows));
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
   * every work-item streams its rows of dLogits and all of E from memory (memory-bound on PoCL). Split
   * over slices of the vocabulary, each slice's operands stay in cache; a last pass sums the slabs.
   * dLogits is transposed first so that the slices run as transposed-X products.
   */
  private void inputGradient(DeviceOps ops, TrainingWorkspace t, Tensor dHidden) {
    int rows = t.rows();
    int h = tokenEmbedding.cols();
    int v = tokenEmbedding.rows();
    int slabs = inputGradientSlabs(v, rows, h);
    int chunk = (v + slabs - 1) / slabs;
    int full = v / chunk;
    int tail = v - full * chunk;
    int slab = rows * h;
    // dLogitsᵀ (V×rows), then (dLogitsᵀ)ᵀ·E per slice of the vocabulary with the transposed-X block
    Tensor dLogitsT = t.transposed(v, rows);
    ops.transpose(t.dLogits().single(), dLogitsT.single());
    ops.transposedXProduct(dLogitsT.firstRows(chunk).batch(full, 1, chunk * rows, 0),
        tokenEmbedding.firstRows(chunk).batch(full, 1, chunk * h, 0), t.slab(0).batch(full, 1, slab, 0));
    if (tail > 0) {
      ops.transposedXProduct(dLogitsT.rowRange(full * chunk, tail).single(),
          tokenEmbedding.rowRange(full * chunk, tail).single(), t.slab(full).single());
    }
    ops.sumSlabs(t.slab(0), full + (tail > 0 ? 1 : 0), slab, dHidden);
  }

  /**
   * keras-hub's masked-LM loss over the logits in [l] (labels and sample weights uploaded): per-row
   * loss·weight and correct·weight to [out] from 0, and its gradient in {@code t.dLogits()}. Two passes
   * over slices of the vocabulary, so that a few rows still fill every core.
   */
  public static void crossEntropy(DeviceOps ops, TrainingWorkspace t) {
    Tensor logits = t.inference.logits(t.rows());
    ops.crossEntropyPartials(logits, t.slices, t.partials());
    ops.crossEntropy(logits, t.labels(), t.sampleWeights(), t.dLogits(), t.rowResults(), t.slices, t.partials(),
        1f / (t.batch * t.slots));
  }

  /**
   * The head's backward from the loss's gradient {@code t.dLogits()} ({@link #crossEntropy} ran):
   * every head gradient, and, when {@code backbone} is true, the tied embedding's gradient from the
   * logits and the gradient of the sequence output in {@code t.dX()}.
   */
  public void backward(DeviceOps ops, TrainingWorkspace t, boolean backbone) {
    Workspace w = t.inference;
    int rows = t.rows();
    Tensor dLogits = t.dLogits();
    ops.columnSums(dLogits, outputBias.gradient());
    if (backbone) {
      // logits = normalized·Eᵀ: dE = dLogitsᵀ·normalized
      TransformerEncoder.weightGradient(ops, dLogits, t.headNormalized(), tokenEmbedding);
    }
    Tensor dNormalized = t.dBranch().firstRows(rows);
    inputGradient(ops, t, dNormalized);
    Tensor dDense = t.dX2().firstRows(rows);
    TransformerEncoder.layerNormBackward(ops, t.headActivated(), dNormalized, dDense, norm, t.stats(rows),
        epsilon);
    ops.activationBackward(t.headDense(), dDense, dDense, activation);
    ops.columnSums(dDense, denseBias.gradient());
    TransformerEncoder.weightGradient(ops, t.gathered(), dDense, denseKernel);
    if (backbone) {
      Tensor dGathered = t.dBranch().firstRows(rows);
      TransformerEncoder.inputGradient(ops, t, dDense, denseKernel, dGathered);
      ops.fill(t.dX(), 0f);
      ops.scatterRows(dGathered, w.positions(rows), t.dX());
    }
  }
}
