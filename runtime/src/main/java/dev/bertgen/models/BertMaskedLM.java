package dev.bertgen.models;

import dev.bertgen.layers.Dropout;
import dev.bertgen.layers.ModelWeights;
import dev.bertgen.training.CompileOptions;
import dev.bertgen.training.StepResult;
import dev.bertgen.presets.PresetLoader;
import dev.bertgen.spec.PresetSpec;
import java.util.Map;
import java.util.Objects;

/**
 * keras-hub's {@code BertMaskedLM}: a {@link BertBackbone}, keras-hub's {@code MaskedLMHead} tied
 * to the token embedding, and a {@link BertMaskedLMPreprocessor}.
 *
 * <p>Use {@link #fromPreset(String)} for any BERT preset, or the classes generated for a
 * {@code @BertPreset} ({@code XMaskedLM.create()}, {@code XMaskedLM.fromPreset()}) to have the
 * architecture fixed at build time.
 */
public class BertMaskedLM extends MaskedLM {
  private final BertBackbone backbone;
  private final ModelWeights weights;
  private final BertMaskedLMPreprocessor preprocessor;
  private final ModelState state;
  private CompileOptions compiled = CompileOptions.defaults();
  private long iterations;
  private long dropoutSeed = PresetOptions.DEFAULT_SEED;
  private double dropoutRate = Double.NaN;

  /**
   * @param backbone the backbone, built on {@code state}
   * @param state the model's weights (backbone and head) and tokenizer
   * @param preprocessor the preprocessor, or {@code null} when the preset has no vocabulary
   */
  protected BertMaskedLM(BertBackbone backbone, ModelState state, BertMaskedLMPreprocessor preprocessor) {
    this.backbone = Objects.requireNonNull(backbone, "backbone");
    this.state = Objects.requireNonNull(state, "state");
    this.weights = state.weights();
    if (!weights.layout().hasMaskedLmHead()) {
      throw new IllegalArgumentException("a BertMaskedLM needs the MaskedLMHead variables; create its "
          + "ModelState with withMaskedLmHead = true");
    }
    this.preprocessor = preprocessor;
  }

  /** A masked LM for any preset, initialized as keras-hub initializes it. */
  public static BertMaskedLM create(PresetSpec spec, long seed) {
    return of(ModelState.initialize(Specialization.generic(spec), seed, true));
  }

  /**
   * Loads a preset: a directory holding a keras-hub preset or a Hugging Face BERT checkpoint.
   */
  public static BertMaskedLM fromPreset(String source) {
    return fromPreset(source, PresetOptions.defaults());
  }

  /** Loads a preset with options. */
  public static BertMaskedLM fromPreset(String source, PresetOptions options) {
    return of(PresetLoader.load(source, options, null, true));
  }

  private static BertMaskedLM of(ModelState state) {
    BertBackbone backbone = new BertBackbone(state, state.specialization().kernels());
    BertMaskedLMPreprocessor pre = state.tokenizer() == null ? null
        : new BertMaskedLMPreprocessor(state.tokenizer(), state.specialization().spec().preprocessor());
    return new BertMaskedLM(backbone, state, pre);
  }

  public BertBackbone backbone() {
    return backbone;
  }

  /** The preprocessor, or {@code null} when the model has no vocabulary. */
  public BertMaskedLMPreprocessor preprocessor() {
    return preprocessor;
  }

  /**
   * Logits of the masked tokens: keras-hub's {@code predict} on preprocessed inputs.
   *
   * @return (batch, maskSlots, vocabulary) logits
   */
  public float[][][] predict(MaskedLMInputs x) {
    return backbone.runner().maskedLmLogits(x);
  }

  /**
   * keras' {@code compile}: sets the optimizer (the loss and metric are keras-hub's). A new model is
   * compiled with keras-hub's defaults (Adam 5e-5), as keras-hub's constructor does; compiling again
   * starts a fresh optimizer (step count and moments at zero).
   */
  public synchronized void compile(CompileOptions options) {
    this.compiled = java.util.Objects.requireNonNull(options, "options");
    this.iterations = 0;
    backbone.runner().resetOptimizer();
  }

  /** Leaves the model uncompiled, as keras-hub's {@code compile=False}: training then refuses to run. */
  public synchronized void uncompile() {
    this.compiled = null;
  }

  /** Whether {@link #compile} was called (or the model kept keras-hub's default compile). */
  public synchronized boolean isCompiled() {
    return compiled != null;
  }

  /** Number of optimizer updates since the last {@link #compile}. */
  public synchronized long iterations() {
    return iterations;
  }

