package dev.bertgen.models;

import dev.bertgen.compute.BertKernels;
import dev.bertgen.compute.ComputeDevice;
import dev.bertgen.compute.DeviceOps;
import dev.bertgen.compute.DeviceKind;
import dev.bertgen.compute.GenericBertKernels;
import dev.bertgen.compute.Devices;
import dev.bertgen.compute.KernelFactory;
import dev.bertgen.compute.Launcher;
import dev.bertgen.compute.Ops;
import dev.bertgen.layers.Embeddings;
import dev.bertgen.layers.KeepPlan;
import dev.bertgen.layers.MaskedLMHead;
import dev.bertgen.layers.ModelWeights;
import dev.bertgen.layers.Pooler;
import dev.bertgen.layers.TransformerEncoder;
import dev.bertgen.layers.Dropout;
import dev.bertgen.layers.TrainingWorkspace;
import dev.bertgen.layers.Workspace;
import dev.bertgen.training.OptimizerStep;
import dev.bertgen.training.StepResult;
import java.util.List;
import dev.bertgen.spec.BackboneConfig;

/**
 * Runs a model's layers on its device: validates and uploads the inputs, launches the layers'
 * kernels, downloads only the outputs asked for. One per model; created on first use.
 */
final class ModelRunner implements AutoCloseable {
  private final BackboneConfig config;
  private final ModelWeights weights;
  private final Launcher launcher;
  private final DeviceOps ops;
  private final Embeddings embeddings;
  private final TransformerEncoder[] encoders;
  private final Pooler pooler;
  private final MaskedLMHead head;
  /** The activation arena the cached transposed embedding was written to, if any. */
  private float[] preparedArena;
  /** True when training changed the parameters on the device after the host last read them. */
  private boolean parametersOnDevice;

  ModelRunner(BackboneConfig config, ModelWeights weights, KernelFactory kernels, ComputeDevice device) {
    this.config = config;
    this.weights = weights;
    // Java threads run the generic class: a specialized run() inlines large products and is too big
    // for the JIT, and Aparapi calls run() once per work-item. Same helpers, same results.
    BertKernels kernel = device.kind() == DeviceKind.JAVA ? new GenericBertKernels(config) : kernels.create(config);
    this.launcher = new Launcher(kernel, device, weights.arena());
    this.ops = new DeviceOps(launcher);
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
    parametersOnDevice = false;
    launcher.putParameters();
    preparedArena = null;
  }

