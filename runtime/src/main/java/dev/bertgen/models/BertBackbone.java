package dev.bertgen.models;

import dev.bertgen.compute.ComputeDevice;
import dev.bertgen.compute.KernelFactory;
import dev.bertgen.layers.ModelWeights;
import dev.bertgen.layers.Variable;
import dev.bertgen.spec.BackboneConfig;
import dev.bertgen.spec.PresetSpec;
import java.lang.ref.Cleaner;
import java.util.Map;
import java.util.Objects;

/**
 * keras-hub's {@code BertBackbone}: token, position and segment embeddings, post-norm transformer
 * encoder layers, and a tanh pooler on [CLS].
 */
public class BertBackbone implements AutoCloseable {
  /** Frees the device context of a backbone nobody can reach any more (one that was never closed). */
  private static final Cleaner CLEANER = Cleaner.create();

  private final BackboneConfig config;
  private final ModelWeights weights;
  private final KernelFactory kernels;
  private boolean trainable = true;
  private ComputeDevice device;
  private BackboneRunner runner;
  /** Frees {@link #runner}'s device context: on {@link #close}, a device change, or by the cleaner. */
  private Cleaner.Cleanable cleanable;

  /**
   * @param state the model this backbone belongs to (its weights may also hold a task's variables)
   * @param kernels the kernel class to run on: a generated one or {@link KernelFactory#generic()}
   */
  protected BertBackbone(ModelState state, KernelFactory kernels) {
    this.config = state.config();
    this.weights = state.weights();
    this.kernels = Objects.requireNonNull(kernels, "kernels");
  }

  /** A backbone for any architecture, initialized as keras-hub initializes it. */
  public static BertBackbone create(BackboneConfig config, long seed) {
    PresetSpec spec = CustomPresets.of("bert_backbone", config);
    return new BertBackbone(ModelState.initialize(Specialization.generic(spec), seed, false),
        KernelFactory.generic());
  }

  /**
   * keras-hub's {@code BertBackbone.from_preset}: the backbone (embeddings, encoder, pooler) of any
   * source {@link BertMaskedLM#fromPreset(String)} accepts, without a task head; a task preset's head
   * is not read.
   *
   * @throws dev.bertgen.presets.PresetException naming the source and the fix when it cannot be had
   *     or read
   */
  public static BertBackbone fromPreset(String source) {
    return fromPreset(source, PresetOptions.defaults());
  }

  /** {@link #fromPreset(String)} with options (weights or initializers, device, hub settings). */
  public static BertBackbone fromPreset(String source, PresetOptions options) {
    ModelState state = ModelState.load(source, options, null, dev.bertgen.layers.TaskHead.none());
    BertBackbone b = new BertBackbone(state, state.specialization().kernels());
    if (state.device() != null) {
      b.setDevice(state.device());
    }
    return b;
  }

  /** The architecture, with the numeric flavor of the source it was loaded from. */
  public BackboneConfig config() {
    return config;
  }

  /** Number of backbone parameters (a task's own variables are not counted). */
  public long parameterCount() {
    long n = 0;
    for (Variable v : weights.layout().variables()) {
      if (v.backbone()) {
        n += v.size();
      }
    }
    return n;
  }

  /** Copies of the backbone's variables by Keras path, in Keras shapes. */
  public Map<String, float[]> getWeights() {
    syncParameters();
    return weights.toMap(true);
  }

  /** Brings parameters trained on the device back to the host arena. */
  synchronized void syncParameters() {
    if (runner != null) {
      runner.syncParameters();
    }
  }

  /** Whether training updates the backbone (and with it the tied token embedding). */
  public boolean isTrainable() {
    return trainable;
  }

  /** Freezes ({@code false}) or unfreezes the backbone, as keras' {@code backbone.trainable}. */
  public void setTrainable(boolean value) {
    this.trainable = value;
  }

  /**
   * Runs the backbone: keras-hub's {@code backbone({"token_ids", "segment_ids", "padding_mask"})}.
   *
   * @param tokenIds (batch, sequence) token ids
   * @param segmentIds (batch, sequence) segment ids
   * @param paddingMask (batch, sequence) 1 for tokens, 0 for padding
   * @throws IllegalArgumentException for ids outside the vocabulary, ragged rows and the like,
   *     naming the offending entry
   */
  public BackboneOutputs call(int[][] tokenIds, int[][] segmentIds, int[][] paddingMask) {
    return onDevice().call(tokenIds, segmentIds, paddingMask);
  }

  /**
   * Chooses the device (before the first call); by default {@code BERTGEN_DEVICE} or
   * {@code -Dbertgen.device} decide ({@link dev.bertgen.compute.Devices}).
   */
  public synchronized void setDevice(ComputeDevice value) {
    if (runner != null && !runner.device().equals(value)) {
      runner.syncParameters();
      runner.close(); // tasks save what they keep in this device context (close hooks) and move it too
      cleanable.clean();
      runner = null;
    }
    this.device = value;
  }

  /**
   * Frees this model's device context (its OpenCL buffers and the arrays bound to them) after
   * bringing trained parameters back to the host. The model stays usable: its next call starts again
   * on its device, as after a device change. A backbone that is never closed is freed in the same way
   * once it is no longer reachable.
   */
  @Override
  public synchronized void close() {
    if (runner != null) {
      runner.syncParameters();
      runner.close();
      cleanable.clean();
      runner = null;
    }
  }

  /** The device this model runs on (chosen on first use if not set). */
  public synchronized ComputeDevice device() {
    return onDevice().device();
  }

  /**
   * The name of the kernel class this model runs on its device: a class generated for its
   * {@code @BertPreset}, one specialized at run time ({@code dev.bertgen.compute.specialized.Kernels_...}), or
   * the generic one. For diagnostics.
   */
  public String kernelClass() {
    return onDevice().launcher().kernelClassName();
  }

  /**
   * Bytes of the arrays the model computes in on its device (weights, activations, outputs; gradients and
   * optimizer state once trained), as sized by the calls so far: for memory reports.
   */
  public long deviceMemoryBytes() {
    return onDevice().launcher().arenaBytes();
  }

  /**
   * Wall time spent per kernel operation since the last reset, for tuning: operation name →
   * {milliseconds, launches}.
   */
  public java.util.Map<String, double[]> kernelTimings(boolean reset) {
    return onDevice().timings(reset);
  }

  /**
   * The backbone on its device (the device context a task shares), created on first use and
   * again after a device change.
   */
  synchronized BackboneRunner onDevice() {
    if (runner == null) {
      BackboneRunner r = new BackboneRunner(config, weights, kernels,
          device != null ? device : BackboneRunner.defaultDevice());
      runner = r;
      cleanable = CLEANER.register(this, r::release);
    }
    return runner;
  }

  /** The kernel factory this backbone runs on. */
  protected KernelFactory kernels() {
    return kernels;
  }

  /** The weights this backbone reads (shared with its task). */
  protected ModelWeights weights() {
    return weights;
  }
}
