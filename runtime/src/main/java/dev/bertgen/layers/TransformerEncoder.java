package dev.bertgen.layers;

import dev.bertgen.compute.Arena;
import dev.bertgen.compute.DeviceOps;
import dev.bertgen.compute.Ops;
import dev.bertgen.compute.Slices;
import dev.bertgen.compute.Tensor;
import dev.bertgen.spec.BackboneConfig;

/**
 * keras-hub's post-norm {@code TransformerEncoder}: {@code x = LN1(x + attention(x))},
 * {@code x = LN2(x + W2·act(W1·x + b1) + b2)}. Query, key and value come from one product (their
 * kernels are adjacent in the arena); attention is scores = q·kᵀ/√d, keras-hub's masked softmax, then
 * probabilities·v, as batched products over (sequence, head).
 */
public final class TransformerEncoder {
  private final int index;
  private final int hidden;
  private final int heads;
  private final int headDim;
  private final float epsilon;
  private final int activation;
  /** The query kernel; the key and value kernels follow it, (H, H) each. */
  private final Tensor qkvKernel;
  /** Query, key and value biases side by side (3H). */
  private final Tensor qkvBias;
  private final Tensor outputKernel;
  private final Tensor outputBias;
  private final Tensor attentionNorm;
  private final Tensor intermediateKernel;
  private final Tensor intermediateBias;
  private final Tensor ffnOutputKernel;
  private final Tensor ffnOutputBias;
  private final Tensor ffnNorm;

  public TransformerEncoder(VariableLayout layout, int index) {
    BackboneConfig config = layout.config();
    this.index = index;
    this.hidden = config.hiddenDim();
    this.heads = config.numHeads();
    this.headDim = config.headDim();
    this.epsilon = (float) config.layerNormEpsilon();
    this.activation = Activations.code(config.hiddenActivation());
    String p = VariableLayout.layerPrefix(index);
    int h = hidden;
    int in = config.intermediateDim();
    this.qkvKernel = layout.parameter(p + "self_attention_layer/query/kernel", h, h);
    int bias = layout.get(p + "self_attention_layer/query/bias").offset();
    this.qkvBias = Tensor.of(p + "self_attention_layer/{query,key,value}/bias", Arena.PARAMETERS, bias, 1, 3 * h);
    requireAt(layout, p + "self_attention_layer/key/kernel", qkvKernel.offset() + h * h); // column groups
    requireAt(layout, p + "self_attention_layer/value/kernel", qkvKernel.offset() + 2 * h * h);
    requireAt(layout, p + "self_attention_layer/key/bias", bias + h);
    requireAt(layout, p + "self_attention_layer/value/bias", bias + 2 * h);
    this.outputKernel = layout.parameter(p + "self_attention_layer/attention_output/kernel", h, h);
    this.outputBias = layout.parameter(p + "self_attention_layer/attention_output/bias", 1, h);
    this.attentionNorm = layout.parameter(p + "self_attention_layer_norm/gamma", 1, h);
    requireAt(layout, p + "self_attention_layer_norm/beta", attentionNorm.offset() + h);
    this.intermediateKernel = layout.parameter(p + "feedforward_intermediate_dense/kernel", h, in);
    this.intermediateBias = layout.parameter(p + "feedforward_intermediate_dense/bias", 1, in);
    this.ffnOutputKernel = layout.parameter(p + "feedforward_output_dense/kernel", in, h);
    this.ffnOutputBias = layout.parameter(p + "feedforward_output_dense/bias", 1, h);
    this.ffnNorm = layout.parameter(p + "feedforward_layer_norm/gamma", 1, h);
    requireAt(layout, p + "feedforward_layer_norm/beta", ffnNorm.offset() + h);
  }

  private static void requireAt(VariableLayout layout, String path, int offset) {
    if (layout.get(path).offset() != offset) {
      throw new IllegalStateException(path + " is not where the fused kernels expect it");
    }
  }

