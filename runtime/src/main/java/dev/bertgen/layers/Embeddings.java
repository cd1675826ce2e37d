package dev.bertgen.layers;

import dev.bertgen.compute.Launcher;
import dev.bertgen.compute.Ops;
import dev.bertgen.spec.BackboneConfig;

/**
 * keras-hub's embeddings block: {@code LN((token_embedding[id] + position_embedding[s]) +
 * segment_embedding[sid])}, then dropout (identity at inference).
 */
public final class Embeddings {
  private final BackboneConfig config;
  private final int token;
  private final int position;
  private final int segment;
  private final int gamma;

  public Embeddings(VariableLayout layout) {
    this.config = layout.config();
    this.token = layout.get("token_embedding/embeddings").offset();
    this.position = layout.get("position_embedding/embeddings").offset();
    this.segment = layout.get("segment_embedding/embeddings").offset();
    this.gamma = layout.get("embeddings_layer_norm/gamma").offset();
    if (layout.get("embeddings_layer_norm/beta").offset() != gamma + config.hiddenDim()) {
      throw new IllegalStateException("LayerNorm beta must follow gamma in the arena");
    }
  }

  /**
   * Training forward: keeps the embedding sum (for the LayerNorm backward) and writes the
   * normalized, dropped-out embeddings as layer 0's input.
   */
  public void forwardTraining(Launcher l, TrainingWorkspace t, Dropout dropout) {
    Workspace w = t.inference;
    int h = config.hiddenDim();
    l.launch(Ops.EMBEDDING_SUM, w.tokens() * h, 0f, 0f,
        t.embeddingSum, w.ids, w.segments, w.seq, token, position, segment);
    l.launch(Ops.ADD_LAYER_NORM, w.tokens(), (float) config.layerNormEpsilon(), 0f,
        t.embeddingSum, -1, t.layerInput[0], gamma);
    dropout.apply(l, t.layerInput[0], w.tokens() * h, Dropout.EMBEDDINGS);
  }

  /**
   * Backward from the gradient of layer 0's input ({@code t.dX}): the dropout, the LayerNorm and its
   * parameters, then the three embedding tables. The token embedding's gradient is added to what the
   * tied logits product wrote, for the {@code distinctTokens} ids the host listed (0 to skip it).
   */
  public void backward(Launcher l, TrainingWorkspace t, Dropout dropout, int distinctTokens) {
    Workspace w = t.inference;
    int h = config.hiddenDim();
    int tokens = w.tokens();
    dropout.apply(l, t.dX, tokens * h, Dropout.EMBEDDINGS);
    l.launch(Ops.LAYER_NORM_BACKWARD, tokens, (float) config.layerNormEpsilon(), 0f,
        t.embeddingSum, t.dX, t.dBranch, gamma, t.stats);
    l.launch(Ops.LAYER_NORM_PARAMETER_GRADIENTS, h, 0f, 0f, t.embeddingSum, t.dX, 0, gamma, t.stats, tokens);
    if (distinctTokens > 0) {
      l.launch(Ops.TOKEN_EMBEDDING_GRADIENTS, distinctTokens * h, 0f, 0f,
          t.dBranch, t.uniqueIds, t.idStarts, t.idPositions, token);
    }
    l.launch(Ops.POSITION_EMBEDDING_GRADIENTS, w.seq * h, 0f, 0f, t.dBranch, w.batch, w.seq, position);
    l.launch(Ops.SEGMENT_EMBEDDING_GRADIENTS, config.numSegments() * h, 0f, 0f, t.dBranch, tokens, w.segments,
        segment);
  }

  /** Writes the embedded, normalized tokens into the workspace's hidden states. */
  public void forward(Launcher l, Workspace w) {
    l.launch(Ops.EMBEDDINGS, w.tokens(), (float) config.layerNormEpsilon(), 0f,
        w.hiddenStates, w.ids, w.segments, w.seq, token, position, segment, gamma);
  }
}
