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
  private final int index;
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
    this.index = index;
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

  /**
   * Training forward from {@code t.layerInput[index]} to {@code t.layerInput[index + 1]}, keeping
   * what the backward pass needs: query/key/value, attention probabilities (before dropout),
   * context, both residual sums and the feed-forward pre-activation.
   */
  public void forwardTraining(Launcher l, TrainingWorkspace t, Dropout dropout) {
    Workspace w = t.inference;
    int h = config.hiddenDim();
    int heads = config.numHeads();
    int dh = config.headDim();
    int in = config.intermediateDim();
    int seq = w.seq;
    int tokens = w.tokens();
    float eps = (float) config.layerNormEpsilon();
    int x = t.layerInput[index];
    Matmul.of(Ops.DENSE_QKV).x(x, h).w(qkvKernel, h).y(0, 3 * h)
        .size(tokens, 3 * h, h).columnGroups(h, h * h).bias(qkvBias).launch(l);
    l.launch(Ops.SAVE_QKV, tokens * 3 * h, 0f, 0f, 0, t.qkv[index]);
    Matmul.transpose(l, Ops.TRANSPOSE_KEYS, h, 3 * h, w.keysT, seq, seq, dh, w.batch, heads,
        seq * 3 * h, dh, heads * dh * seq, dh * seq);
    Matmul.of(Ops.ATTENTION_SCORES).x(0, 3 * h).w(w.keysT, seq).y(t.probs[index], seq).size(seq, seq, dh)
        .alpha((float) (1.0 / Math.sqrt(dh)))
        .batch(w.batch, heads, seq * 3 * h, dh, heads * dh * seq, dh * seq, heads * seq * seq, seq * seq)
        .launch(l);
    l.launch(Ops.MASKED_SOFTMAX, w.batch * heads * seq, 0f, 0f, t.probs[index], w.mask, seq);
    int attention = w.batch * heads * seq * seq;
    int probs = t.probs[index];
    if (dropout.active()) {
      l.launch(Ops.COPY, attention, 0f, 0f, probs, t.probsWork);
      dropout.apply(l, t.probsWork, attention, Dropout.probs(index));
      probs = t.probsWork;
    }
    Matmul.of(Ops.ATTENTION_CONTEXT).x(probs, seq).w(2 * h, 3 * h).y(t.context[index], h).size(seq, dh, seq)
        .batch(w.batch, heads, heads * seq * seq, seq * seq, seq * 3 * h, dh, seq * h, dh)
        .launch(l);
    Matmul.of(Ops.DENSE_HIDDEN).x(t.context[index], h).w(outputKernel, h).y(0, h)
        .size(tokens, h, h).bias(outputBias).launch(l);
    l.launch(Ops.SAVE_DENSE, tokens * h, 0f, 0f, 0, t.dBranch);
    dropout.apply(l, t.dBranch, tokens * h, Dropout.attentionOutput(index));
    l.launch(Ops.ADD, tokens * h, 0f, 0f, x, t.dBranch, t.attentionResidual[index]);
    l.launch(Ops.ADD_LAYER_NORM, tokens, eps, 0f, t.attentionResidual[index], -1, t.attentionOutput[index],
        attentionNorm);
    Matmul.of(Ops.DENSE_UP).x(t.attentionOutput[index], h).w(intermediateKernel, in).y(0, in)
        .size(tokens, in, h).bias(intermediateBias).launch(l);
    l.launch(Ops.SAVE_INTERMEDIATE, tokens * in, 0f, 0f, 0, t.intermediate[index]);
    Matmul.activate(l, Ops.ACTIVATE_INTERMEDIATE, 0, in, tokens, in, Activations.code(config.hiddenActivation()));
    if (t.activatedSaved[index] >= 0) {
      l.launch(Ops.SAVE_INTERMEDIATE, tokens * in, 0f, 0f, 0, t.activatedSaved[index]);
    }
    Matmul.of(Ops.DENSE_DOWN).x(0, in).w(ffnOutputKernel, h).y(0, h)
        .size(tokens, h, in).bias(ffnOutputBias).launch(l);
    l.launch(Ops.SAVE_DENSE, tokens * h, 0f, 0f, 0, t.dBranch);
    dropout.apply(l, t.dBranch, tokens * h, Dropout.feedForwardOutput(index));
    l.launch(Ops.ADD, tokens * h, 0f, 0f, t.attentionOutput[index], t.dBranch, t.ffnResidual[index]);
    l.launch(Ops.ADD_LAYER_NORM, tokens, eps, 0f, t.ffnResidual[index], -1, t.layerInput[index + 1], ffnNorm);
  }

  /**
   * Backward from the gradient of this layer's output in {@code t.dX}: writes every parameter
   * gradient of the layer to [gr] and leaves the gradient of the layer's input in {@code t.dX}.
   */
  public void backward(Launcher l, TrainingWorkspace t, Dropout dropout) {
    Workspace w = t.inference;
    int h = config.hiddenDim();
    int heads = config.numHeads();
    int dh = config.headDim();
    int in = config.intermediateDim();
    int seq = w.seq;
    int tokens = w.tokens();
    int b = w.batch;
    float eps = (float) config.layerNormEpsilon();
    int attention = b * heads * seq * seq;

    // output = LN2(ffnResidual): dX2 = gradient of the residual sum
    layerNormBackward(l, t, t.ffnResidual[index], t.dX, t.dX2, ffnNorm, eps, tokens);
    // ffnResidual = attentionOutput + dropout(W2·act(u) + b2)
    l.launch(Ops.COPY, tokens * h, 0f, 0f, t.dX2, t.dBranch);
    dropout.apply(l, t.dBranch, tokens * h, Dropout.feedForwardOutput(index));
    l.launch(Ops.COLUMN_SUMS, h, 0f, 0f, t.dBranch, h, tokens, ffnOutputBias);
    int activated = t.activatedSaved[index];
    if (activated < 0) { // not kept (large batches): recompute act(intermediate)
      activated = t.activated;
      l.launch(Ops.COPY, tokens * in, 0f, 0f, t.intermediate[index], activated);
      Matmul.activate(l, Ops.ACTIVATE, activated, in, tokens, in, Activations.code(config.hiddenActivation()));
    }
    weightGradient(l, t, activated, in, t.dBranch, h, ffnOutputKernel, tokens);
    inputGradient(l, t, t.dBranch, h, ffnOutputKernel, in, h, t.dIntermediate, tokens);
    l.launch(Ops.ACTIVATION_BACKWARD, tokens * in, 0f, 0f, t.intermediate[index], t.dIntermediate,
        t.dIntermediate, Activations.code(config.hiddenActivation()));
    l.launch(Ops.COLUMN_SUMS, in, 0f, 0f, t.dIntermediate, in, tokens, intermediateBias);
    weightGradient(l, t, t.attentionOutput[index], h, t.dIntermediate, in, intermediateKernel, tokens);
    inputGradient(l, t, t.dIntermediate, in, intermediateKernel, h, in, t.dBranch, tokens);
    l.launch(Ops.ADD, tokens * h, 0f, 0f, t.dX2, t.dBranch, t.dX2);
    // attentionOutput = LN1(attentionResidual): dX = gradient of the residual sum (also the input's)
    layerNormBackward(l, t, t.attentionResidual[index], t.dX2, t.dX, attentionNorm, eps, tokens);
    // attentionResidual = input + dropout(context·Wo + bo)
    l.launch(Ops.COPY, tokens * h, 0f, 0f, t.dX, t.dBranch);
    dropout.apply(l, t.dBranch, tokens * h, Dropout.attentionOutput(index));
    l.launch(Ops.COLUMN_SUMS, h, 0f, 0f, t.dBranch, h, tokens, outputBias);
    weightGradient(l, t, t.context[index], h, t.dBranch, h, outputKernel, tokens);
    inputGradient(l, t, t.dBranch, h, outputKernel, h, h, t.dContext, tokens);

    // attention, per (sequence, head); q, k, v are column blocks of t.qkv (row stride 3H)
    int qkv = t.qkv[index];
    int probs = t.probs[index];
    int dropped = probs;
    if (dropout.active()) {
      l.launch(Ops.COPY, attention, 0f, 0f, probs, t.probsWork);
      dropout.apply(l, t.probsWork, attention, Dropout.probs(index));
      dropped = t.probsWork;
    }
    float scale = (float) (1.0 / Math.sqrt(dh));
    // dProbs = dContext_h · V_hᵀ
    Matmul.transpose(l, Ops.TRANSPOSE, qkv + 2 * h, 3 * h, t.transposed, seq, seq, dh, b, heads,
        seq * 3 * h, dh, heads * dh * seq, dh * seq);
    Matmul.of(Ops.MATMUL).x(t.dContext, h).w(t.transposed, seq).y(t.dProbs, seq).size(seq, seq, dh)
        .batch(b, heads, seq * h, dh, heads * dh * seq, dh * seq, heads * seq * seq, seq * seq).launch(l);
    // dV_h = droppedᵀ · dContext_h
    Matmul.transpose(l, Ops.TRANSPOSE, dropped, seq, t.transposed, seq, seq, seq, b, heads,
        heads * seq * seq, seq * seq, heads * seq * seq, seq * seq);
    Matmul.of(Ops.MATMUL).x(t.transposed, seq).w(t.dContext, h).y(t.dQkv + 2 * h, 3 * h).size(seq, dh, seq)
        .batch(b, heads, heads * seq * seq, seq * seq, seq * h, dh, seq * 3 * h, dh).launch(l);
    dropout.apply(l, t.dProbs, attention, Dropout.probs(index));
    l.launch(Ops.SOFTMAX_BACKWARD, b * heads * seq, 0f, 0f, probs, t.dProbs, t.dScores, seq);
    // dQ_h = scale · dScores · K_h
    Matmul.of(Ops.MATMUL).x(t.dScores, seq).w(qkv + h, 3 * h).y(t.dQkv, 3 * h).size(seq, dh, seq)
        .alpha(scale)
        .batch(b, heads, heads * seq * seq, seq * seq, seq * 3 * h, dh, seq * 3 * h, dh).launch(l);
    // dK_h = scale · dScoresᵀ · Q_h
    Matmul.transpose(l, Ops.TRANSPOSE, t.dScores, seq, t.transposed, seq, seq, seq, b, heads,
        heads * seq * seq, seq * seq, heads * seq * seq, seq * seq);
    Matmul.of(Ops.MATMUL).x(t.transposed, seq).w(qkv, 3 * h).y(t.dQkv + h, 3 * h).size(seq, dh, seq)
        .alpha(scale)
        .batch(b, heads, heads * seq * seq, seq * seq, seq * 3 * h, dh, seq * 3 * h, dh).launch(l);

    // qkv = input · [Wq Wk Wv] + [bq bk bv]
    l.launch(Ops.COLUMN_SUMS, 3 * h, 0f, 0f, t.dQkv, 3 * h, tokens, qkvBias);
    int x = t.layerInput[index];
    // query, key and value kernels: (H, H) each, adjacent; X read in place by the transposed-X block
    Matmul.of(Ops.MATMUL_TO_GRADIENTS).x(x, h).w(t.dQkv, 3 * h).y(qkvKernel, h)
        .size(h, h, tokens).batch(1, 3, 0, 0, 0, h, 0, h * h).launch(l);
    Matmul.transpose(l, Ops.TRANSPOSE_PARAMETERS, qkvKernel, h, t.weightsT, h, h, h, 1, 3, 0, h * h, 0, h * h);
    Matmul.transpose(l, Ops.TRANSPOSE, t.dQkv, 3 * h, t.transposed, tokens, tokens, 3 * h, 1, 1, 0, 0, 0, 0);
    Matmul.of(Ops.MATMUL_TRANSPOSED_X).x(t.transposed, tokens).w(t.weightsT, h).y(t.dBranch, h)
        .size(tokens, h, 3 * h).launch(l);
    l.launch(Ops.ADD, tokens * h, 0f, 0f, t.dX, t.dBranch, t.dX);
  }

  /** LayerNorm backward over {@code rows} rows plus its γ, β gradients. */
  static void layerNormBackward(Launcher l, TrainingWorkspace t, int x, int dy, int dx, int gamma, float eps,
      int rows) {
    l.launch(Ops.LAYER_NORM_BACKWARD, rows, eps, 0f, x, dy, dx, gamma, t.stats);
    l.launch(Ops.LAYER_NORM_PARAMETER_GRADIENTS, t.hidden, 0f, 0f, x, dy, 0, gamma, t.stats, rows);
  }

  /**
   * dW (K×N) = Xᵀ·dY for X (rows×K) and dY (rows×N): written to [gr] at {@code w}, X read in place
   * (the product's transposed-X block; no transposed copy).
   */
  static void weightGradient(Launcher l, TrainingWorkspace t, int x, int k, int dy, int n, int w, int rows) {
    Matmul.of(Ops.MATMUL_TO_GRADIENTS).x(x, k).w(dy, n).y(w, n).size(k, n, rows).launch(l);
  }

  /**
   * dX (rows×K) = dY·Wᵀ for dY (rows×N) and W (K×N) in [p] at {@code w}: with Wᵀ and dYᵀ copied
   * out, as the transposed-X product (dYᵀ)ᵀ·Wᵀ, about twice as fast on PoCL as the row-major one.
   */
  static void inputGradient(Launcher l, TrainingWorkspace t, int dy, int n, int w, int k, int ldw, int dx,
      int rows) {
    Matmul.transpose(l, Ops.TRANSPOSE_PARAMETERS, w, ldw, t.weightsT, k, k, n, 1, 1, 0, 0, 0, 0);
    Matmul.transpose(l, Ops.TRANSPOSE, dy, n, t.transposed, rows, rows, n, 1, 1, 0, 0, 0, 0);
    Matmul.of(Ops.MATMUL_TRANSPOSED_X).x(t.transposed, rows).w(t.weightsT, k).y(dx, k).size(rows, k, n).launch(l);
  }
}