  /**
   * The layer's forward pass. At inference ({@code keep} null) it transforms the workspace's hidden
   * states in place. In training it reads {@code layerInput(index)}, writes {@code layerInput(index + 1)},
   * applies dropout and keeps what the backward pass needs: query/key/value, attention probabilities
   * (before dropout), context, both residual sums and the feed-forward pre-activation.
   */
  public void forward(DeviceOps ops, Workspace w, KeepPlan keep) {
    TrainingWorkspace t = keep == null ? null : keep.workspace();
    int b = w.batch;
    int seq = w.seq;
    Tensor x = t == null ? w.hiddenStates() : t.layerInput(index);

    // query, key and value at once: qkv = x·[Wq Wk Wv] + [bq bk bv]
    Tensor qkv = w.qkv();
    ops.denseQkv(x, qkvKernel, qkvBias, qkv);
    if (t != null) {
      ops.copy(qkv, t.qkv(index));
    }
    // per (sequence, head): scores = (q / √headDim)·kᵀ, keras-hub's masked softmax
    Slices keysT = w.keysT().stacked(b, heads);
    ops.transpose(keys(qkv, b, seq), keysT);
    Tensor probs = t == null ? w.probs() : t.probs(index);
    ops.attentionScores(queries(qkv, b, seq), keysT, probs.stacked(b, heads),
        (float) (1.0 / Math.sqrt(headDim)));
    ops.maskedSoftmax(probs, w.mask());
    Tensor dropped = probs;
    if (t != null && keep.dropout().active()) {
      dropped = t.probsWork();
      ops.copy(probs, dropped);
      keep.dropout().apply(ops, dropped, Dropout.probs(index));
    }
    // context = probabilities·v, written head by head into (seq, H) rows
    Tensor context = t == null ? w.context() : t.context(index);
    ops.attentionContext(dropped.stacked(b, heads), values(qkv, b, seq), context.heads(b, heads, seq));

    // x = LN1(x + dropout(context·Wo + bo))
    Tensor attention = w.dense(w.tokens());
    ops.denseHidden(context, outputKernel, outputBias, attention, Ops.ACT_NONE);
    Tensor attentionOut = t == null ? w.hiddenStates() : t.attentionOutput(index);
    addAndNormalize(ops, keep, x, attention, t == null ? null : t.attentionResidual(index), attentionNorm,
        attentionOut, Dropout.attentionOutput(index));

    // x = LN2(x + dropout(W2·act(W1·x + b1) + b2))
    Tensor up = w.intermediate();
    ops.denseUp(attentionOut, intermediateKernel, intermediateBias, up, Ops.ACT_NONE);
    if (t != null) {
      ops.copy(up, t.intermediate(index));
    }
    ops.activate(up, activation);
    if (t != null && t.activatedSaved(index) != null) {
      ops.copy(up, t.activatedSaved(index));
    }
    Tensor down = w.dense(w.tokens());
    ops.denseDown(up, ffnOutputKernel, ffnOutputBias, down);
    Tensor out = t == null ? w.hiddenStates() : t.layerInput(index + 1);
    addAndNormalize(ops, keep, attentionOut, down, t == null ? null : t.ffnResidual(index), ffnNorm, out,
        Dropout.feedForwardOutput(index));
  }

  /**
   * {@code y = LN(x + dropout(branch))}: one fused launch at inference; in training the dropped-out
   * branch and the sum ({@code residual}, kept) are written first.
   */
  private void addAndNormalize(DeviceOps ops, KeepPlan keep, Tensor x, Tensor branch, Tensor residual,
      Tensor gamma, Tensor y, int dropoutStream) {
    if (keep == null) {
      ops.layerNorm(x, branch, y, gamma, epsilon);
      return;
    }
    Tensor dropped = keep.workspace().dBranch();
    ops.copy(branch, dropped);
    keep.dropout().apply(ops, dropped, dropoutStream);
    ops.add(x, dropped, residual);
    ops.layerNorm(residual, null, y, gamma, epsilon);
  }

