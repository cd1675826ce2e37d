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

  /** Writes the embedded, normalized tokens into the workspace's hidden states. */
  public void forward(Launcher l, Workspace w) {
    l.launch(Ops.EMBEDDINGS, w.tokens(), (float) config.layerNormEpsilon(), 0f,
        w.hiddenStates, w.ids, w.segments, w.seq, token, position, segment, gamma);
  }
}
