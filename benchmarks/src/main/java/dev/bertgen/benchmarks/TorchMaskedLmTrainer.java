package dev.bertgen.benchmarks;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.AdamOptions;
import org.bytedeco.pytorch.CrossEntropyLossOptions;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.kNone;

/**
 * The PyTorch peer of the masked-LM training benchmark: keras-hub's {@code BertMaskedLM} (post-LayerNorm BERT
 * with a tied-embedding masked-LM head) written with libtorch's functional ops through JavaCPP's bindings, trained
 * on the CPU with libtorch's autograd and its Adam optimizer.
 *
 * <p>Parameters are plain leaf tensors with {@code requires_grad}; every op used (embedding, linear, matmul,
 * softmax, dropout, layer_norm, gelu, gather, cross_entropy) is a differentiable ATen op, so {@code backward()}
 * is libtorch's own. Intra-op (and, when still possible, inter-op) thread counts are process-wide libtorch
 * settings, so only one trainer should be in use at a time.
 */
final class TorchMaskedLmTrainer implements AutoCloseable {

  private static final double DROPOUT = 0.1;
  private static final double ENCODER_LAYER_NORM_EPSILON = 1e-12;
  private static final double HEAD_LAYER_NORM_EPSILON = 1e-5;
  private static final double INIT_STDDEV = 0.02;
  /** erf(2/√2) = 2·Φ(2) − 1: the uniform range whose erfinv image is (−2, 2) standard deviations. */
  private static final double TRUNCATION_CDF_BOUND = 0.9544997361036416;
  /** Additive attention-mask value for padding keys (what Keras' masked softmax uses for float32). */
  private static final double MASK_NEGATIVE = -1e9;

  private final int numHeads;
  private final int hiddenDim;
  private final int maxSequenceLength;
  private final int threads;

  /** Native objects this trainer owns, released in reverse order by {@link #close()}. */
  private final List<Pointer> owned = new ArrayList<>();
  private final List<Tensor> parameters = new ArrayList<>();
  private final Tensor tokenEmbedding;
  private final Tensor positionEmbedding;
  private final Tensor segmentEmbedding;
  private final Tensor embeddingNormGamma;
  private final Tensor embeddingNormBeta;
  private final EncoderLayer[] layers;
  private final Tensor headKernel;
  private final Tensor headBias;
  private final Tensor headNormGamma;
  private final Tensor headNormBeta;
  private final Tensor outputBias;

  private final Adam optimizer;
  private final CrossEntropyLossOptions perTokenLoss;
  private final TensorOptions longOptions;
  private final TensorOptions floatOptions;
  private boolean closed;

  /** The weights of one post-LayerNorm transformer encoder layer. */
  private record EncoderLayer(
      Tensor queryKernel, Tensor queryBias, Tensor keyKernel, Tensor keyBias, Tensor valueKernel, Tensor valueBias,
      Tensor attentionOutputKernel, Tensor attentionOutputBias, Tensor attentionNormGamma, Tensor attentionNormBeta,
      Tensor intermediateKernel, Tensor intermediateBias, Tensor outputKernel, Tensor outputBias,
      Tensor outputNormGamma, Tensor outputNormBeta) {}

