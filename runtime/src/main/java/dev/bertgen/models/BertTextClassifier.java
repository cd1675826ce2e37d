package dev.bertgen.models;

import dev.bertgen.dsl.Truncation;
import dev.bertgen.layers.Dropout;
import dev.bertgen.layers.ModelWeights;
import dev.bertgen.layers.Variable;
import dev.bertgen.preprocessing.PackedInputs;
import dev.bertgen.preprocessing.TextClassifierBatch;
import dev.bertgen.presets.loading.PresetWriter;
import dev.bertgen.spec.PresetSpec;
import dev.bertgen.training.CompileOptions;
import dev.bertgen.training.EvaluateOptions;
import dev.bertgen.training.FitOptions;
import dev.bertgen.training.GradientExchange;
import dev.bertgen.training.History;
import dev.bertgen.training.NonFiniteLossException;
import dev.bertgen.training.OptimizerState;
import dev.bertgen.training.ParameterRange;
import dev.bertgen.training.StepResult;
import dev.bertgen.training.Trainable;
import dev.bertgen.training.Trainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * keras-hub's {@code BertTextClassifier}: a {@link BertBackbone}'s pooled output (the tanh pooler on
 * [CLS]), {@code Dropout} ({@code classifier_dropout}) and {@code Dense(num_classes)} ({@code logits}),
 * with a {@link BertTextClassifierPreprocessor}. Trains and predicts on the backbone's device.
 *
 * <pre>{@code
 * BertTextClassifier c = BertTextClassifier.fromPreset("bert_tiny_en_uncased", 2);  // fresh head
 * c.fit(texts, labels, FitOptions.builder().epochs(3).build());                      // Adam(5e-5) by default
 * float[][] logits = c.predict(List.of("a great movie"));
 * BertTextClassifier sst2 = BertTextClassifier.fromPreset("bert_tiny_en_uncased_sst2"); // its saved head
 * }</pre>
 */
public class BertTextClassifier extends TextClassifier implements AutoCloseable {
  /** keras-hub's default optimizer for a text classifier is Adam(5e-5). */
  public static final double DEFAULT_LEARNING_RATE = 5e-5;

  private final BertBackbone backbone;
  private final ModelState state;
  private final ModelWeights weights;
  private volatile TextClassifierConfig head;
  private volatile BertTextClassifierPreprocessor preprocessor;
  private volatile boolean stopRequested;
  private CompileOptions compiled = CompileOptions.defaults();
  private long iterations;
  private long dropoutSeed = PresetOptions.DEFAULT_SEED;
  private double dropoutRate = Double.NaN;
  private GradientExchange gradientExchange = GradientExchange.LOCAL;
  /** The head, loss and optimizer on the device; see {@link #onDevice()}. */
  private TextClassifierRunner running;

  /**
   * @param backbone the backbone, built on {@code state.model()}
   * @param state weights with a text classifier head, tokenizer, and the classifier's arguments
   * @param preprocessor the preprocessor, or {@code null} when the preset has no vocabulary
   */
  protected BertTextClassifier(BertBackbone backbone, ClassifierState state,
      BertTextClassifierPreprocessor preprocessor) {
    this.backbone = Objects.requireNonNull(backbone, "backbone");
    Objects.requireNonNull(state, "state");
    this.state = state.model();
    this.weights = this.state.weights();
    this.head = state.head();
    this.preprocessor = preprocessor;
    if (this.state.device() != null) {
      backbone.setDevice(this.state.device());
    }
  }

  /** A classifier for any preset's backbone, initialized as keras-hub initializes it (keras-hub's defaults). */
  public static BertTextClassifier create(PresetSpec spec, int numClasses, long seed) {
    return of(ClassifierState.initialize(Specialization.generic(spec), seed, numClasses));
  }

  /**
   * A classifier with the arguments of {@code config}: keras-hub's
   * {@code BertTextClassifier(backbone, num_classes, activation="softmax", dropout=0.2)}, for example
   * {@code create(spec, TextClassifierConfig.defaults(3).withActivation(ClassifierActivation.SOFTMAX), seed)}.
   */
  public static BertTextClassifier create(PresetSpec spec, TextClassifierConfig config, long seed) {
    return of(ClassifierState.initialize(Specialization.generic(spec), seed, config));
  }