  /** The queries per (sequence, head) of a (tokens, 3H) query/key/value matrix. */
  private Slices queries(Tensor qkv, int batch, int seq) {
    return qkv.columns(0, hidden).heads(batch, heads, seq);
  }

  private Slices keys(Tensor qkv, int batch, int seq) {
    return qkv.columns(hidden, hidden).heads(batch, heads, seq);
  }

  private Slices values(Tensor qkv, int batch, int seq) {
    return qkv.columns(2 * hidden, hidden).heads(batch, heads, seq);
  }

  /**
   * Backward from the gradient of this layer's output in {@code t.dX()}: writes every parameter
   * gradient of the layer to [gr] and leaves the gradient of the layer's input in {@code t.dX()}.
   */
  public void backward(DeviceOps ops, TrainingWorkspace t, Dropout dropout) {
    Workspace w = t.inference;
    int h = hidden;
    int seq = w.seq;
    int tokens = w.tokens();
    int b = w.batch;
    Tensor dOut = t.dX();
    Tensor dResidual = t.dX2();
    Tensor dBranch = t.dBranch();
    Tensor stats = t.stats(tokens);

    // output = LN2(ffnResidual): dResidual = gradient of the residual sum
    layerNormBackward(ops, t.ffnResidual(index), dOut, dResidual, ffnNorm, stats, epsilon);
    // ffnResidual = attentionOutput + dropout(W2·act(u) + b2)
    ops.copy(dResidual, dBranch);
    dropout.apply(ops, dBranch, Dropout.feedForwardOutput(index));
    ops.columnSums(dBranch, ffnOutputBias.gradient());
    Tensor activated = t.activatedSaved(index);
    if (activated == null) { // not kept (large batches): recompute act(intermediate)
      activated = t.activated();
      ops.copy(t.intermediate(index), activated);
      ops.activate(activated, activation);
    }
    weightGradient(ops, activated, dBranch, ffnOutputKernel);
    Tensor dIntermediate = t.dIntermediate();
    inputGradient(ops, t, dBranch, ffnOutputKernel, dIntermediate);
    ops.activationBackward(t.intermediate(index), dIntermediate, dIntermediate, activation);
    ops.columnSums(dIntermediate, intermediateBias.gradient());
    weightGradient(ops, t.attentionOutput(index), dIntermediate, intermediateKernel);
    inputGradient(ops, t, dIntermediate, intermediateKernel, dBranch);
    ops.add(dResidual, dBranch, dResidual);
    // attentionOutput = LN1(attentionResidual): dOut = gradient of the residual sum (also the input's)
    layerNormBackward(ops, t.attentionResidual(index), dResidual, dOut, attentionNorm, stats, epsilon);
    // attentionResidual = input + dropout(context·Wo + bo)
    ops.copy(dOut, dBranch);
    dropout.apply(ops, dBranch, Dropout.attentionOutput(index));
    ops.columnSums(dBranch, outputBias.gradient());
    weightGradient(ops, t.context(index), dBranch, outputKernel);
    Tensor dContext = t.dContext();
    inputGradient(ops, t, dBranch, outputKernel, dContext);

    // attention, per (sequence, head); q, k, v are column blocks of the kept qkv (row stride 3H)
    Tensor qkv = t.qkv(index);
    Tensor dQkv = t.dQkv();
    Tensor probs = t.probs(index);
    Tensor dropped = probs;
    if (dropout.active()) {
      dropped = t.probsWork();
      ops.copy(probs, dropped);
      dropout.apply(ops, dropped, Dropout.probs(index));
    }
    float scale = (float) (1.0 / Math.sqrt(headDim));
    Slices dContextHeads = dContext.heads(b, heads, seq);
    // dProbs = dContext_h · V_hᵀ
    Slices valuesT = t.transposed(b * h, seq).stacked(b, heads);
    ops.transpose(values(qkv, b, seq), valuesT);
    ops.matmul(dContextHeads, valuesT, t.dProbs().stacked(b, heads), 1f);
    // dV_h = droppedᵀ · dContext_h
    Slices droppedT = t.transposed(b * heads * seq, seq).stacked(b, heads);
    ops.transpose(dropped.stacked(b, heads), droppedT);
    ops.matmul(droppedT, dContextHeads, values(dQkv, b, seq), 1f);
    dropout.apply(ops, t.dProbs(), Dropout.probs(index));
    ops.softmaxBackward(probs, t.dProbs(), t.dScores());
    // dQ_h = scale · dScores · K_h
    Slices dScores = t.dScores().stacked(b, heads);
    ops.matmul(dScores, keys(qkv, b, seq), queries(dQkv, b, seq), scale);
    // dK_h = scale · dScoresᵀ · Q_h
    Slices dScoresT = t.transposed(b * heads * seq, seq).stacked(b, heads);
    ops.transpose(dScores, dScoresT);
    ops.matmul(dScoresT, queries(qkv, b, seq), keys(dQkv, b, seq), scale);

    // qkv = input · [Wq Wk Wv] + [bq bk bv]
    ops.columnSums(dQkv, qkvBias.gradient());
    Tensor x = t.layerInput(index);
    // the three (H, H) kernels' gradients at once: input read in place, one column block of dQkv each
    ops.weightGradient(x.batch(1, 3, 0, 0), dQkv.columns(0, h).batch(1, 3, 0, h),
        qkvKernel.gradient().batch(1, 3, 0, h * h));
    // dInput = dQkv·[Wq Wk Wv]ᵀ, as the transposed-X product (dQkvᵀ)ᵀ·[Wqᵀ; Wkᵀ; Wvᵀ]
    Tensor kernelsT = t.weightsT(3 * h, h);
    ops.transpose(qkvKernel.batch(1, 3, 0, h * h), kernelsT.firstRows(h).batch(1, 3, 0, h * h));
    Tensor dQkvT = t.transposed(3 * h, tokens);
    ops.transpose(dQkv.single(), dQkvT.single());
    ops.transposedXProduct(dQkvT.single(), kernelsT.single(), dBranch.single());
    ops.add(dOut, dBranch, dOut);
  }