  /**
   * The dropout rate of training steps, instead of the backbone config's (keras: building the
   * backbone with another {@code dropout}); 0 turns dropout off, as when reproducing a step taken
   * without it.
   */
  public synchronized void setDropoutRate(double rate) {
    if (!(rate >= 0 && rate < 1)) {
      throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + rate);
    }
    this.dropoutRate = rate;
  }

  /** The dropout rate training uses. */
  public synchronized double dropoutRate() {
    return Double.isNaN(dropoutRate) ? backbone.config().dropout() : dropoutRate;
  }

  /** Seed of the dropout masks of the next training steps. */
  public synchronized void setDropoutSeed(long seed) {
    this.dropoutSeed = seed;
  }

  /**
   * keras' {@code train_on_batch} on preprocessed inputs: one optimizer update, on the device.
   *
   * @param labels (batch, slots) token ids at the mask positions
   * @param sampleWeight (batch, slots) weights, 0 for padded slots
   * @return {@code loss} (keras-hub's: Σ weight·cross-entropy / (batch × slots)) and
   *     {@code sparse_categorical_accuracy} (weighted), as of before the update
   * @throws IllegalStateException when the model is not compiled
   */
  public synchronized java.util.Map<String, Double> trainOnBatch(MaskedLMInputs x, int[][] labels,
      float[][] sampleWeight) {
    StepResult r = trainStep(x, labels, sampleWeight);
    return metrics(r);
  }

  /** One update; the full result (sums, gradient norm). */
  synchronized StepResult trainStep(MaskedLMInputs x, int[][] labels, float[][] sampleWeight) {
    if (compiled == null) {
      throw new IllegalStateException("You must call compile() before training this model (it was created "
          + "uncompiled); for example mlm.compile(CompileOptions.defaults())");
    }
    long step = iterations + 1;
    float rate = (float) dropoutRate();
    Dropout dropout = rate > 0 ? new Dropout(rate, (int) (dropoutSeed ^ (dropoutSeed >>> 32)), (int) step)
        : Dropout.NONE;
    boolean trainBackbone = backbone.isTrainable();
    StepResult r = backbone.runner().step(x, labels, sampleWeight, dropout, trainBackbone,
        compiled.optimizer().step(step), trainableRanges(trainBackbone));
    iterations = step;
    return r;
  }

  /**
   * keras' {@code test_on_batch}: loss and weighted accuracy on preprocessed inputs, no update, no
   * dropout.
   */
  public synchronized java.util.Map<String, Double> testOnBatch(MaskedLMInputs x, int[][] labels,
      float[][] sampleWeight) {
    return metrics(testStep(x, labels, sampleWeight));
  }

  synchronized StepResult testStep(MaskedLMInputs x, int[][] labels, float[][] sampleWeight) {
    return backbone.runner().step(x, labels, sampleWeight, Dropout.NONE, false, null, java.util.List.of());
  }

  static java.util.Map<String, Double> metrics(StepResult r) {
    java.util.Map<String, Double> m = new java.util.LinkedHashMap<>();
    m.put("loss", r.loss());
    m.put("sparse_categorical_accuracy", r.accuracy());
    return m;
  }

  /**
   * {offset, length} ranges of the arena the optimizer updates: keras updates only variables with
   * gradients, so never the pooler (the masked LM does not use it), and with a frozen backbone only
   * the head (keras-hub: the tied token embedding freezes with the backbone).
   */
  private java.util.List<int[]> trainableRanges(boolean trainBackbone) {
    java.util.List<int[]> ranges = new java.util.ArrayList<>();
    for (dev.bertgen.layers.Variable v : weights.layout().variables()) {
      boolean trains = v.backbone() ? trainBackbone && !v.path().startsWith("pooled_dense/") : true;
      if (!trains) {
        continue;
      }
      int[] last = ranges.isEmpty() ? null : ranges.get(ranges.size() - 1);
      if (last != null && last[0] + last[1] == v.offset()) {
        last[1] += v.size();
      } else {
        ranges.add(new int[] {v.offset(), v.size()});
      }
    }
    return ranges;
  }

  /** Backbone plus head parameters. */
  @Override
  public long parameterCount() {
    return weights.layout().size();
  }

  /** Copies of every variable (backbone and head) by Keras path, in Keras shapes. */
  public Map<String, float[]> getWeights() {
    backbone.syncParameters();
    return weights.toMap(false);
  }

  /** The state this model was built from. */
  protected ModelState state() {
    return state;
  }
}