  synchronized BackboneOutputs backbone(int[][] tokenIds, int[][] segmentIds, int[][] paddingMask) {
    Workspace w = encode(tokenIds, segmentIds, paddingMask, null);
    pooler.forward(ops, w);
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
      head.prepare(ops, w);
      preparedArena = arena;
    }
    head.forward(ops, w, null);
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
    Workspace w = upload(ids, segments, mask, positions, 0);
    launcher.activations(w.size);
    launcher.productOutputs(w.qkvSize, w.intermediateSize, w.denseSize, w.logitsSize);
    launcher.putInts();
    embeddings.forward(ops, w, null);
    for (TransformerEncoder e : encoders) {
      e.forward(ops, w, null);
    }
    return w;
  }

  /**
   * Validates the inputs and writes them to the integer arena (not yet uploaded).
   *
   * @param extraInts integers the caller needs after the inputs
   */
  private Workspace upload(int[][] ids, int[][] segments, int[][] mask, int[][] positions, int extraInts) {
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
      for (int j = 0; j < slots; j++) {
        int pos = positions[b][j];
        if (pos < 0 || pos >= seq) {
          throw new IllegalArgumentException("maskPositions[" + b + "][" + j + "] = " + pos + " is outside "
              + "the sequence [0, " + seq + ")");
        }
        ii[w.positions + b * slots + j] = b * seq + pos; // the row's token index
      }
    }
    return w;
  }

  /**
   * One training (or evaluation) step on the device: forward keeping activations, keras-hub's
   * masked-LM loss, and, with {@code step} non-null, the backward pass and one optimizer update of
   * the parameters in {@code trainable} ranges ({offset, length} pairs of the arena).
   *
   * @param labels (batch, slots) token ids to predict
   * @param weights (batch, slots) sample weights (0 for padded slots)
   * @param backbone whether gradients flow into the backbone (false: frozen, only the head trains)
   * @param applyNonFinite whether to update even when the loss or the gradient norm is not finite
   *     (otherwise such a step leaves the parameters and the optimizer's moments as they were; see
   *     {@link StepResult#nonFinite()})
   */
  synchronized StepResult step(MaskedLMInputs x, int[][] labels, float[][] weights, Dropout dropout,
      boolean backbone, OptimizerStep step, List<int[]> trainable, boolean applyNonFinite) {
    if (head == null) {
      throw new IllegalStateException("this model has no masked-LM head to train");
    }
    int batch = x.batchSize();
    int slots = x.maskSlots();
    int seq = x.sequenceLength();
    if (labels.length != batch || weights.length != batch) {
      throw new IllegalArgumentException("labels has " + labels.length + " rows and sampleWeight " + weights.length
          + " for a batch of " + batch + "; give one row of " + slots + " per example");
    }
    int v = config.vocabularySize();
    int active = 0;
    for (int b = 0; b < batch; b++) {
      if (labels[b].length != slots || weights[b].length != slots) {
        throw new IllegalArgumentException("labels[" + b + "] and sampleWeight[" + b + "] need " + slots
            + " entries, one per mask slot");
      }
      for (int j = 0; j < slots; j++) {
        int label = labels[b][j];
        float weight = weights[b][j];
        if (label < 0 || label >= v) {
          throw new IllegalArgumentException("labels[" + b + "][" + j + "] = " + label + " is not a token id of "
              + "this model (vocabulary_size " + v + ")");
        }
        if (!(weight >= 0) || Float.isInfinite(weight)) {
          throw new IllegalArgumentException("sampleWeight[" + b + "][" + j + "] = " + weight
              + " must be a finite number >= 0");
        }
        if (weight > 0) {
          active++;
        }
      }
    }
    int slotRows = batch * slots;
    int rows = headRows(active, slotRows);
    TrainingWorkspace t = TrainingWorkspace.plan(config, batch, seq, slots, rows);
    Workspace w = upload(x.tokenIds(), x.segmentIds(), x.paddingMask(), x.maskPositions(),
        t.intsSize - t.inference.intsSize);
    int[] ii = launcher.ints(t.intsSize);
    launcher.trainingArenas(slotRows);
    float[] fin = launcher.floatInputs();
    if (rows == slotRows) {
      for (int b = 0; b < batch; b++) {
        for (int j = 0; j < slots; j++) {
          ii[t.labels + b * slots + j] = labels[b][j];
          fin[b * slots + j] = weights[b][j];
        }
      }
    } else {
      // the weighted slots first, in order (their token indices replace the uploaded positions), then
      // weightless rows up to a whole register block: the same loss and gradients, fewer rows
      int[][] positions = x.maskPositions();
      int r = 0;
      for (int b = 0; b < batch; b++) {
        for (int j = 0; j < slots; j++) {
          if (weights[b][j] > 0) {
            ii[w.positions + r] = b * seq + positions[b][j];
            ii[t.labels + r] = labels[b][j];
            fin[r] = weights[b][j];
            r++;
          }
        }
      }
      for (; r < rows; r++) {
        ii[w.positions + r] = 0;
        ii[t.labels + r] = 0;
        fin[r] = 0f;
      }
    }
    int distinct = backbone && step != null ? tokenLists(ii, w, t) : 0;
    launcher.activations(t.size);
    launcher.productOutputs(w.qkvSize, w.intermediateSize, w.denseSize, w.logitsSize);
    launcher.putInts();
    launcher.putFloatInputs();
    preparedArena = null; // the transposed embedding is rewritten (and goes stale with the update)
    int params = this.weights.layout().size();
    int chunks = step != null ? (params + GRADIENT_CHUNK - 1) / GRADIENT_CHUNK : 0;
    launcher.out(2L * rows + chunks); // before any launch: kernels write into it
    KeepPlan keep = new KeepPlan(t, dropout);
    embeddings.forward(ops, w, keep);
    for (TransformerEncoder e : encoders) {
      e.forward(ops, w, keep);
    }
    head.forward(ops, w, keep);
    double norm = Double.NaN;
    if (step != null) {
      launcher.launch(Ops.FILL_GRADIENTS, params, 0f, 0f, 0);
      head.backward(ops, t, backbone);
      if (backbone) {
        for (int i = encoders.length - 1; i >= 0; i--) {
          encoders[i].backward(ops, t, dropout);
        }
        embeddings.backward(ops, t, dropout, distinct);
      }
      launcher.launch(Ops.SQUARED_SUMS, chunks, 0f, 0f, 0, GRADIENT_CHUNK, params, 2 * rows);
    } else {
      MaskedLMHead.crossEntropy(ops, t);
    }
    float[] out = launcher.getOut();
    double loss = 0;
    double correct = 0;
    double weightSum = 0;
    for (int r = 0; r < rows; r++) {
      loss += out[2 * r];
      correct += out[2 * r + 1];
      weightSum += fin[r];
    }
    if (step != null) {
      double sq = 0;
      for (int c = 0; c < chunks; c++) {
        sq += out[2 * rows + c];
      }
      norm = Math.sqrt(sq);
    }
    StepResult result = new StepResult(loss, correct, weightSum, slotRows, norm);
    if (step != null && (applyNonFinite || !result.nonFinite())) {
      float clip = step.clipNorm() > 0 && norm > step.clipNorm() ? (float) (step.clipNorm() / norm) : 1f;
      float[] args = {step.a1(), step.a2(), step.beta1(), step.beta2(), step.epsilon(), step.decay(), clip};
      for (int[] range : trainable) {
        launcher.launch(Ops.ADAM, range[1], args, range[0]);
      }
      parametersOnDevice = true;
    }
    return result;
  }

  /**
   * Rows the head computes for {@code active} weighted slots out of {@code slots}: the weighted ones
   * rounded up to whole 16-row register blocks, or every slot when that saves nothing.
   */
  static int headRows(int active, int slots) {
    int block = BertKernels.BLOCK_ROWS;
    int rows = Math.max(block, (active + block - 1) / block * block);
    return rows >= slots ? slots : rows;
  }

  /** Gradient elements per squared-sum work-item. */
  private static final int GRADIENT_CHUNK = 4096;

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

  /** A copy of the gradients of the last training step (tests and diagnostics). */
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

  /** Copies of Adam's two moments over the parameter arena; {@code null} before the first step (zeros). */
  synchronized float[][] optimizerMoments() {
    return launcher.getMoments(weights.layout().size());
  }

  /** Replaces Adam's two moments (both as long as the parameter arena). */
  synchronized void setOptimizerMoments(float[] first, float[] second) {
    launcher.putMoments(first, second);
  }

  /** Forgets Adam's moments (a new optimizer starts from zero). */
  synchronized void resetOptimizer() {
    launcher.resetOptimizer();
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
