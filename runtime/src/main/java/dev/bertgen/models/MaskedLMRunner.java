package dev.bertgen.models;

import dev.bertgen.compute.BertKernels;
import dev.bertgen.compute.DeviceOps;
import dev.bertgen.compute.Launcher;
import dev.bertgen.preprocessing.MaskedLMInputs;
import dev.bertgen.layers.Dropout;
import dev.bertgen.layers.KeepPlan;
import dev.bertgen.layers.MaskedLMHead;
import dev.bertgen.layers.TrainingWorkspace;
import dev.bertgen.layers.Workspace;
import dev.bertgen.spec.BackboneConfig;
import dev.bertgen.training.AdamUpdater;
import dev.bertgen.training.GradientExchange;
import dev.bertgen.training.OptimizerStep;
import dev.bertgen.training.ParameterRange;
import dev.bertgen.training.StepResult;
import java.util.List;

/**
 * {@link BertMaskedLM} on its device: its {@link MaskedLMHead} over the backbone's sequence output,
 * keras-hub's masked-LM loss, Adam's state and the training step. It runs in the backbone's device
 * context ({@link BackboneRunner#launcher()}), which holds the parameters of both.
 *
 * <p>A training step, {@link #step}, runs as named stages: upload the inputs; forward, keeping what
 * backward needs; the loss and its gradient; zero the gradients; backward (the head, then the
 * backbone); exchange the gradients ({@link GradientExchange}); the gradient norm; the update.
 */
final class MaskedLMRunner {
  private final BackboneRunner backbone;
  private final BackboneConfig config;
  private final MaskedLMHead head;
  private final AdamUpdater optimizer;
  /** The activation arena and parameter version the cached transposed token embedding belongs to. */
  private float[] preparedArena;
  private long preparedVersion;
  /** Adam's moments, saved when the backbone's device context closed (a device change). */
  private float[][] savedMoments;

  MaskedLMRunner(BackboneRunner backbone) {
    this.backbone = backbone;
    this.config = backbone.config();
    this.head = new MaskedLMHead(backbone.weights().layout());
    this.optimizer = new AdamUpdater(backbone.launcher(), backbone.ops(), backbone.weights().layout().size());
    backbone.beforeClose(() -> savedMoments = optimizer.moments());
  }

  /** The backbone runner this head runs with. */
  BackboneRunner backbone() {
    return backbone;
  }

  /** Adam's moments as they were when the device context closed ({@code null}: none or zero). */
  float[][] savedMoments() {
    return savedMoments;
  }

  /** Logits at the mask positions: (batch, slots, vocabulary). */
  float[][][] logits(MaskedLMInputs x) {
    synchronized (backbone) {
      Launcher l = backbone.launcher();
      DeviceOps ops = backbone.ops();
      Workspace w = uploadInputs(x, 0);
      backbone.encode(w);
      float[] arena = l.activations(w.size);
      if (arena != preparedArena || preparedVersion != backbone.parametersVersion()) {
        head.prepare(ops, w);
        preparedArena = arena;
        preparedVersion = backbone.parametersVersion();
      }
      head.forward(ops, w, null);
      int v = config.vocabularySize();
      int rows = w.batch * w.slots;
      float[] out = l.getLogits(); // w.logits(rows): the first rows × v floats of the logits array
      float[][][] logits = new float[w.batch][w.slots][v];
      for (int b = 0; b < w.batch; b++) {
        for (int j = 0; j < w.slots; j++) {
          System.arraycopy(out, (b * w.slots + j) * v, logits[b][j], 0, v);
        }
      }
      return logits;
    }
  }

  /**
   * One training step (with {@code step} non-null) or one evaluation step (loss and accuracy
   * only), on the device.
   *
   * @param labels (batch, slots) token ids to predict
   * @param weights (batch, slots) sample weights (0 for padded slots)
   * @param trainBackbone whether gradients flow into the backbone (false: frozen, only the head trains)
   * @param step the optimizer's coefficients for this update, or {@code null} to evaluate
   * @param trainable the parameter ranges the update changes
   * @param applyNonFinite whether to update even when the loss or the gradient norm is not finite
   *     (otherwise such a step leaves the parameters and the optimizer's moments as they were; see
   *     {@link StepResult#nonFinite()})
   * @param exchange the gradient exchange between backward and the update
   */
  StepResult step(MaskedLMInputs x, int[][] labels, float[][] weights, Dropout dropout, boolean trainBackbone,
      OptimizerStep step, List<ParameterRange> trainable, boolean applyNonFinite, GradientExchange exchange) {
    synchronized (backbone) {
      Launcher l = backbone.launcher();
      DeviceOps ops = backbone.ops();
      boolean update = step != null;
      int active = checkLabels(x, labels, weights);
      int slotRows = x.batchSize() * x.maskSlots();
      int rows = headRows(active, slotRows);
      TrainingWorkspace t = TrainingWorkspace.plan(config, x.batchSize(), x.sequenceLength(), x.maskSlots(), rows);

      // 1. inputs: token ids and masks (the backbone's), mask positions, labels and sample weights
      uploadInputs(x, labels, weights, t);
      l.out(2L * rows + (update ? optimizer.normPartials() : 0)); // before any launch: kernels write into it
      preparedArena = null; // the step rewrites the transposed embedding (and the update makes it stale)

      // 2. forward, keeping what backward needs; logits into the logits array
      backbone.encode(t, dropout, update && trainBackbone);
      head.forward(ops, t.inference, new KeepPlan(t, dropout));

      // 3. the loss (per-row loss and accuracy to the results buffer) and its gradient
      MaskedLMHead.crossEntropy(ops, t);
      if (!update) {
        return results(l.getOut(), l.floatInputs(), t.rows(), slotRows, Double.NaN);
      }

      // 4. zero_grad; backward through the head, then the backbone
      optimizer.zeroGradients();
      head.backward(ops, t, trainBackbone);
      if (trainBackbone) {
        backbone.backward(t, dropout);
      }

      // 5. the gradients the update applies (other workers' too, in data-parallel training)
      optimizer.exchange(exchange, trainable);

      // 6. the global gradient norm (downloaded with the loss), then clipping and the update
      optimizer.launchGradientNorm(2 * rows);
      float[] out = l.getOut();
      StepResult result = results(out, l.floatInputs(), rows, slotRows, optimizer.gradientNorm(out, 2 * rows));
      if (applyNonFinite || !result.nonFinite()) {
        optimizer.update(step, result.gradientNorm(), trainable);
        backbone.parametersTrained();
      }
      return result;
    }
  }

