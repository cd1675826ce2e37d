package dev.bertgen.models;

import dev.bertgen.compute.BertKernels;
import dev.bertgen.compute.ComputeDevice;
import dev.bertgen.compute.DeviceKind;
import dev.bertgen.compute.GenericBertKernels;
import dev.bertgen.compute.Devices;
import dev.bertgen.compute.KernelFactory;
import dev.bertgen.compute.Launcher;
import dev.bertgen.compute.Ops;
import dev.bertgen.layers.Embeddings;
import dev.bertgen.layers.MaskedLMHead;
import dev.bertgen.layers.ModelWeights;
import dev.bertgen.layers.Pooler;
import dev.bertgen.layers.TransformerEncoder;
import dev.bertgen.layers.Workspace;
import dev.bertgen.spec.BackboneConfig;

/**
 * Runs a model's layers on its device: validates and uploads the inputs, launches the layers'
 * kernels, downloads only the outputs asked for. One per model; created on first use.
 */
final class ModelRunner implements AutoCloseable {
  private final BackboneConfig config;
  private final ModelWeights weights;
  private final Launcher launcher;
  private final Embeddings embeddings;
  private final TransformerEncoder[] encoders;
  private final Pooler pooler;
  private final MaskedLMHead head;
  /** The activation arena the cached transposed embedding was written to, if any. */
  private float[] preparedArena;

  ModelRunner(BackboneConfig config, ModelWeights weights, KernelFactory kernels, ComputeDevice device) {
    this.config = config;
    this.weights = weights;
    // Java threads run the generic class: a specialized run() inlines large products and is too big
    // for the JIT, and Aparapi calls run() once per work-item. Same helpers, same results.
    BertKernels kernel = device.kind() == DeviceKind.JAVA ? new GenericBertKernels(config) : kernels.create(config);
    this.launcher = new Launcher(kernel, device, weights.arena());
    this.embeddings = new Embeddings(weights.layout());
    this.encoders = new TransformerEncoder[config.numLayers()];
    for (int i = 0; i < encoders.length; i++) {
      encoders[i] = new TransformerEncoder(weights.layout(), i);
    }
    this.pooler = new Pooler(weights.layout());
    this.head = weights.layout().hasMaskedLmHead() ? new MaskedLMHead(weights.layout()) : null;
  }

  static ComputeDevice defaultDevice() {
    return Devices.fromEnvironment();
  }

  ComputeDevice device() {
    return launcher.device();
  }

  /** Uploads the parameters again after the host copy changed. */
  synchronized void parametersChanged() {
    launcher.putParameters();
    preparedArena = null;
  }

  synchronized BackboneOutputs backbone(int[][] tokenIds, int[][] segmentIds, int[][] paddingMask) {
    Workspace w = encode(tokenIds, segmentIds, paddingMask, null);
    pooler.forward(launcher, w);
    int h = config.hiddenDim();
    int seqSize = w.tokens() * h;
    launcher.out(seqSize + w.batch * h);
    launcher.launch(Ops.COPY_OUT, seqSize, 0f, 0f, w.hiddenStates, 0);
    launcher.launch(Ops.COPY_OUT, w.batch * h, 0f, 0f, w.pooled, seqSize);
    float[] out = launcher.getOut();
    float[][][] seq = new float[w.batch][w.seq][h];
    float[][] pooled = new float[w.batch][h];
    for (int b = 0; b < w.batch; b++) {
      for (int s = 0; s < w.seq; s++) {
        System.arraycopy(out, (b * w.seq + s) * h, seq[b][s], 0, h);
      }
      System.arraycopy(out, seqSize + b * h, pooled[b], 0, h);
    }
    return new BackboneOutputs(seq, pooled);
  }

  synchronized float[][][] maskedLmLogits(MaskedLMInputs x) {
    if (head == null) {
      throw new IllegalStateException("this model has no masked-LM head");
    }
    Workspace w = encode(x.tokenIds(), x.segmentIds(), x.paddingMask(), x.maskPositions());
    float[] arena = launcher.activations(w.size);
    if (arena != preparedArena) {
      head.prepare(launcher, w);
      preparedArena = arena;
    }
    head.forward(launcher, w);
    int v = config.vocabularySize();
    int n = w.batch * w.slots * v;
    launcher.out(n);
    launcher.launch(Ops.COPY_OUT_LOGITS, n, 0f, 0f, 0, 0);
    float[] out = launcher.getOut();
    float[][][] logits = new float[w.batch][w.slots][v];
    for (int b = 0; b < w.batch; b++) {
      for (int j = 0; j < w.slots; j++) {
        System.arraycopy(out, (b * w.slots + j) * v, logits[b][j], 0, v);
      }
    }
    return logits;
  }