  /** keras-hub's BertMaskedLM architecture in PyTorch, weights random (truncated normal 0.02 like keras-hub), Adam(lr, β1 0.9, β2 0.999, ε 1e-7). */
  @SuppressWarnings("try") // the pointer scope is used implicitly, by the native objects created inside it
  TorchMaskedLmTrainer(int vocabularySize, int numLayers, int numHeads, int hiddenDim, int intermediateDim,
      int maxSequenceLength, double learningRate, long seed, int threads) {
    if (hiddenDim % numHeads != 0) {
      throw new IllegalArgumentException("hiddenDim " + hiddenDim + " is not a multiple of numHeads " + numHeads);
    }
    this.numHeads = numHeads;
    this.hiddenDim = hiddenDim;
    this.maxSequenceLength = maxSequenceLength;
    this.threads = threads;
    torch.set_num_threads(threads);
    try {
      torch.set_num_interop_threads(threads);
    } catch (RuntimeException alreadyStarted) {
      // libtorch allows this only before its inter-op pool has started; intra-op threads are what the step uses.
    }
    torch.manual_seed(seed);

    // Temporaries of the construction are freed with this scope; what the trainer keeps is retained by own().
    try (PointerScope scope = new PointerScope()) {
      longOptions = own(new TensorOptions(torch.ScalarType.Long));
      floatOptions = own(new TensorOptions(torch.ScalarType.Float));
      tokenEmbedding = truncatedNormal(vocabularySize, hiddenDim);
      positionEmbedding = truncatedNormal(maxSequenceLength, hiddenDim);
      segmentEmbedding = truncatedNormal(2, hiddenDim);
      embeddingNormGamma = ones(hiddenDim);
      embeddingNormBeta = zeros(hiddenDim);
      layers = new EncoderLayer[numLayers];
      for (int i = 0; i < numLayers; i++) {
        layers[i] = new EncoderLayer(
            truncatedNormal(hiddenDim, hiddenDim), zeros(hiddenDim),
            truncatedNormal(hiddenDim, hiddenDim), zeros(hiddenDim),
            truncatedNormal(hiddenDim, hiddenDim), zeros(hiddenDim),
            truncatedNormal(hiddenDim, hiddenDim), zeros(hiddenDim),
            ones(hiddenDim), zeros(hiddenDim),
            truncatedNormal(intermediateDim, hiddenDim), zeros(intermediateDim),
            truncatedNormal(hiddenDim, intermediateDim), zeros(hiddenDim),
            ones(hiddenDim), zeros(hiddenDim));
      }
      headKernel = truncatedNormal(hiddenDim, hiddenDim);
      headBias = zeros(hiddenDim);
      headNormGamma = ones(hiddenDim);
      headNormBeta = zeros(hiddenDim);
      outputBias = zeros(vocabularySize);

      TensorVector parameterVector = new TensorVector(parameters.toArray(new Tensor[0]));
      // libtorch's Adam defaults already are β1 0.9, β2 0.999 (as Keras'); only ε differs (1e-8 vs Keras' 1e-7).
      AdamOptions adamOptions = new AdamOptions(learningRate);
      adamOptions.eps().put(1e-7);
      optimizer = own(new Adam(parameterVector, adamOptions));
      perTokenLoss = own(new CrossEntropyLossOptions());
      perTokenLoss.reduction().put(new kNone());
    }
  }