  /**
   * Loads a classifier preset with the head it saved (keras-hub's {@code from_preset} without
   * {@code num_classes}): a directory, a built-in name such as {@code bert_tiny_en_uncased_sst2},
   * {@code kaggle://} or {@code hf://} (a Hugging Face {@code BertForSequenceClassification} keeps its
   * {@code id2label} as class names).
   *
   * @throws dev.bertgen.presets.PresetException for a masked-LM or backbone-only preset (pass
   *     numClasses), and when the preset cannot be found or read
   */
  public static BertTextClassifier fromPreset(String source) {
    return fromPreset(source, PresetOptions.defaults());
  }

  /** {@link #fromPreset(String)} with options. */
  public static BertTextClassifier fromPreset(String source, PresetOptions options) {
    return of(ClassifierState.load(source, options, null, null));
  }

  /**
   * Any BERT preset's backbone (a masked LM saved by BertGen too) with a fresh head of
   * {@code numClasses} classes, initialized from {@link PresetOptions#seed()}; as keras-hub, even a
   * classifier preset's head is replaced when {@code numClasses} is given.
   */
  public static BertTextClassifier fromPreset(String source, int numClasses) {
    return fromPreset(source, numClasses, PresetOptions.defaults());
  }

  /** {@link #fromPreset(String, int)} with options. */
  public static BertTextClassifier fromPreset(String source, int numClasses, PresetOptions options) {
    return of(ClassifierState.load(source, options, null, numClasses));
  }

  /**
   * Any BERT preset's backbone with a fresh head of {@code config}'s arguments: keras-hub's
   * {@code from_preset(source, num_classes=3, activation="softmax", dropout=0.2)}.
   */
  public static BertTextClassifier fromPreset(String source, TextClassifierConfig config, PresetOptions options) {
    return of(ClassifierState.loadFreshHead(source, options, null, config));
  }

  private static BertTextClassifier of(ClassifierState s) {
    ModelState m = s.model();
    BertBackbone backbone = new BertBackbone(m, m.specialization().kernels());
    BertTextClassifierPreprocessor pre = m.tokenizer() == null ? null
        : defaultPreprocessor(m.tokenizer(), m.specialization().spec().preprocessor().sequenceLength(),
            m.specialization().spec().preprocessor().truncate(), m.config().maxSequenceLength());
    return new BertTextClassifier(backbone, s, pre);
  }

  /** The preset's sequence length and truncation, at most the model's {@code max_sequence_length}. */
  static BertTextClassifierPreprocessor defaultPreprocessor(BertTokenizer tokenizer, int sequenceLength,
      Truncation truncate, int maxSequenceLength) {
    return new BertTextClassifierPreprocessor(tokenizer, Math.min(sequenceLength, maxSequenceLength), truncate);
  }

  public BertBackbone backbone() {
    return backbone;
  }

  /** The preprocessor, or {@code null} when the model has no vocabulary. */
  public BertTextClassifierPreprocessor preprocessor() {
    return preprocessor;
  }

  /**
   * Replaces the preprocessor that {@code fit}, {@code evaluate} and {@code predict} apply to raw
   * strings (keras-hub: {@code classifier.preprocessor = ...}), for example with a shorter sequence:
   * {@code c.setPreprocessor(c.preprocessor().withSequenceLength(128))}.
   *
   * @throws IllegalArgumentException when its vocabulary size differs from the model's, or its
   *     sequence length exceeds the model's {@code max_sequence_length}
   */
  public synchronized void setPreprocessor(BertTextClassifierPreprocessor value) {
    Objects.requireNonNull(value, "preprocessor");
    int v = backbone.config().vocabularySize();
    if (value.tokenizer().vocabularySize() != v) {
      throw new IllegalArgumentException("the preprocessor's tokenizer has " + value.tokenizer().vocabularySize()
          + " tokens but this model's vocabulary_size is " + v + "; use the tokenizer of the model's preset");
    }
    if (value.sequenceLength() > backbone.config().maxSequenceLength()) {
      throw new IllegalArgumentException("the preprocessor's sequence_length " + value.sequenceLength()
          + " is above this model's max_sequence_length " + backbone.config().maxSequenceLength()
          + "; use withSequenceLength(" + backbone.config().maxSequenceLength() + ") or less");
    }
    this.preprocessor = value;
  }

  /** The classifier's arguments: number of classes, activation, dropout, class names. */
  public TextClassifierConfig classifierConfig() {
    return head;
  }

