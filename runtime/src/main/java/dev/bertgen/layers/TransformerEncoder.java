package dev.bertgen.layers;

import dev.bertgen.compute.Launcher;
import dev.bertgen.compute.Ops;
import dev.bertgen.spec.BackboneConfig;

/**
 * keras-hub's post-norm {@code TransformerEncoder}: {@code x = LN1(x + attention(x))},
 * {@code x = LN2(x + W2·act(W1·x + b1) + b2)}. Query, key and value come from one fused product
 * (their kernels are adjacent in the arena).
 */
public final class TransformerEncoder {
  private final BackboneConfig config;
  private final int qkvKernel;
  private final int qkvBias;
  private final int outputKernel;
  private final int outputBias;
  private final int attentionNorm;
  private final int intermediateKernel;
  private final int intermediateBias;
  private final int ffnOutputKernel;
  private final int ffnOutputBias;
  private final int ffnNorm;

  public TransformerEncoder(VariableLayout layout, int index) {
    this.config = layout.config();
    String p = VariableLayout.layerPrefix(index);
    int h = config.hiddenDim();
    this.qkvKernel = layout.get(p + "self_attention_layer/query/kernel").offset();
    this.qkvBias = layout.get(p + "self_attention_layer/query/bias").offset();
    requireAt(layout, p + "self_attention_layer/key/kernel", qkvKernel + h * h);
    requireAt(layout, p + "self_attention_layer/value/kernel", qkvKernel + 2 * h * h);
    requireAt(layout, p + "self_attention_layer/key/bias", qkvBias + h);
    requireAt(layout, p + "self_attention_layer/value/bias", qkvBias + 2 * h);
    this.outputKernel = layout.get(p + "self_attention_layer/attention_output/kernel").offset();
    this.outputBias = layout.get(p + "self_attention_layer/attention_output/bias").offset();
    this.attentionNorm = layout.get(p + "self_attention_layer_norm/gamma").offset();
    requireAt(layout, p + "self_attention_layer_norm/beta", attentionNorm + h);
    this.intermediateKernel = layout.get(p + "feedforward_intermediate_dense/kernel").offset();
    this.intermediateBias = layout.get(p + "feedforward_intermediate_dense/bias").offset();
    this.ffnOutputKernel = layout.get(p + "feedforward_output_dense/kernel").offset();
    this.ffnOutputBias = layout.get(p + "feedforward_output_dense/bias").offset();
    this.ffnNorm = layout.get(p + "feedforward_layer_norm/gamma").offset();
    requireAt(layout, p + "feedforward_layer_norm/beta", ffnNorm + h);
  }

  private static void requireAt(VariableLayout layout, String path, int offset) {
    if (layout.get(path).offset() != offset) {
      throw new IllegalStateException(path + " is not where the fused kernels expect it");
    }
  }

  /** Transforms the workspace's hidden states in place. */
  public void forward(Launcher l, Workspace w) {
    int h = config.hiddenDim();
    int tokens = w.tokens();
    float eps = (float) config.layerNormEpsilon();
    // q, k, v = x·[Wq Wk Wv] + [bq bk bv]
    l.launch(Ops.DENSE_FROM_HIDDEN, tokens * 3 * h, 0f, 0f,
        w.hiddenStates, h, qkvKernel, qkvBias, w.qkv, 3 * h, 3 * h, Ops.ACT_NONE);
    l.launch(Ops.ATTENTION, w.batch * config.numHeads() * w.seq, (float) (1.0 / Math.sqrt(config.headDim())), 0f,
        w.qkv, w.mask, w.seq, w.probs, w.context);
    l.launch(Ops.DENSE_FROM_HIDDEN, tokens * h, 0f, 0f,
        w.context, h, outputKernel, outputBias, w.scratch, h, h, Ops.ACT_NONE);
    l.launch(Ops.ADD_LAYER_NORM, tokens, eps, 0f, w.hiddenStates, w.scratch, w.hiddenStates, attentionNorm);
    int in = config.intermediateDim();
    l.launch(Ops.DENSE_FROM_HIDDEN, tokens * in, 0f, 0f,
        w.hiddenStates, h, intermediateKernel, intermediateBias, w.intermediate, in, in,
        Activations.code(config.hiddenActivation()));
    l.launch(Ops.DENSE_FROM_INTERMEDIATE, tokens * h, 0f, 0f,
        w.intermediate, in, ffnOutputKernel, ffnOutputBias, w.scratch, h, h, Ops.ACT_NONE);
    l.launch(Ops.ADD_LAYER_NORM, tokens, eps, 0f, w.hiddenStates, w.scratch, w.hiddenStates, ffnNorm);
  }
}