  /**
   * One training step: forward, loss, backward, optimizer step. Inputs are (batch, seq) ints, maskPositions/labels
   * (batch, slots) ints, weights (batch, slots) floats. Returns the loss value (as double) after forcing the computation to finish.
   */
  @SuppressWarnings("try") // the pointer scope is used implicitly, by the native objects created inside it
  double step(int[][] tokenIds, int[][] segmentIds, int[][] paddingMask, int[][] maskPositions, int[][] labels,
      float[][] weights) {
    if (closed) {
      throw new IllegalStateException("trainer is closed");
    }
    int batch = tokenIds.length;
    int seq = tokenIds[0].length;
    int slots = maskPositions[0].length;
    if (seq > maxSequenceLength) {
      throw new IllegalArgumentException("sequence length " + seq + " exceeds " + maxSequenceLength);
    }
    // Every tensor the step creates (activations, the autograd graph's handles, inputs) is freed when the scope closes.
    try (PointerScope scope = new PointerScope()) {
      Tensor tokens = longTensor(tokenIds);
      Tensor segments = longTensor(segmentIds);
      Tensor padding = floatTensor(paddingMask);
      Tensor positions = longTensor(maskPositions);
      Tensor targets = longTensor(labels).reshape(-1);
      Tensor sampleWeights = floatTensor(weights).reshape(-1);

      // (batch, 1, 1, seq): 0 for real keys, a large negative number for padding keys.
      Tensor attentionBias = padding.neg().add(new Scalar(1.0)).mul(new Scalar(MASK_NEGATIVE))
          .view(batch, 1, 1, seq);

      Tensor x = torch.embedding(tokenEmbedding, tokens)
          .add(positionEmbedding.narrow(0, 0, seq))
          .add(torch.embedding(segmentEmbedding, segments));
      x = dropout(layerNorm(x, embeddingNormGamma, embeddingNormBeta, ENCODER_LAYER_NORM_EPSILON));
      for (EncoderLayer layer : layers) {
        x = encoderLayer(layer, x, attentionBias, batch, seq);
      }

      // Masked-LM head: gather (batch, slots, hidden), dense + exact GELU + LayerNorm, tied-embedding logits.
      Tensor index = positions.unsqueeze(-1).expand(batch, slots, hiddenDim);
      Tensor h = torch.gather(x, 1, index);
      h = torch.gelu(linear(h, headKernel, headBias));
      h = layerNorm(h, headNormGamma, headNormBeta, HEAD_LAYER_NORM_EPSILON);
      Tensor logits = torch.matmul(h, tokenEmbedding.t()).add(outputBias);

      // keras-hub's loss: sum of weight * cross-entropy over (batch, slots), divided by batch * slots.
      Tensor perToken = torch.cross_entropy(logits.reshape(-1, logits.size(-1)), targets, perTokenLoss);
      Tensor loss = perToken.mul(sampleWeights).sum().div(new Scalar((double) batch * slots));

      optimizer.zero_grad();
      loss.backward();
      optimizer.step();
      return loss.item_double();
    }
  }

  /** e.g. "PyTorch 2.7.1 (libtorch via JavaCPP 1.5.12), CPU, 2 threads" */
  String description() {
    return "PyTorch " + torch.TORCH_VERSION + " (libtorch via JavaCPP " + Loader.class.getPackage().getImplementationVersion() + "), CPU, "
        + threads + (threads == 1 ? " thread" : " threads");
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (int i = owned.size() - 1; i >= 0; i--) {
      owned.get(i).close();
    }
    owned.clear();
    parameters.clear();
  }

  /** Self-attention block then feed-forward block, each followed by dropout, residual add and LayerNorm. */
  private Tensor encoderLayer(EncoderLayer w, Tensor x, Tensor attentionBias, int batch, int seq) {
    int headDim = hiddenDim / numHeads;
    Tensor q = splitHeads(linear(x, w.queryKernel(), w.queryBias()), batch, seq, headDim)
        .mul(new Scalar(1.0 / Math.sqrt(headDim)));
    Tensor k = splitHeads(linear(x, w.keyKernel(), w.keyBias()), batch, seq, headDim);
    Tensor v = splitHeads(linear(x, w.valueKernel(), w.valueBias()), batch, seq, headDim);
    Tensor scores = torch.matmul(q, k.transpose(-2, -1)).add(attentionBias);
    Tensor probabilities = dropout(torch.softmax(scores, -1));
    Tensor context = torch.matmul(probabilities, v).transpose(1, 2).reshape(batch, seq, hiddenDim);
    Tensor attention = dropout(linear(context, w.attentionOutputKernel(), w.attentionOutputBias()));
    x = layerNorm(x.add(attention), w.attentionNormGamma(), w.attentionNormBeta(), ENCODER_LAYER_NORM_EPSILON);

    Tensor intermediate = torch.gelu(linear(x, w.intermediateKernel(), w.intermediateBias()), "tanh");
    Tensor output = dropout(linear(intermediate, w.outputKernel(), w.outputBias()));
    return layerNorm(x.add(output), w.outputNormGamma(), w.outputNormBeta(), ENCODER_LAYER_NORM_EPSILON);
  }