  /**
   * Names the classes (in id order; empty for none): {@code predict}'s callers and the app show them,
   * and {@link #saveToPreset} keeps them.
   *
   * @throws IllegalArgumentException unless there is one name per class (or none)
   */
  public synchronized void setClassNames(List<String> names) {
    this.head = head.withClassNames(names);
  }

  /** Number of classes. */
  public int numClasses() {
    return head.numClasses();
  }

  // ---- prediction

  /**
   * keras' {@code predict} on preprocessed inputs, 32 examples at a time: (batch, classes) logits, or
   * probabilities when the activation is softmax.
   */
  public float[][] predict(PackedInputs x) {
    Objects.requireNonNull(x, "x");
    int n = x.tokenIds().length;
    float[][] out = new float[n][];
    for (int from = 0; from < n; from += 32) {
      int to = Math.min(n, from + 32);
      float[][] part = onDevice().logits(rows(x, from, to));
      System.arraycopy(part, 0, out, from, part.length);
    }
    if (head.activation() == ClassifierActivation.SOFTMAX) {
      for (float[] row : out) {
        softmaxInPlace(row);
      }
    }
    return out;
  }

  /** keras' {@code predict} on raw strings (one segment each). */
  public float[][] predict(List<String> texts) {
    return predict(requirePreprocessor("predict").call(requireTexts(texts, "texts")));
  }

  /** keras' {@code predict} on sentence pairs: row i is {@code first[i]} and {@code second[i]}. */
  public float[][] predict(List<String> first, List<String> second) {
    return predict(requirePreprocessor("predict").call(requireTexts(first, "first"), requireTexts(second, "second")));
  }

  /** Softmax probabilities of each row: of the logits, or the classifier's own with a softmax activation. */
  public float[][] predictProbabilities(List<String> texts) {
    return probabilities(predict(texts));
  }

  /** {@link #predictProbabilities(List)} for sentence pairs. */
  public float[][] predictProbabilities(List<String> first, List<String> second) {
    return probabilities(predict(first, second));
  }

  private float[][] probabilities(float[][] out) {
    if (head.activation() != ClassifierActivation.SOFTMAX) {
      for (float[] row : out) {
        softmaxInPlace(row);
      }
    }
    return out;
  }

  static void softmaxInPlace(float[] row) {
    double max = Double.NEGATIVE_INFINITY;
    for (float v : row) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (float v : row) {
      sum += Math.exp(v - max);
    }
    for (int i = 0; i < row.length; i++) {
      row[i] = (float) (Math.exp(row[i] - max) / sum);
    }
  }

  private static PackedInputs rows(PackedInputs x, int from, int to) {
    if (from == 0 && to == x.tokenIds().length) {
      return x;
    }
    return new PackedInputs(java.util.Arrays.copyOfRange(x.tokenIds(), from, to),
        java.util.Arrays.copyOfRange(x.paddingMask(), from, to), java.util.Arrays.copyOfRange(x.segmentIds(), from, to));
  }

  private static List<String> requireTexts(List<String> texts, String what) {
    Objects.requireNonNull(texts, what);
    if (texts.isEmpty()) {
      throw new IllegalArgumentException(what + " is empty; give at least one text");
    }
    return texts;
  }

  // ---- training

  /** keras' {@code compile}: sets the optimizer; compiling again starts a fresh optimizer. */
  public synchronized void compile(CompileOptions options) {
    this.compiled = Objects.requireNonNull(options, "options");
    this.iterations = 0;
    onDevice().resetOptimizer();
  }

  /** Leaves the model uncompiled ({@code compile=False}): training then refuses to run. */
  public synchronized void uncompile() {
    this.compiled = null;
  }

  /** Whether the model is compiled (a new one is, with keras-hub's defaults). */
  public synchronized boolean isCompiled() {
    return compiled != null;
  }

  /** Number of optimizer updates since the last {@link #compile}. */
  public synchronized long iterations() {
    return iterations;
  }

