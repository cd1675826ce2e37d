package dev.bertgen.models;

import dev.bertgen.preprocessing.PackedInputs;
import dev.bertgen.preprocessing.TextClassifierBatch;
import dev.bertgen.spec.PresetSpec;
import dev.bertgen.training.CompileOptions;
import dev.bertgen.training.EvaluateOptions;
import dev.bertgen.training.FitOptions;
import dev.bertgen.training.History;
import dev.bertgen.training.OptimizerState;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * keras-hub's {@code BertTextClassifier}: a {@link BertBackbone}'s pooled output, dropout
 * ({@code classifier_dropout}) and a {@code Dense(num_classes)} ({@code logits}), with a
 * {@link BertTextClassifierPreprocessor}. SKELETON: the API contract of issue 14; bodies to come.
 */
public class BertTextClassifier extends TextClassifier implements AutoCloseable {

  /**
   * @param backbone the backbone, built on {@code state.model()}
   * @param state weights with a text classifier head, tokenizer, and the classifier's arguments
   * @param preprocessor the preprocessor, or {@code null} when the preset has no vocabulary
   */
  protected BertTextClassifier(BertBackbone backbone, ClassifierState state,
      BertTextClassifierPreprocessor preprocessor) {
    throw new UnsupportedOperationException("TODO(h-api)");
  }

  /** A classifier for any preset's backbone, initialized as keras-hub initializes it (keras-hub's defaults). */
  public static BertTextClassifier create(PresetSpec spec, int numClasses, long seed) {
    throw new UnsupportedOperationException("TODO(h-api)");
  }

  /** Loads a classifier preset with the head it saved (refused for other presets: pass numClasses). */
  public static BertTextClassifier fromPreset(String source) {
    throw new UnsupportedOperationException("TODO(h-api)");
  }

  /** Loads any BERT preset's backbone with a fresh head of {@code numClasses}. */
  public static BertTextClassifier fromPreset(String source, int numClasses) {
    throw new UnsupportedOperationException("TODO(h-api)");
  }

  /** {@link #fromPreset(String, int)} with options. */
  public static BertTextClassifier fromPreset(String source, int numClasses, PresetOptions options) {
    throw new UnsupportedOperationException("TODO(h-api)");
  }

  /** {@link #fromPreset(String)} with options. */
  public static BertTextClassifier fromPreset(String source, PresetOptions options) {
    throw new UnsupportedOperationException("TODO(h-api)");
  }

  public BertBackbone backbone() {
    throw new UnsupportedOperationException("TODO(h-api)");
  }

  public BertTextClassifierPreprocessor preprocessor() {
    throw new UnsupportedOperationException("TODO(h-api)");
  }

  public void setPreprocessor(BertTextClassifierPreprocessor value) {
    throw new UnsupportedOperationException("TODO(h-api)");
  }

  /** The classifier's arguments. */
  public TextClassifierConfig classifierConfig() {
    throw new UnsupportedOperationException("TODO(h-api)");
  }

  public int numClasses() {
    return classifierConfig().numClasses();
  }

  public void compile(CompileOptions options) {
    throw new UnsupportedOperationException("TODO(h-api)");
  }

  /** (batch, classes): logits, or probabilities with a softmax activation. */
  public float[][] predict(PackedInputs x) {
    throw new UnsupportedOperationException("TODO(h-api)");
  }

  public float[][] predict(List<String> texts) {
    throw new UnsupportedOperationException("TODO(h-api)");
  }

  public float[][] predict(List<String> first, List<String> second) {
    throw new UnsupportedOperationException("TODO(h-api)");
  }

  public History fit(List<String> texts, int[] labels, FitOptions options) {
    throw new UnsupportedOperationException("TODO(h-api)");
  }

  public History fit(List<String> first, List<String> second, int[] labels, FitOptions options) {
    throw new UnsupportedOperationException("TODO(h-api)");
  }

  public History fit(TextClassifierBatch data, FitOptions options) {
    throw new UnsupportedOperationException("TODO(h-api)");
  }

  public Map<String, Double> evaluate(List<String> texts, int[] labels) {
    throw new UnsupportedOperationException("TODO(h-api)");
  }

  public Map<String, Double> evaluate(TextClassifierBatch data, EvaluateOptions options) {
    throw new UnsupportedOperationException("TODO(h-api)");
  }

  public Map<String, Double> trainOnBatch(PackedInputs x, int[] labels) {
    throw new UnsupportedOperationException("TODO(h-api)");
  }

  public Map<String, Double> trainOnBatch(PackedInputs x, int[] labels, float[] sampleWeight) {
    throw new UnsupportedOperationException("TODO(h-api)");
  }

  public Map<String, Double> testOnBatch(PackedInputs x, int[] labels) {
    throw new UnsupportedOperationException("TODO(h-api)");
  }

  public OptimizerState optimizerState() {
    throw new UnsupportedOperationException("TODO(h-api)");
  }

  public void setOptimizerState(OptimizerState state) {
    throw new UnsupportedOperationException("TODO(h-api)");
  }

  public void stopTraining() {
    throw new UnsupportedOperationException("TODO(h-api)");
  }

  public void saveToPreset(Path dir) {
    throw new UnsupportedOperationException("TODO(h-api)");
  }

  public Map<String, float[]> getWeights() {
    throw new UnsupportedOperationException("TODO(h-api)");
  }

  @Override
  public long parameterCount() {
    throw new UnsupportedOperationException("TODO(h-api)");
  }

  @Override
  public void close() {
    throw new UnsupportedOperationException("TODO(h-api)");
  }
}