  /** Validates and uploads the inputs, runs embeddings and encoder layers. */
  private Workspace encode(int[][] ids, int[][] segments, int[][] mask, int[][] positions) {
    int batch = ids.length;
    if (batch == 0) {
      throw new IllegalArgumentException("tokenIds is an empty batch; give at least one row");
    }
    int seq = ids[0].length;
    if (seq == 0) {
      throw new IllegalArgumentException("tokenIds rows are empty; a sequence needs at least one token");
    }
    if (seq > config.maxSequenceLength()) {
      throw new IllegalArgumentException("sequence length " + seq + " is above max_sequence_length "
          + config.maxSequenceLength() + " of this model; truncate the inputs (the preprocessor's "
          + "sequence_length does)");
    }
    Shapes.requireRectangular("tokenIds", ids);
    Shapes.requireSameShape("segmentIds", segments, "tokenIds", ids);
    Shapes.requireSameShape("paddingMask", mask, "tokenIds", ids);
    int slots = positions == null ? 0 : positions[0].length;
    if (positions != null) {
      Shapes.requireRectangular("maskPositions", positions);
      if (positions.length != batch) {
        throw new IllegalArgumentException("maskPositions has " + positions.length + " rows for a batch of "
            + batch);
      }
    }
    Workspace w = Workspace.plan(config, batch, seq, slots);
    int[] ii = launcher.ints(w.intsSize);
    int v = config.vocabularySize();
    int t = config.numSegments();
    for (int b = 0; b < batch; b++) {
      for (int s = 0; s < seq; s++) {
        int id = ids[b][s];
        if (id < 0 || id >= v) {
          throw new IllegalArgumentException("tokenIds[" + b + "][" + s + "] = " + id + " is not a token id "
              + "of this model (vocabulary_size " + v + "); use ids from its tokenizer");
        }
        int sid = segments[b][s];
        if (sid < 0 || sid >= t) {
          throw new IllegalArgumentException("segmentIds[" + b + "][" + s + "] = " + sid + " is outside [0, "
              + t + ") (num_segments " + t + ")");
        }
        int m = mask[b][s];
        if (m != 0 && m != 1) {
          throw new IllegalArgumentException("paddingMask[" + b + "][" + s + "] = " + m + "; use 1 for "
              + "tokens and 0 for padding");
        }
        ii[w.ids + b * seq + s] = id;
        ii[w.segments + b * seq + s] = sid;
        ii[w.mask + b * seq + s] = m;
      }
      for (int j = 0; j < slots; j++) {
        int pos = positions[b][j];
        if (pos < 0 || pos >= seq) {
          throw new IllegalArgumentException("maskPositions[" + b + "][" + j + "] = " + pos + " is outside "
              + "the sequence [0, " + seq + ")");
        }
        ii[w.positions + b * slots + j] = pos;
      }
    }
    launcher.activations(w.size);
    launcher.productOutputs(w.qkvSize, w.intermediateSize, w.denseSize, w.logitsSize);
    launcher.putInts();
    embeddings.forward(launcher, w);
    for (TransformerEncoder e : encoders) {
      e.forward(launcher, w);
    }
    return w;
  }

  /** Launches so far (for benchmarks). */
  long launches() {
    return launcher.launches();
  }

  /** Time per operation since the last reset: name → {milliseconds, launches}. */
  synchronized java.util.Map<String, double[]> timings(boolean reset) {
    java.util.Map<String, double[]> out = new java.util.TreeMap<>();
    long[][] t = launcher.timings();
    for (int op = 0; op < t.length; op++) {
      if (t[op][1] > 0) {
        out.put(Ops.name(op), new double[] {t[op][0] / 1e6, t[op][1]});
      }
    }
    if (reset) {
      launcher.resetTimings();
    }
    return out;
  }

  @Override
  public synchronized void close() {
    launcher.close();
  }
}