  /** (batch, seq, hidden) to (batch, heads, seq, headDim). */
  private Tensor splitHeads(Tensor x, int batch, int seq, int headDim) {
    return x.view(batch, seq, numHeads, headDim).transpose(1, 2);
  }

  private static Tensor linear(Tensor x, Tensor kernel, Tensor bias) {
    return torch.linear(x, kernel, new TensorOptional(bias));
  }

  private Tensor layerNorm(Tensor x, Tensor gamma, Tensor beta, double epsilon) {
    return torch.layer_norm(x, new long[] {hiddenDim}, new TensorOptional(gamma), new TensorOptional(beta),
        epsilon, false);
  }

  private static Tensor dropout(Tensor x) {
    return torch.dropout(x, DROPOUT, true);
  }

  /**
   * A trainable tensor drawn from N(0, 0.02²) truncated at two standard deviations (Keras' TruncatedNormal), by
   * inverse-CDF sampling: uniform over the truncated CDF range, mapped through erfinv.
   */
  private Tensor truncatedNormal(long... shape) {
    Tensor t = torch.empty(shape, floatOptions, new MemoryFormatOptional());
    t.uniform_(-TRUNCATION_CDF_BOUND, TRUNCATION_CDF_BOUND, new GeneratorOptional());
    t.erfinv_();
    t.mul_(new Scalar(INIT_STDDEV * Math.sqrt(2.0)));
    t.clamp_(new ScalarOptional(new Scalar(-2 * INIT_STDDEV)), new ScalarOptional(new Scalar(2 * INIT_STDDEV)));
    return parameter(t);
  }

  private Tensor zeros(long size) {
    Tensor t = torch.empty(new long[] {size}, floatOptions, new MemoryFormatOptional());
    t.zero_();
    return parameter(t);
  }

  private Tensor ones(long size) {
    Tensor t = torch.empty(new long[] {size}, floatOptions, new MemoryFormatOptional());
    t.fill_(new Scalar(1.0f));
    return parameter(t);
  }

  private Tensor parameter(Tensor t) {
    t.requires_grad_(true);
    parameters.add(own(t));
    return t;
  }

  /** Copies a (rows, cols) int array into a new int64 tensor. */
  private Tensor longTensor(int[][] values) {
    int rows = values.length;
    int cols = values[0].length;
    Tensor t = torch.empty(new long[] {rows, cols}, longOptions, new MemoryFormatOptional());
    LongPointer data = t.data_ptr_long();
    long[] row = new long[cols];
    for (int r = 0; r < rows; r++) {
      int[] source = values[r];
      for (int c = 0; c < cols; c++) {
        row[c] = source[c];
      }
      data.position((long) r * cols).put(row, 0, cols);
    }
    return t;
  }

  /** Copies a (rows, cols) int array into a new float32 tensor. */
  private Tensor floatTensor(int[][] values) {
    float[][] floats = new float[values.length][];
    for (int r = 0; r < values.length; r++) {
      floats[r] = new float[values[r].length];
      for (int c = 0; c < floats[r].length; c++) {
        floats[r][c] = values[r][c];
      }
    }
    return floatTensor(floats);
  }

  /** Copies a (rows, cols) float array into a new float32 tensor. */
  private Tensor floatTensor(float[][] values) {
    int rows = values.length;
    int cols = values[0].length;
    Tensor t = torch.empty(new long[] {rows, cols}, floatOptions, new MemoryFormatOptional());
    FloatPointer data = t.data_ptr_float();
    for (int r = 0; r < rows; r++) {
      data.position((long) r * cols).put(values[r], 0, cols);
    }
    return t;
  }

  /**
   * Keeps a native object alive beyond the constructor's pointer scope (and any scope of the caller) until
   * {@link #close()}.
   */
  private <P extends Pointer> P own(P pointer) {
    pointer.retainReference();
    owned.add(pointer);
    return pointer;
  }
}
