package dev.bertgen.models;

import dev.bertgen.compute.BertKernels;
import dev.bertgen.compute.ComputeDevice;
import dev.bertgen.compute.DeviceKind;
import dev.bertgen.compute.GenericBertKernels;
import dev.bertgen.compute.DeviceOps;
import dev.bertgen.compute.Devices;
import dev.bertgen.compute.KernelFactory;
import dev.bertgen.compute.Launcher;
import dev.bertgen.compute.Arena;
import dev.bertgen.compute.Ops;
import dev.bertgen.compute.Tensor;
import dev.bertgen.layers.Embeddings;
import dev.bertgen.layers.KeepPlan;
import dev.bertgen.layers.ModelWeights;
import dev.bertgen.layers.Pooler;
import dev.bertgen.layers.TransformerEncoder;
import dev.bertgen.layers.Dropout;
import dev.bertgen.layers.TrainingWorkspace;
import dev.bertgen.layers.Workspace;
import java.util.ArrayList;
import java.util.List;
import dev.bertgen.spec.BackboneConfig;

/**
 * The backbone on its device: validates and uploads the inputs, runs the embeddings, the encoder
 * layers and the pooler, and, for training, keeps what their backward pass needs and runs it. It
 * owns the model's device context ({@link Launcher}: one kernel object with the arenas), which a
 * task's head shares to read the sequence output where the encoder left it. It knows nothing of
 * heads, losses or optimizers. One per backbone; created on first use.
 */
final class BackboneRunner implements AutoCloseable {
  private final BackboneConfig config;
  private final ModelWeights weights;
  private final Launcher launcher;
  private final DeviceOps ops;
  private final Embeddings embeddings;
  private final TransformerEncoder[] encoders;
  private final Pooler pooler;
  /** Counts changes of the parameters (host uploads and training updates): caches derived from them check it. */
  private long parametersVersion;
  /** True when training changed the parameters on the device after the host last read them. */
  private boolean parametersOnDevice;
  private final List<Runnable> closeHooks = new ArrayList<>();
  private boolean closed;

  BackboneRunner(BackboneConfig config, ModelWeights weights, KernelFactory kernels, ComputeDevice device) {
    this.config = config;
    this.weights = weights;
    // Java threads run the generic class: a specialized run() inlines large products and is too big
    // for the JIT, and Aparapi calls run() once per work-item. Same helpers, same results.
    BertKernels kernel = device.kind() == DeviceKind.JAVA ? new GenericBertKernels(config)
        : kernels.create(config, device.family());
    this.launcher = new Launcher(kernel, device, weights.arena());
    this.ops = new DeviceOps(launcher);
    this.embeddings = new Embeddings(weights.layout());
    this.encoders = new TransformerEncoder[config.numLayers()];
    for (int i = 0; i < encoders.length; i++) {
      encoders[i] = new TransformerEncoder(weights.layout(), i);
    }
    this.pooler = new Pooler(weights.layout());
  }

  static ComputeDevice defaultDevice() {
    return Devices.fromEnvironment();
  }

  ComputeDevice device() {
    return launcher.device();
  }

  /** The device context: the kernel object and its arenas, shared with the task's head. */
  Launcher launcher() {
    return launcher;
  }

  /** The typed operations on this device context. */
  DeviceOps ops() {
    return ops;
  }

  /** The architecture. */
  BackboneConfig config() {
    return config;
  }

  /** The weights on this device (backbone and, when a task has one, its head). */
  ModelWeights weights() {
    return weights;
  }

  /**
   * Runs {@code hook} before this runner closes (a device change): a task saves what it keeps on
   * the device, such as its optimizer's moments.
   */
  synchronized void beforeClose(Runnable hook) {
    closeHooks.add(hook);
  }

  /** Changes whenever the parameters on the device change. */
  synchronized long parametersVersion() {
    return parametersVersion;
  }

  /** Records that a training update changed the parameters on the device. */
  synchronized void parametersTrained() {
    parametersOnDevice = true;
    parametersVersion++;
  }

  /** Uploads the parameters again after the host copy changed. */
  synchronized void parametersChanged() {
    parametersOnDevice = false;
    launcher.putParameters();
    parametersVersion++;
  }