  /** LayerNorm backward of {@code y = LN(x)} over x's rows plus its γ, β gradients. */
  static void layerNormBackward(DeviceOps ops, Tensor x, Tensor dy, Tensor dx, Tensor gamma, Tensor stats,
      float epsilon) {
    ops.layerNormBackward(x, dy, dx, gamma, stats, epsilon);
    ops.layerNormParameterGradients(x, dy, stats, gamma.gradient());
  }

  /**
   * dW (K×N) = Xᵀ·dY for X (rows×K) and dY (rows×N), into W's gradient; X read in place (the
   * product's transposed-X block; no transposed copy).
   */
  static void weightGradient(DeviceOps ops, Tensor x, Tensor dy, Tensor w) {
    ops.weightGradient(x.single(), dy.single(), w.gradient().single());
  }

  /**
   * dX (rows×K) = dY·Wᵀ for dY (rows×N) and W (K×N) in [p]: with Wᵀ and dYᵀ copied out, as the
   * transposed-X product (dYᵀ)ᵀ·Wᵀ, faster on PoCL than the row-major one (contiguous reads).
   */
  static void inputGradient(DeviceOps ops, TrainingWorkspace t, Tensor dy, Tensor w, Tensor dx) {
    Tensor wT = t.weightsT(w.cols(), w.rows());
    Tensor dyT = t.transposed(dy.cols(), dy.rows());
    ops.transpose(w.single(), wT.single());
    ops.transpose(dy.single(), dyT.single());
    ops.transposedXProduct(dyT.single(), wT.single(), dx.single());
  }
}
