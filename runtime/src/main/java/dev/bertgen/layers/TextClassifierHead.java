package dev.bertgen.layers;

import dev.bertgen.compute.DeviceOps;
import dev.bertgen.compute.Ops;
import dev.bertgen.compute.Tensor;

/**
 * keras-hub's {@code BertTextClassifier} head over the backbone: the pooler ({@code pooled_dense}:
 * {@code tanh(x[:, 0, :]·W + b)}, a backbone layer), {@code Dropout} ({@code classifier_dropout}) and
 * {@code Dense(num_classes)} ({@code logits}). The [CLS] rows are gathered like mask rows: the task
 * writes {@code b·seq} as each example's head row.
 */
public final class TextClassifierHead {
  /** Stream of the classifier dropout's mask ({@link Dropout}); the backbone's streams are below 16 + 4·layers. */
  static final int DROPOUT_STREAM = 7;

  private final int layers;
  private final int classes;
  private final Tensor poolerKernel;
  private final Tensor poolerBias;
  private final Tensor kernel;
  private final Tensor bias;

  public TextClassifierHead(VariableLayout layout) {
    int h = layout.config().hiddenDim();
    this.layers = layout.config().numLayers();
    this.classes = layout.numClasses();
    if (classes < 1) {
      throw new IllegalArgumentException("the variables have no text classifier head; use "
          + "VariableLayout.textClassifier(config, numClasses)");
    }
    this.poolerKernel = layout.parameter("pooled_dense/kernel", h, h);
    this.poolerBias = layout.parameter("pooled_dense/bias", 1, h);
    this.kernel = layout.parameter(VariableLayout.CLASSIFIER_KERNEL, h, classes);
    this.bias = layout.parameter(VariableLayout.CLASSIFIER_BIAS, 1, classes);
  }

  /** Number of classes. */
  public int classes() {
    return classes;
  }

  /**
   * Inference: the logits (batch, classes) of the workspace's sequence output, in [a]
   * ({@link Workspace#classifierLogits}); the [CLS] row indices are uploaded as head rows.
   */
  public Tensor forward(DeviceOps ops, Workspace w) {
    ops.gatherRows(w.hiddenStates(), w.positions(w.batch), w.gathered());
    ops.dense(w.gathered(), poolerKernel, poolerBias, w.pooled(), Ops.ACT_TANH);
    Tensor logits = w.classifierLogits(classes);
    ops.dense(w.pooled(), kernel, bias, logits, Ops.ACT_NONE);
    return logits;
  }

  /**
   * Training forward from {@code layerInput(L)}, keeping what {@link #backward} needs: the [CLS]
   * rows ({@code gathered}), the pooler's pre-activation ({@code headDense}), the pooled output
   * ({@code headActivated}) and its dropped-out copy ({@code headNormalized}); the logits go to the
   * logits array [l] ({@link TrainingWorkspace#logits()}).
   *
   * @param dropout the classifier dropout of this step ({@link Dropout#NONE} for none)
   */
  public void forward(DeviceOps ops, TrainingWorkspace t, Dropout dropout) {
    Workspace w = t.inference;
    int rows = t.rows();
    ops.gatherRows(t.layerInput(layers), w.positions(rows), t.gathered());
    ops.dense(t.gathered(), poolerKernel, poolerBias, t.headDense(), Ops.ACT_NONE);
    ops.copy(t.headDense(), t.headActivated());
    ops.activate(t.headActivated(), Ops.ACT_TANH);
    ops.copy(t.headActivated(), t.headNormalized());
    dropout.apply(ops, t.headNormalized(), DROPOUT_STREAM);
    // the logits in [a] (dLogits' place, free until the loss), then to [l], where the loss reads them
    Tensor logits = t.dLogits();
    ops.dense(t.headNormalized(), kernel, bias, logits, Ops.ACT_NONE);
    ops.copy(logits, t.logits());
  }

  /**
   * keras' {@code SparseCategoricalCrossentropy(from_logits=True)} over the logits in [l]: per row
   * loss·weight and correct·weight to [out] from 0, and the gradient of the mean over the batch in
   * {@code t.dLogits()}.
   */
  public static void crossEntropy(DeviceOps ops, TrainingWorkspace t) {
    Tensor logits = t.logits();
    ops.crossEntropyPartials(logits, t.slices, t.partials());
    ops.crossEntropy(logits, t.labels(), t.sampleWeights(), t.dLogits(), t.rowResults(), t.slices, t.partials(),
        1f / t.batch);
  }

  /**
   * Backward from {@code t.dLogits()}: the {@code logits} layer's gradients and, when the backbone
   * trains, the pooler's and the gradient of the sequence output in {@code t.dX()} (zero but at the
   * [CLS] rows).
   */
  public void backward(DeviceOps ops, TrainingWorkspace t, Dropout dropout, boolean backbone) {
    int rows = t.rows();
    Tensor dLogits = t.dLogits();
    ops.columnSums(dLogits, bias.gradient());
    TransformerEncoder.weightGradient(ops, t.headNormalized(), dLogits, kernel);
    if (!backbone) {
      return;
    }
    Tensor dPooled = t.dBranch().firstRows(rows);
    TransformerEncoder.inputGradient(ops, t, dLogits, kernel, dPooled);
    dropout.apply(ops, dPooled, DROPOUT_STREAM); // the same mask and scale as the forward pass
    Tensor dPre = t.dX2().firstRows(rows);
    ops.activationBackward(t.headDense(), dPooled, dPre, Ops.ACT_TANH);
    ops.columnSums(dPre, poolerBias.gradient());
    TransformerEncoder.weightGradient(ops, t.gathered(), dPre, poolerKernel);
    Tensor dFirst = t.dBranch().firstRows(rows);
    TransformerEncoder.inputGradient(ops, t, dPre, poolerKernel, dFirst);
    ops.fill(t.dX(), 0f);
    ops.scatterRows(dFirst, t.inference.positions(rows), t.dX());
  }
}