  /**
   * keras-hub's {@code backbone(inputs)}: the sequence output and the pooled output, downloaded.
   */
  synchronized BackboneOutputs call(int[][] tokenIds, int[][] segmentIds, int[][] paddingMask) {
    Workspace w = upload(tokenIds, segmentIds, paddingMask, 0, 0);
    encode(w);
    pooler.forward(ops, w);
    int h = config.hiddenDim();
    int seqSize = w.tokens() * h;
    launcher.out(seqSize + w.batch * h);
    ops.copy(w.hiddenStates(), Tensor.of("sequence output", Arena.RESULTS, 0, w.tokens(), h));
    ops.copy(w.pooled(), Tensor.of("pooled output", Arena.RESULTS, seqSize, w.batch, h));
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

  /**
   * Inference forward: uploads the integer arena and runs the embeddings and the encoder layers;
   * the sequence output stays on the device at {@code w.hiddenStates}.
   */
  void encode(Workspace w) {
    launcher.activations(w.size);
    launcher.productOutputs(w.qkvSize, w.intermediateSize, w.denseSize, w.logitsSize);
    launcher.putInts();
    embeddings.forward(ops, w, null);
    for (TransformerEncoder e : encoders) {
      e.forward(ops, w, null);
    }
  }

  /**
   * Training forward: uploads the integer arena (the task wrote its own inputs after the
   * backbone's) and runs the embeddings and the encoder layers keeping what their backward pass
   * needs; the sequence output is {@code t.layerInput[numLayers]}.
   *
   * @param backward whether {@link #backward} follows (the host then lists each token id's
   *     positions for the token embedding's gradient)
   */
  void encode(TrainingWorkspace t, Dropout dropout, boolean backward) {
    Workspace w = t.inference;
    distinctTokens = backward ? tokenLists(launcher.ints(t.intsSize), w, t) : 0;
    launcher.activations(t.size);
    launcher.productOutputs(w.qkvSize, w.intermediateSize, w.denseSize, w.logitsSize);
    launcher.putInts();
    KeepPlan keep = new KeepPlan(t, dropout);
    embeddings.forward(ops, w, keep);
    for (TransformerEncoder e : encoders) {
      e.forward(ops, w, keep);
    }
  }

  /**
   * Backward from the gradient of the sequence output in {@code t.dX}: the encoder layers in
   * reverse order, then the embeddings, adding every backbone gradient into the gradient arena.
   */
  void backward(TrainingWorkspace t, Dropout dropout) {
    for (int i = encoders.length - 1; i >= 0; i--) {
      encoders[i].backward(ops, t, dropout);
    }
    embeddings.backward(ops, t, dropout, distinctTokens);
  }

  /** Distinct token ids of the last training forward with {@code backward} (0 otherwise). */
  private int distinctTokens;

  /**
   * Validates the backbone's inputs and writes them to the integer arena (not yet uploaded).
   *
   * @param slots rows per example the task's head reads (mask slots; 0 for none): the workspace
   *     reserves them
   * @param extraInts integers the task writes after the inputs
   */
  Workspace upload(int[][] ids, int[][] segments, int[][] mask, int slots, int extraInts) {
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
    Workspace w = Workspace.plan(config, batch, seq, slots);
    int[] ii = launcher.ints((long) w.intsSize + extraInts);
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
    }
    return w;
  }

  /**
   * Lists, for the token embedding's gradient, the positions of each distinct token id
   * (ascending ids; positions in token order), so the device sums rows without atomics.
   *
   * @return the number of distinct ids
   */
  private int tokenLists(int[] ii, Workspace w, TrainingWorkspace t) {
    int tokens = w.tokens();
    int v = config.vocabularySize();
    int[] counts = new int[v + 1];
    for (int i = 0; i < tokens; i++) {
      counts[ii[w.ids + i] + 1]++;
    }
    int distinct = 0;
    for (int id = 0; id < v; id++) {
      if (counts[id + 1] > 0) {
        ii[t.uniqueIds + distinct] = id;
        distinct++;
      }
      counts[id + 1] += counts[id];
    }
    int u = 0;
    for (int id = 0; id < v && u < distinct; id++) {
      if (ii[t.uniqueIds + u] == id) {
        ii[t.idStarts + u] = counts[id];
        u++;
      }
    }
    ii[t.idStarts + distinct] = tokens;
    int[] next = counts.clone();
    for (int i = 0; i < tokens; i++) {
      int id = ii[w.ids + i];
      ii[t.idPositions + next[id]++] = i;
    }
    return distinct;
  }

  /** A copy of the gradient arena after the last training step (tests and diagnostics). */
  synchronized float[] gradients() {
    return java.util.Arrays.copyOf(launcher.getGradients(), weights.layout().size());
  }

  /** Brings the parameters the device trained back into the host arena. */
  synchronized void syncParameters() {
    if (parametersOnDevice) {
      launcher.getParameters();
      parametersOnDevice = false;
    }
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

  /** Runs the {@link #beforeClose} hooks, then frees the device context (once). */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    for (Runnable hook : closeHooks) {
      hook.run();
    }
    closeHooks.clear();
    release();
  }

  /** Frees the device context without the hooks (the cleaner's action: nobody can use this any more). */
  synchronized void release() {
    if (closed) {
      return;
    }
    closed = true;
    closeHooks.clear();
    launcher.close();
  }
}
