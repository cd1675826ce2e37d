package dev.bertgen.layers;

import dev.bertgen.compute.DeviceOps;
import dev.bertgen.compute.Tensor;
import dev.bertgen.spec.BackboneConfig;

/**
 * keras-hub's embeddings block: {@code LN((token_embedding[id] + position_embedding[s]) +
 * segment_embedding[sid])}, then dropout (identity at inference).
 */
public final class Embeddings {
  private final Tensor token;
  private final Tensor position;
  private final Tensor segment;
  /** The LayerNorm's gamma; its beta follows it in the arena. */
  private final Tensor gamma;
  private final float epsilon;

  public Embeddings(VariableLayout layout) {
    BackboneConfig config = layout.config();
    int h = config.hiddenDim();
    this.token = layout.parameter("token_embedding/embeddings", config.vocabularySize(), h);
    this.position = layout.parameter("position_embedding/embeddings", config.maxSequenceLength(), h);
    this.segment = layout.parameter("segment_embedding/embeddings", config.numSegments(), h);
    this.gamma = layout.parameter("embeddings_layer_norm/gamma", 1, h);
    this.epsilon = (float) config.layerNormEpsilon();
    if (layout.get("embeddings_layer_norm/beta").offset() != gamma.offset() + h) {
      throw new IllegalStateException("LayerNorm beta must follow gamma in the arena");
    }
  }

  /**
   * Writes the embedded, normalized tokens as the encoder's input: in place of the workspace's hidden
   * states at inference ({@code keep} null, one fused launch), or, in training, as layer 0's input
   * after dropout, keeping the embedding sum for the LayerNorm backward.
   */
  public void forward(DeviceOps ops, Workspace w, KeepPlan keep) {
    if (keep == null) {
      ops.embeddings(w.ids(), w.segments(), token, position, segment, gamma, epsilon, w.hiddenStates());
      return;
    }
    TrainingWorkspace t = keep.workspace();
    Tensor sum = t.embeddingSum();
    Tensor out = t.layerInput(0);
    ops.embeddingSum(w.ids(), w.segments(), token, position, segment, sum);
    ops.layerNorm(sum, null, out, gamma, epsilon);
    keep.dropout().apply(ops, out, Dropout.EMBEDDINGS);
  }

  /**
   * Backward from the gradient of layer 0's input ({@code t.dX()}): the dropout, the LayerNorm and its
   * parameters, then the three embedding tables. The token embedding's gradient is added to what the
   * tied logits product wrote, for the {@code distinctTokens} ids the host listed (0 to skip it).
   */
  public void backward(DeviceOps ops, TrainingWorkspace t, Dropout dropout, int distinctTokens) {
    Workspace w = t.inference;
    Tensor sum = t.embeddingSum();
    Tensor dOut = t.dX();
    Tensor dSum = t.dBranch();
    Tensor stats = t.stats(t.tokens());
    dropout.apply(ops, dOut, Dropout.EMBEDDINGS);
    ops.layerNormBackward(sum, dOut, dSum, gamma, stats, epsilon);
    ops.layerNormParameterGradients(sum, dOut, stats, gamma.gradient());
    if (distinctTokens > 0) {
      ops.tokenEmbeddingGradients(dSum, t.uniqueIds(), t.idStarts(), t.idPositions(), distinctTokens,
          token.gradient());
    }
    ops.positionEmbeddingGradients(dSum, position.gradient().firstRows(w.seq));
    ops.segmentEmbeddingGradients(dSum, w.segments(), segment.gradient());
  }
}
