package dev.bertgen.layers;

import dev.bertgen.compute.Launcher;
import dev.bertgen.compute.Matmul;
import dev.bertgen.compute.Ops;
import dev.bertgen.spec.BackboneConfig;

/**
 * keras-hub's post-norm {@code TransformerEncoder}: {@code x = LN1(x + attention(x))},
 * {@code x = LN2(x + W2·act(W1·x + b1) + b2)}. Query, key and value come from one product (their
 * kernels are adjacent in the arena); attention is scores = q·kᵀ/√d, keras-hub's masked softmax, then
 * probabilities·v, as batched products over (sequence, head).
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
    requireAt(layout, p + "self_attention_layer/key/kernel", qkvKernel + h * h); // column groups of width h
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
    int heads = config.numHeads();
    int dh = config.headDim();
    int seq = w.seq;
    int tokens = w.tokens();
    float eps = (float) config.layerNormEpsilon();
    // [q] = x·[Wq Wk Wv] + [bq bk bv]: three adjacent (H, H) kernels as column groups
    Matmul.of(Ops.DENSE_QKV).x(w.hiddenStates, h).w(qkvKernel, h).y(0, 3 * h)
        .size(tokens, 3 * h, h).columnGroups(h, h * h).bias(qkvBias).launch(l);
    // keysᵀ per (sequence, head): (headDim, S)
    Matmul.transpose(l, Ops.TRANSPOSE_KEYS, h, 3 * h, w.keysT, seq, seq, dh, w.batch, heads,
        seq * 3 * h, dh, heads * dh * seq, dh * seq);
    // scores = (q / √headDim)·kᵀ per (sequence, head)
    Matmul.of(Ops.ATTENTION_SCORES).x(0, 3 * h).w(w.keysT, seq).y(w.probs, seq).size(seq, seq, dh)
        .alpha((float) (1.0 / Math.sqrt(dh)))
        .batch(w.batch, heads, seq * 3 * h, dh, heads * dh * seq, dh * seq, heads * seq * seq, seq * seq)
        .launch(l);
    l.launch(Ops.MASKED_SOFTMAX, w.batch * heads * seq, 0f, 0f, w.probs, w.mask, seq);
    // context = probabilities·v, written head by head into (S, H) rows
    Matmul.of(Ops.ATTENTION_CONTEXT).x(w.probs, seq).w(2 * h, 3 * h).y(w.context, h).size(seq, dh, seq)
        .batch(w.batch, heads, heads * seq * seq, seq * seq, seq * 3 * h, dh, seq * h, dh)
        .launch(l);
    Matmul.of(Ops.DENSE_HIDDEN).x(w.context, h).w(outputKernel, h).y(0, h)
        .size(tokens, h, h).bias(outputBias).launch(l);
    l.launch(Ops.ADD_LAYER_NORM, tokens, eps, 0f, w.hiddenStates, 0, w.hiddenStates, attentionNorm);
    int in = config.intermediateDim();
    Matmul.of(Ops.DENSE_UP).x(w.hiddenStates, h).w(intermediateKernel, in).y(0, in)
        .size(tokens, in, h).bias(intermediateBias).activation(Activations.code(config.hiddenActivation()))
        .launch(l);
    Matmul.of(Ops.DENSE_DOWN).x(0, in).w(ffnOutputKernel, h).y(0, h)
        .size(tokens, h, in).bias(ffnOutputBias).launch(l);
    l.launch(Ops.ADD_LAYER_NORM, tokens, eps, 0f, w.hiddenStates, 0, w.hiddenStates, ffnNorm);
  }
}