  /**
   * Sums of the per-row loss·weight and correct·weight the loss wrote to the results buffer, and of
   * the rows' sample weights.
   */
  static StepResult results(float[] out, float[] sampleWeights, int rows, int slotRows, double norm) {
    double loss = 0;
    double correct = 0;
    double weightSum = 0;
    for (int r = 0; r < rows; r++) {
      loss += out[2 * r];
      correct += out[2 * r + 1];
      weightSum += sampleWeights[r];
    }
    return new StepResult(loss, correct, weightSum, slotRows, norm);
  }

  /**
   * Checks labels and sample weights against the inputs.
   *
   * @return the number of slots with a positive weight
   */
  private int checkLabels(MaskedLMInputs x, int[][] labels, float[][] weights) {
    int batch = x.batchSize();
    int slots = x.maskSlots();
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
    return active;
  }

  /**
   * The backbone's inputs, then the mask positions as row token indices ({@code b·seq + position}).
   *
   * @param extraInts integers written after the inference inputs (labels, token lists)
   */
  private Workspace uploadInputs(MaskedLMInputs x, int extraInts) {
    int[][] positions = x.maskPositions();
    int slots = x.maskSlots();
    Workspace w = backbone.upload(x.tokenIds(), x.segmentIds(), x.paddingMask(), slots, extraInts);
    int[] ii = backbone.launcher().ints((long) w.intsSize + extraInts);
    for (int b = 0; b < w.batch; b++) {
      for (int j = 0; j < slots; j++) {
        int pos = positions[b][j];
        if (pos < 0 || pos >= w.seq) {
          throw new IllegalArgumentException("maskPositions[" + b + "][" + j + "] = " + pos + " is outside "
              + "the sequence [0, " + w.seq + ")");
        }
        ii[w.positions + b * slots + j] = b * w.seq + pos; // the row's token index
      }
    }
    return w;
  }

  /**
   * The inputs of a training step: the backbone's, then the head's rows. When some slots carry no
   * weight, the weighted slots come first, in order (their token indices replace the positions),
   * then weightless rows up to a whole register block: the same loss and gradients, fewer rows.
   */
  private void uploadInputs(MaskedLMInputs x, int[][] labels, float[][] weights, TrainingWorkspace t) {
    Launcher l = backbone.launcher();
    Workspace w = uploadInputs(x, t.intsSize - t.inference.intsSize);
    int[] ii = l.ints(t.intsSize);
    int batch = w.batch;
    int slots = w.slots;
    int rows = t.rows();
    l.trainingArenas((long) batch * slots);
    float[] fin = l.floatInputs();
    if (rows == batch * slots) {
      for (int b = 0; b < batch; b++) {
        for (int j = 0; j < slots; j++) {
          ii[t.labels + b * slots + j] = labels[b][j];
          fin[b * slots + j] = weights[b][j];
        }
      }
    } else {
      int[][] positions = x.maskPositions();
      int r = 0;
      for (int b = 0; b < batch; b++) {
        for (int j = 0; j < slots; j++) {
          if (weights[b][j] > 0) {
            ii[w.positions + r] = b * w.seq + positions[b][j];
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
    l.putFloatInputs();
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

  /** Copies of Adam's moments; {@code null} before the first step (zeros). */
  float[][] moments() {
    synchronized (backbone) {
      return optimizer.moments();
    }
  }

  /** Replaces Adam's moments. */
  void setMoments(float[] first, float[] second) {
    synchronized (backbone) {
      optimizer.setMoments(first, second);
    }
  }

  /** A fresh optimizer: both moments zero. */
  void resetOptimizer() {
    synchronized (backbone) {
      optimizer.reset();
    }
  }
}
