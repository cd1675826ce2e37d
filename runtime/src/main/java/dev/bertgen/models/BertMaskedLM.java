package dev.bertgen.models;

import dev.bertgen.layers.Dropout;
import dev.bertgen.layers.ModelWeights;
import dev.bertgen.preprocessing.MaskedLMBatch;
import dev.bertgen.preprocessing.MaskedLMInputs;
import dev.bertgen.preprocessing.PackedInputs;
import dev.bertgen.training.CompileOptions;
import dev.bertgen.training.NonFiniteLossException;
import dev.bertgen.training.StepResult;
import dev.bertgen.presets.loading.PresetWriter;
import dev.bertgen.spec.PresetSpec;
import dev.bertgen.spec.TokenizerConfig;
import dev.bertgen.tokenizers.TokenizerFiles;
import dev.bertgen.training.EvaluateOptions;
import dev.bertgen.training.FitOptions;
import dev.bertgen.training.History;
import dev.bertgen.training.GradientExchange;
import dev.bertgen.training.OptimizerState;
import dev.bertgen.training.ParameterRange;
import dev.bertgen.training.Trainable;
import dev.bertgen.training.Trainer;
import java.util.ArrayList;
import java.util.List;
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
public class BertMaskedLM extends MaskedLM implements AutoCloseable {
  private final BertBackbone backbone;
  private final ModelWeights weights;
  private volatile BertMaskedLMPreprocessor preprocessor;
  /** The preprocessor fill-mask uses ([MASK] recognized in strings), made from {@link #preprocessor}. */
  private BertMaskedLMPreprocessor fillMaskPreprocessor;
  /** fillMask computes sequences as long as its longest text, rounded up to a multiple of this. */
  static final int FILL_MASK_LENGTH_STEP = 16;
  private volatile boolean stopRequested;
  private final ModelState state;
  private CompileOptions compiled = CompileOptions.defaults();
  private long iterations;
  private long dropoutSeed = PresetOptions.DEFAULT_SEED;
  private double dropoutRate = Double.NaN;
  private GradientExchange gradientExchange = GradientExchange.LOCAL;
  /** The head, loss and optimizer on the device; see {@link #onDevice()}. */
  private MaskedLMRunner running;

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
    if (state.device() != null) {
      backbone.setDevice(state.device());
    }
  }

  /** A masked LM for any preset, initialized as keras-hub initializes it. */
  public static BertMaskedLM create(PresetSpec spec, long seed) {
    return of(ModelState.initialize(Specialization.generic(spec), seed, true));
  }

  /**
   * Loads a preset: a built-in preset name ({@link #presets()}), a
   * {@code kaggle://owner/model/framework/variation[/version]} handle, an {@code hf://org/name}
   * repository (both from Python's kagglehub and huggingface_hub caches, or downloaded into them), or
   * a directory holding a keras-hub preset or a Hugging Face BERT checkpoint. A preset saved as another
   * task (keras-hub's {@code BertTextClassifier}) loads its backbone with a fresh MaskedLM head, as
   * keras-hub does.
   *
   * @throws dev.bertgen.presets.PresetException naming the source and the fix when it cannot be
   *     found, downloaded or read
   */
  public static BertMaskedLM fromPreset(String source) {
    return fromPreset(source, PresetOptions.defaults());
  }

  /** Loads a preset with options (weights or keras-hub's initializers, device, sequence length, hub). */
  public static BertMaskedLM fromPreset(String source, PresetOptions options) {
    return of(ModelState.load(source, options, null, true));
  }

  /**
   * Saves this model as a keras-hub preset in {@code dir} (config.json, model.weights.h5, task.json,
   * task.weights.h5, preprocessor.json, tokenizer.json, assets/tokenizer/vocabulary.txt,
   * metadata.json), which both {@link #fromPreset(String)} and Python's
   * {@code keras_hub.models.BertMaskedLM.from_preset} load. The save is atomic: a process killed while
   * saving leaves the previous preset in {@code dir}, or the new one.
   *
   * @throws dev.bertgen.presets.PresetException when {@code dir} is a file or a non-empty directory
   *     that is not a preset, or cannot be written
   */
  public void saveToPreset(java.nio.file.Path dir) {
    ModelWeights copy = ModelWeights.zeros(weights.layout());
    getWeights().forEach(copy::set);
    // the tokenizer in use: the preprocessor's (set by setPreprocessor on a model created without one)
    BertTokenizer t = preprocessor != null ? preprocessor.tokenizer() : state.tokenizer();
    PresetWriter.SavedTokenizer saved = t == null ? null
        : new PresetWriter.SavedTokenizer(t.config(), t.vocabulary(), t.options().specialTokensInStrings());
    PresetWriter.save(dir, new PresetWriter.Content(backbone.config(), copy, saved,
        preprocessor == null ? null : preprocessor.config()));
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
   * Replaces the preprocessor that {@code fit}, {@code evaluate}, {@code predict} and
   * {@code fillMask} apply to raw strings (keras-hub: {@code masked_lm.preprocessor = ...}), for
   * example with a shorter sequence length:
   * {@code mlm.setPreprocessor(mlm.preprocessor().withSequenceLength(128).withMaskSelectionLength(20))}.
   *
   * @throws IllegalArgumentException when its vocabulary size differs from the model's
   */
  public synchronized void setPreprocessor(BertMaskedLMPreprocessor value) {
    Objects.requireNonNull(value, "preprocessor");
    int v = backbone.config().vocabularySize();
    if (value.tokenizer().vocabularySize() != v) {
      throw new IllegalArgumentException("the preprocessor's tokenizer has " + value.tokenizer().vocabularySize()
          + " tokens but this model's vocabulary_size is " + v + "; use the tokenizer of the model's preset");
    }
    if (value.config().sequenceLength() > backbone.config().maxSequenceLength()) {
      throw new IllegalArgumentException("the preprocessor's sequence_length " + value.config().sequenceLength()
          + " is above this model's max_sequence_length " + backbone.config().maxSequenceLength()
          + "; use withSequenceLength(" + backbone.config().maxSequenceLength() + ") or less");
    }
    this.preprocessor = value;
    this.fillMaskPreprocessor = null;
  }

  /**
   * Logits of the masked tokens: keras-hub's {@code predict} on preprocessed inputs.
   *
   * @return (batch, maskSlots, vocabulary) logits
   */
  public float[][][] predict(MaskedLMInputs x) {
    return onDevice().logits(x);
  }

  /**
   * {@link #predict(MaskedLMInputs)} in batches of {@code batchSize} examples (the logits of a
   * large batch at once can take a lot of memory: batch × slots × vocabulary floats).
   */
  public float[][][] predict(MaskedLMInputs x, int batchSize) {
    requireBatchSize(batchSize);
    int n = x.batchSize();
    float[][][] out = new float[n][][];
    for (int from = 0; from < n; from += batchSize) {
      int to = Math.min(n, from + batchSize);
      float[][][] part = predict(x.rows(from, to));
      System.arraycopy(part, 0, out, from, part.length);
    }
    return out;
  }

  /**
   * keras-hub's {@code predict} on raw strings: the preprocessor masks them (with its next call
   * seed) and the model predicts the masked tokens, in batches of 32.
   */
  public MaskedLMPredictions predict(List<String> texts) {
    MaskedLMBatch batch = requirePreprocessor("predict").call(texts);
    return new MaskedLMPredictions(batch, predict(batch.inputs(), 32));
  }

  /**
   * Fill-mask: the {@code topK} most probable tokens for each {@code [MASK]} of {@code text}.
   *
   * <pre>{@code
   * List<MaskPrediction> p = mlm.fillMask("The capital of France is [MASK].", 5);
   * p.get(0).best().token();   // "paris" for a trained model
   * }</pre>
   *
   * @return one prediction per [MASK], in text order
   * @throws IllegalArgumentException when the text has no [MASK], or a [MASK] falls beyond the
   *     preprocessor's sequence length
   */
  public List<MaskPrediction> fillMask(String text, int topK) {
    return fillMask(List.of(Objects.requireNonNull(text, "text")), topK).get(0);
  }

  /** {@link #fillMask(String, int)} for several texts, 32 at a time. */
  public List<List<MaskPrediction>> fillMask(List<String> texts, int topK) {
    Objects.requireNonNull(texts, "texts");
    if (topK < 1) {
      throw new IllegalArgumentException("topK must be at least 1, got " + topK + " (5 is usual)");
    }
    BertMaskedLMPreprocessor fill = fillMaskPreprocessor();
    BertTokenizer tokenizer = fill.tokenizer();
    int maskId = tokenizer.maskId();
    String mask = tokenizer.idToToken(maskId);
    int k = Math.min(topK, backbone.config().vocabularySize());
    List<List<MaskPrediction>> out = new ArrayList<>(texts.size());
    for (int from = 0; from < texts.size(); from += 32) {
      List<String> chunk = texts.subList(from, Math.min(texts.size(), from + 32));
      PackedInputs packed = fill.pack(chunk);
      int[][] positions = packed.positionsOf(maskId);
      int[] counts = new int[chunk.size()];
      for (int i = 0; i < chunk.size(); i++) {
        String text = chunk.get(i);
        for (int p : positions[i]) {
          counts[i] += p > 0 ? 1 : 0; // position 0 is [CLS]: slots past the row's masks hold 0
        }
        int inText = 0;
        for (int id : tokenizer.tokenize(text)) {
          inText += id == maskId ? 1 : 0;
        }
        if (inText == 0) {
          throw new IllegalArgumentException("text " + (from + i) + " (\"" + abbreviate(text) + "\") has no " + mask
              + " token; write " + mask + " where the model should fill in a word, e.g. \"Paris is the "
              + mask + " of France.\"");
        }
        if (inText > counts[i]) {
          throw new IllegalArgumentException("text " + (from + i) + " (\"" + abbreviate(text) + "\") has " + inText
              + " " + mask + " tokens but only " + counts[i] + " fall within the sequence length "
              + fill.config().sequenceLength() + "; shorten the text or use a preprocessor with a longer "
              + "sequence length (setPreprocessor)");
        }
      }
      // the packer pads to the preprocessor's length (often 512): compute only up to the longest text
      float[][][] logits = predict(packed.withMaskPositions(positions).withoutTrailingPadding(FILL_MASK_LENGTH_STEP));
      for (int i = 0; i < chunk.size(); i++) {
        List<MaskPrediction> row = new ArrayList<>(counts[i]);
        for (int j = 0; j < counts[i]; j++) {
          row.add(new MaskPrediction(positions[i][j], topCandidates(logits[i][j], k, tokenizer)));
        }
        out.add(List.copyOf(row));
      }
    }
    return List.copyOf(out);
  }

  /** The {@code k} largest softmax probabilities of {@code logits}, largest first (ties: lower id). */
  static List<FillMaskCandidate> topCandidates(float[] logits, int k, BertTokenizer tokenizer) {
    double max = Double.NEGATIVE_INFINITY;
    for (float l : logits) {
      max = Math.max(max, l);
    }
    double sum = 0;
    for (float l : logits) {
      sum += Math.exp(l - max);
    }
    // A min-heap of the k best ids.
    java.util.PriorityQueue<Integer> heap = new java.util.PriorityQueue<>(k + 1, (a, b) ->
        logits[a] != logits[b] ? Float.compare(logits[a], logits[b]) : Integer.compare(b, a));
    for (int id = 0; id < logits.length; id++) {
      heap.add(id);
      if (heap.size() > k) {
        heap.poll();
      }
    }
    FillMaskCandidate[] best = new FillMaskCandidate[heap.size()];
    for (int i = best.length - 1; i >= 0; i--) {
      int id = heap.poll();
      best[i] = new FillMaskCandidate(tokenizer.idToToken(id), id, Math.exp(logits[id] - max) / sum);
    }
    return List.of(best);
  }

  private static String abbreviate(String text) {
    return text.length() <= 60 ? text : text.substring(0, 57) + "...";
  }

  private synchronized BertMaskedLMPreprocessor fillMaskPreprocessor() {
    BertMaskedLMPreprocessor p = requirePreprocessor("fillMask");
    if (fillMaskPreprocessor == null) {
      fillMaskPreprocessor = new BertMaskedLMPreprocessor(p.tokenizer().withSpecialTokensInStrings(true),
          p.config(), p.seed()).withParallelism(p.parallelism());
    }
    return fillMaskPreprocessor;
  }

  private BertMaskedLMPreprocessor requirePreprocessor(String method) {
    BertMaskedLMPreprocessor p = preprocessor;
    if (p == null) {
      throw new IllegalStateException(method + " on raw strings needs a tokenizer, and this model has none: "
          + whyNoTokenizer() + "pass preprocessed MaskedLMInputs / MaskedLMBatch, or call "
          + "setPreprocessor(new BertMaskedLMPreprocessor(tokenizer, config))");
    }
    return p;
  }

  /** Why the model has no tokenizer (where the loader looked, or the preset it was created from) and a fix. */
  private String whyNoTokenizer() {
    if (state.source().equals("created")) {
      return "it was created from preset \"" + state.specialization().spec().name() + "\", whose vocabulary is "
          + "not bundled with BertGen. Load a preset that has one, ";
    }
    return state.source() + " has no tokenizer (the loader looked there for " + TokenizerFiles.TOKENIZER_JSON
        + ", " + TokenizerFiles.VOCAB_TXT + " and " + TokenizerConfig.DEFAULT_VOCABULARY_ASSET + "). Copy the "
        + "preset's tokenizer files there and load it again, ";
  }

  private static void requireBatchSize(int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
    }
  }

  /**
   * keras' {@code fit} on raw strings with keras' defaults (batch 32, one epoch): the preprocessor
   * masks every epoch anew, as keras-hub's dataset pipeline does.
   */
  public History fit(List<String> texts) {
    return fit(texts, FitOptions.defaults());
  }

  /**
   * keras' {@code fit} on raw strings: each epoch shuffles them, and each batch is masked with a
   * seed drawn from {@link FitOptions#seed()}, the epoch and the batch (dynamic masking; the same
   * options give the same run). Prints progress as {@link FitOptions#verbosity()} says; returns
   * between batches when {@link #stopTraining()} is called, the thread is interrupted, or the time
   * limit passes, with the model holding every completed update.
   *
   * @throws IllegalStateException when the model is not compiled
   */
  public History fit(List<String> texts, FitOptions options) {
    Objects.requireNonNull(texts, "texts");
    Objects.requireNonNull(options, "options");
    BertMaskedLMPreprocessor p = requirePreprocessor("fit");
    return fitBatches(Trainer.texts(p::call, texts, "the training texts"), options);
  }

  /**
   * {@code fit} on batches from {@code source} ({@link Trainer#texts} and {@link Trainer#preprocessed}
   * make the usual ones; data-parallel training gives its own, masking each example by its place in
   * the whole data).
   */
  public History fit(Trainer.Source<MaskedLMBatch> source, FitOptions options) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(options, "options");
    return fitBatches(source, options);
  }

  /** keras' {@code fit(x, y, sample_weight)} on preprocessed data (masks fixed). */
  public History fit(MaskedLMBatch data, FitOptions options) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(options, "options");
    return fitBatches(Trainer.preprocessed(data, "the training data"), options);
  }

  /** keras' {@code fit(x, y, sample_weight)} on preprocessed inputs, labels and weights. */
  public History fit(MaskedLMInputs x, int[][] labels, float[][] sampleWeight, FitOptions options) {
    return fit(new MaskedLMBatch(x, labels, sampleWeight), options);
  }

  private History fitBatches(Trainer.Source<MaskedLMBatch> train, FitOptions options) {
    requireCompiled("fit");
    Trainer.Source<MaskedLMBatch> validation = null;
    if (options.validationTexts() != null) {
      validation = Trainer.texts(requirePreprocessor("fit with validationTexts")::call, options.validationTexts(),
          "validationTexts");
    } else if (options.validationData() != null) {
      if (!(options.validationData() instanceof MaskedLMBatch data)) {
        throw new IllegalArgumentException("validationData is a " + options.validationData().getClass().getSimpleName()
            + "; a masked LM evaluates a MaskedLMBatch (its preprocessor's call)");
      }
      validation = Trainer.preprocessed(data, "validationData");
    }
    stopRequested = false;
    return Trainer.fit(trainable(), train, validation, options);
  }

  /** This model's steps, for {@link Trainer}'s loops. */
  private Trainable<MaskedLMBatch> trainable() {
    return new Trainable<>() {
      @Override
      public StepResult trainStep(MaskedLMBatch b, boolean refuseNonFinite) {
        return BertMaskedLM.this.trainStep(b.inputs(), b.labels(), b.sampleWeights(), "fit", refuseNonFinite);
      }

      @Override
      public StepResult testStep(MaskedLMBatch b) {
        return BertMaskedLM.this.testStep(b.inputs(), b.labels(), b.sampleWeights());
      }

      @Override
      public boolean stopRequested() {
        return BertMaskedLM.this.stopRequested();
      }
    };
  }

  /**
   * Asks a running {@code fit} to return after its current batch (keras'
   * {@code model.stop_training = True}); safe to call from any thread or a listener.
   */
  public void stopTraining() {
    stopRequested = true;
  }

  boolean stopRequested() {
    return stopRequested;
  }

  /** keras' {@code evaluate} on raw strings (masked with a fixed seed), batch 32. */
  public Map<String, Double> evaluate(List<String> texts) {
    return evaluate(texts, EvaluateOptions.defaults());
  }

  /**
   * keras' {@code evaluate(return_dict=True)} on raw strings: {@code loss},
   * {@code sparse_categorical_accuracy} and {@code masked_token_loss} over all texts, dropout off.
   */
  public Map<String, Double> evaluate(List<String> texts, EvaluateOptions options) {
    Objects.requireNonNull(texts, "texts");
    return Trainer.evaluate(trainable(), Trainer.texts(requirePreprocessor("evaluate")::call, texts, "the texts"),
        options);
  }

  /** keras' {@code evaluate(x, y, sample_weight, return_dict=True)} on preprocessed data. */
  public Map<String, Double> evaluate(MaskedLMBatch data, EvaluateOptions options) {
    Objects.requireNonNull(data, "data");
    return Trainer.evaluate(trainable(), Trainer.preprocessed(data, "the data"), options);
  }

  /**
   * keras' {@code compile}: sets the optimizer (the loss and metric are keras-hub's). A new model is
   * compiled with keras-hub's defaults (Adam 5e-5), as keras-hub's constructor does; compiling again
   * starts a fresh optimizer (step count and moments at zero).
   */
  public synchronized void compile(CompileOptions options) {
    this.compiled = java.util.Objects.requireNonNull(options, "options");
    this.iterations = 0;
    onDevice().resetOptimizer();
  }

  /**
   * The optimizer's state (step count and Adam's moments), to save with a checkpoint and give back
   * to {@link #setOptimizerState} when resuming.
   */
  public synchronized OptimizerState optimizerState() {
    float[][] m = onDevice().moments();
    int n = (int) parameterCount();
    return m == null ? new OptimizerState(iterations, new float[n], new float[n])
        : new OptimizerState(iterations, m[0], m[1]);
  }

  /**
   * Continues an optimizer saved by {@link #optimizerState()}: the step count (and with it the
   * learning-rate schedule) and Adam's moments. Call after {@link #compile}, which starts a fresh
   * optimizer.
   *
   * @throws IllegalStateException when the model is not compiled
   * @throws IllegalArgumentException when the state covers another number of parameters
   */
  public synchronized void setOptimizerState(OptimizerState state) {
    java.util.Objects.requireNonNull(state, "state");
    requireCompiled("setOptimizerState");
    if (state.size() != parameterCount()) {
      throw new IllegalArgumentException("the optimizer state covers " + state.size() + " parameters but this model "
          + "has " + parameterCount() + "; it was saved from another architecture");
    }
    onDevice().setMoments(state.firstMoments(), state.secondMoments());
    this.iterations = state.iterations();
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
   * @throws NonFiniteLossException when the loss or the gradient norm is NaN or infinite; the update
   *     is then not applied
   */
  public synchronized java.util.Map<String, Double> trainOnBatch(MaskedLMInputs x, int[][] labels,
      float[][] sampleWeight) {
    StepResult r = trainStep(x, labels, sampleWeight, "trainOnBatch", true);
    return metrics(r);
  }

  /** One update; the full result (sums, gradient norm). */
  synchronized StepResult trainStep(MaskedLMInputs x, int[][] labels, float[][] sampleWeight) {
    return trainStep(x, labels, sampleWeight, "trainOnBatch", true);
  }

  /**
   * One optimizer update.
   *
   * @param refuseNonFinite whether a step with a non-finite loss or gradient norm is refused (the
   *     weights, the optimizer and {@link #iterations()} stay as they were) with a
   *     {@link NonFiniteLossException}; otherwise it is applied, as keras does without
   *     {@code TerminateOnNaN}
   * @throws NonFiniteLossException when the step is refused
   */
  synchronized StepResult trainStep(MaskedLMInputs x, int[][] labels, float[][] sampleWeight, String method,
      boolean refuseNonFinite) {
    requireCompiled(method);
    long step = iterations + 1;
    float rate = (float) dropoutRate();
    Dropout dropout = rate > 0 ? new Dropout(rate, (int) (dropoutSeed ^ (dropoutSeed >>> 32)), (int) step)
        : Dropout.NONE;
    boolean trainBackbone = backbone.isTrainable();
    StepResult r = onDevice().step(x, labels, sampleWeight, dropout, trainBackbone,
        compiled.optimizer().step(step), trainableRanges(trainBackbone), !refuseNonFinite, gradientExchange);
    if (refuseNonFinite && r.nonFinite()) {
      throw new NonFiniteLossException(step, -1, -1, r.loss(), r.gradientNorm(),
          compiled.optimizer().learningRate().at(step));
    }
    iterations = step;
    return r;
  }

  /** keras' check, with its message: "You must call `compile()` before calling `fit()`." */
  private synchronized void requireCompiled(String method) {
    if (compiled == null) {
      throw new IllegalStateException("You must call `compile()` before calling `" + method + "()`. For "
          + "keras-hub's defaults: mlm.compile(CompileOptions.defaults())");
    }
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
    return onDevice().step(x, labels, sampleWeight, Dropout.NONE, false, null, java.util.List.of(), false,
        GradientExchange.LOCAL);
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
  private List<ParameterRange> trainableRanges(boolean trainBackbone) {
    List<ParameterRange> ranges = new ArrayList<>();
    for (dev.bertgen.layers.Variable v : weights.layout().variables()) {
      boolean trains = v.backbone() ? trainBackbone && !v.path().startsWith("pooled_dense/") : true;
      if (trains) {
        ParameterRange.append(ranges, new ParameterRange(v.offset(), v.size()));
      }
    }
    return ranges;
  }

  /**
   * Sets the gradient exchange of the next training steps: the seam between backward and the
   * optimizer update (data-parallel training sums the workers' gradients there); by default
   * {@link GradientExchange#LOCAL}.
   */
  public synchronized void setGradientExchange(GradientExchange exchange) {
    this.gradientExchange = Objects.requireNonNull(exchange, "exchange");
  }

  /**
   * This model's head, loss and optimizer on the backbone's device, made again (with Adam's moments)
   * after a device change.
   */
  synchronized MaskedLMRunner onDevice() {
    BackboneRunner b = backbone.onDevice();
    if (running == null || running.backbone() != b) {
      float[][] moments = running == null ? null : running.savedMoments();
      running = new MaskedLMRunner(b);
      if (moments != null) {
        running.setMoments(moments[0], moments[1]);
      }
    }
    return running;
  }

  /**
   * Frees the model's device context (its OpenCL buffers and the arrays bound to them), keeping the
   * trained weights and Adam's moments on the host; the next call starts again on its device. A model
   * that is never closed is freed once it is no longer reachable ({@link BertBackbone#close()}).
   */
  @Override
  public synchronized void close() {
    backbone.close();
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