  /** The backbone's dropout rate of training steps instead of the config's (0 turns it off). */
  public synchronized void setDropoutRate(double rate) {
    if (!(rate >= 0 && rate < 1)) {
      throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + rate);
    }
    this.dropoutRate = rate;
  }

  /** The backbone's dropout rate in training. */
  public synchronized double dropoutRate() {
    return Double.isNaN(dropoutRate) ? backbone.config().dropout() : dropoutRate;
  }

  /** Seed of the dropout masks of the next training steps. */
  public synchronized void setDropoutSeed(long seed) {
    this.dropoutSeed = seed;
  }

  /**
   * keras' {@code fit} on texts and their class ids: each epoch shuffles them (see
   * {@link FitOptions}); progress, validation ({@link FitOptions#validationData} a
   * {@link TextClassifierBatch}), listeners and stopping as for the masked LM.
   *
   * @throws IllegalStateException when the model is not compiled or has no tokenizer
   * @throws IllegalArgumentException when the labels do not match the texts or a label is not a class
   */
  public History fit(List<String> texts, int[] labels, FitOptions options) {
    BertTextClassifierPreprocessor p = requirePreprocessor("fit");
    return fit(p.call(requireTexts(texts, "texts"), checkLabels(labels, texts.size())), options);
  }

  /** keras' {@code fit} on sentence pairs and their class ids. */
  public History fit(List<String> first, List<String> second, int[] labels, FitOptions options) {
    BertTextClassifierPreprocessor p = requirePreprocessor("fit");
    return fit(p.call(requireTexts(first, "first"), requireTexts(second, "second"),
        checkLabels(labels, first.size())), options);
  }

  /** keras' {@code fit(x, y, sample_weight)} on preprocessed data. */
  public History fit(TextClassifierBatch data, FitOptions options) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(options, "options");
    requireCompiled("fit");
    checkLabels(data.labels(), data.size());
    Trainer.Source<TextClassifierBatch> validation = null;
    if (options.validationTexts() != null) {
      throw new IllegalArgumentException("validationTexts has no labels; give a classifier's validation set as "
          + "validationData(classifier.preprocessor().call(texts, labels))");
    }
    if (options.validationData() != null) {
      if (!(options.validationData() instanceof TextClassifierBatch v)) {
        throw new IllegalArgumentException("validationData is a " + options.validationData().getClass().getSimpleName()
            + "; a text classifier evaluates a TextClassifierBatch (preprocessor().call(texts, labels))");
      }
      checkLabels(v.labels(), v.size());
      validation = Trainer.preprocessed(v, "validationData");
    }
    stopRequested = false;
    return Trainer.fit(trainable(), Trainer.preprocessed(data, "the training data"), validation, options);
  }

  private int[] checkLabels(int[] labels, int examples) {
    Objects.requireNonNull(labels, "labels");
    if (labels.length != examples) {
      throw new IllegalArgumentException(labels.length + " labels for " + examples + " examples; give one class id "
          + "per example");
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= head.numClasses()) {
        throw new IllegalArgumentException("labels[" + i + "] = " + labels[i] + " is not a class of this classifier; "
            + "use 0 to " + (head.numClasses() - 1) + " (numClasses " + head.numClasses() + ")");
      }
    }
    return labels;
  }

  /** keras' {@code evaluate(return_dict=True)} on texts and labels: {@code loss} and {@code sparse_categorical_accuracy}. */
  public Map<String, Double> evaluate(List<String> texts, int[] labels) {
    BertTextClassifierPreprocessor p = requirePreprocessor("evaluate");
    return evaluate(p.call(requireTexts(texts, "texts"), checkLabels(labels, texts.size())),
        EvaluateOptions.defaults());
  }

  /** keras' {@code evaluate} on preprocessed data. */
  public Map<String, Double> evaluate(TextClassifierBatch data, EvaluateOptions options) {
    Objects.requireNonNull(data, "data");
    checkLabels(data.labels(), data.size());
    return Trainer.evaluate(trainable(), Trainer.preprocessed(data, "the data"), options);
  }

  private Trainable<TextClassifierBatch> trainable() {
    return new Trainable<>() {
      @Override
      public StepResult trainStep(TextClassifierBatch b, boolean refuseNonFinite) {
        return BertTextClassifier.this.trainStep(b.inputs(), b.labels(), b.sampleWeights(), "fit", refuseNonFinite);
      }

      @Override
      public StepResult testStep(TextClassifierBatch b) {
        return BertTextClassifier.this.testStep(b.inputs(), b.labels(), b.sampleWeights());
      }

      @Override
      public boolean reportsMaskedTokenLoss() {
        return false;
      }

      @Override
      public boolean stopRequested() {
        return stopRequested;
      }
    };
  }

  /** keras' {@code train_on_batch}: one optimizer update, every example of weight 1. */
  public Map<String, Double> trainOnBatch(PackedInputs x, int[] labels) {
    return trainOnBatch(x, labels, ones(labels.length));
  }

  /**
   * keras' {@code train_on_batch(x, y, sample_weight)}: one optimizer update on the device.
   *
   * @return {@code loss} (Σ weight·cross-entropy / batch) and {@code sparse_categorical_accuracy}
   *     (weighted), as of before the update
   * @throws IllegalStateException when the model is not compiled
   * @throws NonFiniteLossException when the loss or the gradient norm is not finite (nothing is updated)
   */
  public synchronized Map<String, Double> trainOnBatch(PackedInputs x, int[] labels, float[] sampleWeight) {
    return BertMaskedLM.metrics(trainStep(x, labels, sampleWeight, "trainOnBatch", true));
  }

  /** keras' {@code test_on_batch}: loss and accuracy, no update, no dropout. */
  public synchronized Map<String, Double> testOnBatch(PackedInputs x, int[] labels) {
    return BertMaskedLM.metrics(testStep(x, labels, ones(labels.length)));
  }

  /** keras' {@code test_on_batch(x, y, sample_weight)}. */
  public synchronized Map<String, Double> testOnBatch(PackedInputs x, int[] labels, float[] sampleWeight) {
    return BertMaskedLM.metrics(testStep(x, labels, sampleWeight));
  }

  private static float[] ones(int n) {
    float[] w = new float[n];
    java.util.Arrays.fill(w, 1f);
    return w;
  }

  synchronized StepResult trainStep(PackedInputs x, int[] labels, float[] sampleWeight, String method,
      boolean refuseNonFinite) {
    requireCompiled(method);
    long step = iterations + 1;
    int seed = (int) (dropoutSeed ^ (dropoutSeed >>> 32));
    float rate = (float) dropoutRate();
    Dropout backboneDropout = rate > 0 ? new Dropout(rate, seed, (int) step) : Dropout.NONE;
    float classifierRate = (float) head.dropout();
    Dropout classifierDropout = classifierRate > 0 ? new Dropout(classifierRate, seed, (int) step) : Dropout.NONE;
    boolean trainBackbone = backbone.isTrainable();
    StepResult r = onDevice().step(x, labels, sampleWeight, backboneDropout, classifierDropout, trainBackbone,
        compiled.optimizer().step(step), trainableRanges(trainBackbone), !refuseNonFinite, gradientExchange);
    if (refuseNonFinite && r.nonFinite()) {
      throw new NonFiniteLossException(step, -1, -1, r.loss(), r.gradientNorm(),
          compiled.optimizer().learningRate().at(step));
    }
    iterations = step;
    return r;
  }

  synchronized StepResult testStep(PackedInputs x, int[] labels, float[] sampleWeight) {
    return onDevice().step(x, labels, sampleWeight, Dropout.NONE, Dropout.NONE, false, null, List.of(), false,
        GradientExchange.LOCAL);
  }

  /**
   * The ranges the optimizer updates: everything with a gradient (the pooler too, unlike in the
   * masked LM); with a frozen backbone only the {@code logits} layer.
   */
  private List<ParameterRange> trainableRanges(boolean trainBackbone) {
    List<ParameterRange> ranges = new ArrayList<>();
    for (Variable v : weights.layout().variables()) {
      if (!v.backbone() || trainBackbone) {
        ParameterRange.append(ranges, new ParameterRange(v.offset(), v.size()));
      }
    }
    return ranges;
  }

  private synchronized void requireCompiled(String method) {
    if (compiled == null) {
      throw new IllegalStateException("You must call `compile()` before calling `" + method + "()`. For "
          + "keras-hub's defaults: classifier.compile(CompileOptions.defaults())");
    }
  }

  private BertTextClassifierPreprocessor requirePreprocessor(String method) {
    BertTextClassifierPreprocessor p = preprocessor;
    if (p == null) {
      throw new IllegalStateException(method + " on raw strings needs a tokenizer, and this model has none ("
          + state.source() + " has no vocabulary); pass preprocessed PackedInputs / TextClassifierBatch, or call "
          + "setPreprocessor(new BertTextClassifierPreprocessor(tokenizer))");
    }
    return p;
  }

  /** Asks a running {@code fit} to return after its current batch; safe from any thread. */
  public void stopTraining() {
    stopRequested = true;
  }

  /** The optimizer's state (step count and Adam's moments), to checkpoint and resume. */
  public synchronized OptimizerState optimizerState() {
    float[][] m = onDevice().moments();
    int n = (int) parameterCount();
    return m == null ? new OptimizerState(iterations, new float[n], new float[n])
        : new OptimizerState(iterations, m[0], m[1]);
  }

  /**
   * Continues an optimizer saved by {@link #optimizerState()}; call after {@link #compile}.
   *
   * @throws IllegalArgumentException when the state covers another number of parameters
   */
  public synchronized void setOptimizerState(OptimizerState value) {
    Objects.requireNonNull(value, "state");
    requireCompiled("setOptimizerState");
    if (value.size() != parameterCount()) {
      throw new IllegalArgumentException("the optimizer state covers " + value.size() + " parameters but this "
          + "classifier has " + parameterCount() + "; it was saved from another model");
    }
    onDevice().setMoments(value.firstMoments(), value.secondMoments());
    this.iterations = value.iterations();
  }

  /** The seam between backward and the update of the next training steps (data-parallel training). */
  public synchronized void setGradientExchange(GradientExchange exchange) {
    this.gradientExchange = Objects.requireNonNull(exchange, "exchange");
  }

  // ---- saving, weights, device

  /**
   * Saves this classifier as a keras-hub preset in {@code dir} (config.json, model.weights.h5,
   * task.json a BertTextClassifier, task.weights.h5 its {@code logits} layer, preprocessor.json,
   * tokenizer.json, the vocabulary, metadata.json, and BertGen's class_names.txt when the classes have
   * names), which {@link #fromPreset(String)} and keras-hub's {@code BertTextClassifier.from_preset}
   * load. Atomic: a process killed while saving leaves the previous preset or the new one.
   */
  public void saveToPreset(Path dir) {
    ModelWeights copy = ModelWeights.zeros(weights.layout());
    getWeights().forEach(copy::set);
    BertTextClassifierPreprocessor p = preprocessor;
    // keras-hub saves the preprocessor's tokenizer: the one setPreprocessor gave, else the preset's
    BertTokenizer t = p != null ? p.tokenizer() : state.tokenizer();
    PresetWriter.SavedTokenizer saved = t == null ? null
        : new PresetWriter.SavedTokenizer(t.config(), t.vocabulary(), t.options().specialTokensInStrings());
    int sequenceLength = p != null ? p.sequenceLength()
        : Math.min(BertTextClassifierPreprocessor.DEFAULT_SEQUENCE_LENGTH, backbone.config().maxSequenceLength());
    Truncation truncate = p != null ? p.truncate() : Truncation.ROUND_ROBIN;
    PresetWriter.save(dir, new PresetWriter.Content(backbone.config(), copy, saved, null,
        new PresetWriter.Classifier(head.numClasses(), head.activation().kerasName(), head.dropout(), sequenceLength,
            truncate, head.classNames())));
  }

  /** Copies of every variable (backbone and head) by Keras path, in Keras shapes. */
  public Map<String, float[]> getWeights() {
    backbone.syncParameters();
    return weights.toMap(false);
  }

  /** Backbone plus head parameters. */
  @Override
  public long parameterCount() {
    return weights.layout().size();
  }

  /** Frees the device context, keeping the weights and Adam's moments on the host. */
  @Override
  public synchronized void close() {
    backbone.close();
  }

  /** The head, loss and optimizer on the backbone's device, made again (with Adam's moments) after a device change. */
  synchronized TextClassifierRunner onDevice() {
    BackboneRunner b = backbone.onDevice();
    if (running == null || running.backbone() != b) {
      float[][] moments = running == null ? null : running.savedMoments();
      running = new TextClassifierRunner(b, head.numClasses());
      if (moments != null) {
        running.setMoments(moments[0], moments[1]);
      }
    }
    return running;
  }

  /** The model state this classifier was built from. */
  protected ModelState state() {
    return state;
  }

  @Override
  public String toString() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("numClasses", head.numClasses());
    m.put("activation", head.activation().kerasName());
    m.put("dropout", head.dropout());
    m.put("parameters", parameterCount());
    return "BertTextClassifier" + m;
  }
}
