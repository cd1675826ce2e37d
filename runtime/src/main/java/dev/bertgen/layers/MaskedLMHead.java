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

  public MaskedLMHead(VariableLayout layout) {
    this.config = layout.config();
    this.denseKernel = layout.get("mlm_head/intermediate_dense/kernel").offset();
    this.denseBias = layout.get("mlm_head/intermediate_dense/bias").offset();
    this.norm = layout.get("mlm_head/intermediate_layer_norm/gamma").offset();
    this.outputBias = layout.get("mlm_head/output_bias").offset();
    this.tokenEmbedding = layout.get("token_embedding/embeddings").offset();
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
    l.launch(Ops.GATHER_ROWS, rows * h, 0f, 0f, w.hiddenStates, w.positions, w.slots, w.seq, w.gathered);
    Matmul.of(Ops.DENSE_HIDDEN).x(w.gathered, h).w(denseKernel, h).y(0, h).size(rows, h, h)
        .bias(denseBias).activation(Activations.code(config.mlmHeadActivation())).launch(l);
    l.launch(Ops.LAYER_NORM_DENSE, rows, (float) config.mlmHeadLayerNormEpsilon(), 0f, 0, -1, w.head, norm);
    int v = config.vocabularySize();
    Matmul.of(Ops.LOGITS).x(w.head, h).w(w.embeddingT, v).y(0, v).size(rows, v, h)
        .bias(outputBias).launch(l);
  }
}
