package dev.bertgen.models;

import dev.bertgen.compute.Arena;
import dev.bertgen.compute.DeviceOps;
import dev.bertgen.compute.Launcher;
import dev.bertgen.compute.Tensor;
import dev.bertgen.layers.Dropout;
import dev.bertgen.layers.TextClassifierHead;
import dev.bertgen.layers.TrainingWorkspace;
import dev.bertgen.layers.Workspace;
import dev.bertgen.preprocessing.PackedInputs;
import dev.bertgen.training.AdamUpdater;
import dev.bertgen.training.GradientExchange;
import dev.bertgen.training.OptimizerStep;
import dev.bertgen.training.ParameterRange;
import dev.bertgen.training.StepResult;
import java.util.List;

/**
 * {@link BertTextClassifier} on its device: its {@link TextClassifierHead} over the backbone's
 * sequence output, keras' sparse categorical cross-entropy, Adam's state and the training step, in
 * the backbone's device context ({@link BackboneRunner#launcher()}), which holds the parameters of both.
 *
 * <p>A training step runs as the masked LM's does: upload the inputs (each example's [CLS] row as its
 * head row, its label and sample weight); forward, keeping what backward needs; the loss and its
 * gradient; zero the gradients; backward (the head, then the backbone); exchange the gradients; the
 * gradient norm; the update.
 */
final class TextClassifierRunner {
  private final BackboneRunner backbone;
  private final TextClassifierHead head;
  private final int classes;
  private final AdamUpdater optimizer;
  /** Adam's moments, saved when the backbone's device context closed (a device change). */
  private float[][] savedMoments;

  TextClassifierRunner(BackboneRunner backbone, int numClasses) {
    this.backbone = backbone;
    this.head = new TextClassifierHead(backbone.weights().layout());
    this.classes = head.classes();
    if (numClasses != classes) {
      throw new IllegalArgumentException("the weights have a head of " + classes + " classes, not " + numClasses);
    }
    if (classes > backbone.config().vocabularySize()) {
      throw new IllegalArgumentException(classes + " classes are more than this model's vocabulary_size "
          + backbone.config().vocabularySize() + ", which bounds the logits' width");
    }
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

  /** The logits (batch, classes) of {@code x}, dropout off. */
  float[][] logits(PackedInputs x) {
    synchronized (backbone) {
      Launcher l = backbone.launcher();
      DeviceOps ops = backbone.ops();
      Workspace w = upload(x, 0);
      backbone.encode(w);
      Tensor logits = head.forward(ops, w);
      int batch = w.batch;
      l.out((long) batch * classes);
      ops.copy(logits, Tensor.of("logits", Arena.RESULTS, 0, batch, classes));
      float[] out = l.getOut();
      float[][] result = new float[batch][classes];
      for (int b = 0; b < batch; b++) {
        System.arraycopy(out, b * classes, result[b], 0, classes);
      }
      return result;
    }
  }

  /**
   * One training step (with {@code step} non-null) or one evaluation step (loss and accuracy only).
   *
   * @param labels one class id per example
   * @param weights one sample weight per example
   * @param backboneDropout the backbone's dropout of this step
   * @param classifierDropout the {@code classifier_dropout} of this step
   * @param trainBackbone whether gradients flow into the backbone (and the pooler)
   * @param step the optimizer's coefficients, or {@code null} to evaluate
   * @param trainable the parameter ranges the update changes
   * @param applyNonFinite whether to update even when the loss or the gradient norm is not finite
   * @param exchange the gradient exchange between backward and the update
   */
  StepResult step(PackedInputs x, int[] labels, float[] weights, Dropout backboneDropout, Dropout classifierDropout,
      boolean trainBackbone, OptimizerStep step, List<ParameterRange> trainable, boolean applyNonFinite,
      GradientExchange exchange) {
    synchronized (backbone) {
      Launcher l = backbone.launcher();
      DeviceOps ops = backbone.ops();
      boolean update = step != null;
      int batch = x.tokenIds().length;
      checkLabels(batch, labels, weights);
      int seq = batch == 0 ? 0 : x.tokenIds()[0].length;
      TrainingWorkspace t = TrainingWorkspace.classifier(backbone.config(), batch, seq, classes);

      // 1. inputs: the backbone's, the [CLS] rows, labels and sample weights
      Workspace w = upload(x, t.intsSize - t.inference.intsSize);
      int[] ii = l.ints(t.intsSize);
      for (int b = 0; b < batch; b++) {
        ii[t.labels + b] = labels[b];
      }
      l.trainingArenas(batch);
      float[] fin = l.floatInputs();
      System.arraycopy(weights, 0, fin, 0, batch);
      l.putFloatInputs();
      l.out(2L * batch + (update ? optimizer.normPartials() : 0)); // before any launch: kernels write into it

      // 2. forward, keeping what backward needs; logits into the logits array
      backbone.encode(t, update ? backboneDropout : Dropout.NONE, update && trainBackbone);
      head.forward(ops, t, update ? classifierDropout : Dropout.NONE);

      // 3. the loss and its gradient
      TextClassifierHead.crossEntropy(ops, t);
      if (!update) {
        return MaskedLMRunner.results(l.getOut(), fin, batch, batch, Double.NaN);
      }

      // 4. zero_grad; backward through the head, then the backbone
      optimizer.zeroGradients();
      head.backward(ops, t, classifierDropout, trainBackbone);
      if (trainBackbone) {
        backbone.backward(t, backboneDropout);
      }

      // 5. the gradients the update applies (other workers' too, in data-parallel training)
      optimizer.exchange(exchange, trainable);

      // 6. the global gradient norm (downloaded with the loss), then clipping and the update
      optimizer.launchGradientNorm(2 * batch);
      float[] out = l.getOut();
      StepResult result = MaskedLMRunner.results(out, fin, batch, batch, optimizer.gradientNorm(out, 2 * batch));
      if (applyNonFinite || !result.nonFinite()) {
        optimizer.update(step, result.gradientNorm(), trainable);
        backbone.parametersTrained();
      }
      return result;
    }
  }

  /** The backbone's inputs, then each example's [CLS] token index as its head row. */
  private Workspace upload(PackedInputs x, int extraInts) {
    Workspace w = backbone.upload(x.tokenIds(), x.segmentIds(), x.paddingMask(), 1, extraInts);
    int[] ii = backbone.launcher().ints((long) w.intsSize + extraInts);
    for (int b = 0; b < w.batch; b++) {
      ii[w.positions + b] = b * w.seq;
    }
    return w;
  }

  private void checkLabels(int batch, int[] labels, float[] weights) {
    if (labels.length != batch || weights.length != batch) {
      throw new IllegalArgumentException("labels has " + labels.length + " entries and sampleWeight "
          + weights.length + " for a batch of " + batch + "; give one of each per example");
    }
    for (int b = 0; b < batch; b++) {
      if (labels[b] < 0 || labels[b] >= classes) {
        throw new IllegalArgumentException("labels[" + b + "] = " + labels[b] + " is not a class of this "
            + "classifier; use 0 to " + (classes - 1) + " (numClasses " + classes + ")");
      }
      float weight = weights[b];
      if (!(weight >= 0) || Float.isInfinite(weight)) {
        throw new IllegalArgumentException("sampleWeight[" + b + "] = " + weight + " must be a finite number >= 0");
      }
    }
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
