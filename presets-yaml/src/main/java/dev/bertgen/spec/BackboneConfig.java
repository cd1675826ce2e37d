package dev.bertgen.spec;

import dev.bertgen.dsl.Activation;
import java.util.Objects;

/**
 * The architecture of a BERT backbone: keras-hub's {@code BertBackbone} arguments plus the numeric
 * choices in which keras-hub and Hugging Face differ (activations, LayerNorm epsilons).
 */
public record BackboneConfig(
    int vocabularySize,
    int numLayers,
    int numHeads,
    int hiddenDim,
    int intermediateDim,
    double dropout,
    int maxSequenceLength,
    int numSegments,
    Activation hiddenActivation,
    double layerNormEpsilon,
    Activation mlmHeadActivation,
    double mlmHeadLayerNormEpsilon) {

  /** keras-hub's default dropout. */
  public static final double DEFAULT_DROPOUT = 0.1;
  /** keras-hub's default number of positions. */
  public static final int DEFAULT_MAX_SEQUENCE_LENGTH = 512;
  /** keras-hub's default number of segments. */
  public static final int DEFAULT_NUM_SEGMENTS = 2;
  /** LayerNorm epsilon of keras-hub's BERT embeddings and encoder layers (and of Hugging Face's). */
  public static final double DEFAULT_LAYER_NORM_EPSILON = 1e-12;
  /** LayerNorm epsilon of keras-hub's MaskedLMHead. */
  public static final double KERAS_HUB_MLM_HEAD_LAYER_NORM_EPSILON = 1e-5;

  public BackboneConfig {
    Objects.requireNonNull(hiddenActivation, "hiddenActivation");
    Objects.requireNonNull(mlmHeadActivation, "mlmHeadActivation");
  }

  /** A keras-hub-flavored backbone with keras-hub's defaults for everything but the sizes. */
  public static BackboneConfig kerasHub(
      int vocabularySize, int numLayers, int numHeads, int hiddenDim, int intermediateDim) {
    return new BackboneConfig(vocabularySize, numLayers, numHeads, hiddenDim, intermediateDim,
        DEFAULT_DROPOUT, DEFAULT_MAX_SEQUENCE_LENGTH, DEFAULT_NUM_SEGMENTS,
        Activation.GELU_APPROXIMATE, DEFAULT_LAYER_NORM_EPSILON,
        Activation.GELU, KERAS_HUB_MLM_HEAD_LAYER_NORM_EPSILON);
  }

  /** Size of one attention head, {@code hidden_dim / num_heads}. */
  public int headDim() {
    return hiddenDim / numHeads;
  }

  /**
   * Number of backbone parameters, as keras' {@code count_params()} gives it: embeddings (token,
   * position, segment), embedding LayerNorm, each encoder layer (Q, K, V and output projections with
   * biases, two LayerNorms, two feed-forward layers with biases) and the pooler.
   *
   * @throws ArithmeticException when the count overflows a long (sizes that
   *     {@link SpecValidator} refuses)
   */
  public long parameterCount() {
    return exact(() -> Math.addExact(nonLayerParameterCount(this),
        Math.multiplyExact((long) numLayers, layerParameterCount(this))));
  }

  /**
   * Parameters of keras-hub's {@code MaskedLMHead} on this backbone: the intermediate dense layer,
   * its LayerNorm and the output bias (the output projection is the tied token embedding).
   */
  public long maskedLmHeadParameterCount() {
    long h = hiddenDim;
    return exact(() -> Math.addExact(Math.multiplyExact(h, h), 3 * h + vocabularySize));
  }

  /** The backbone's parameters outside the encoder layers: embeddings, their LayerNorm, the pooler. */
  static long nonLayerParameterCount(BackboneConfig b) {
    long h = b.hiddenDim;
    long tokens = Math.multiplyExact((long) b.vocabularySize, h);
    long positions = Math.multiplyExact((long) b.maxSequenceLength, h);
    long segments = Math.multiplyExact((long) b.numSegments, h);
    long embeddings = Math.addExact(Math.addExact(tokens, positions), Math.addExact(segments, 2 * h));
    return Math.addExact(embeddings, Math.multiplyExact(h, h) + h);
  }

  /** The parameters of one encoder layer. */
  static long layerParameterCount(BackboneConfig b) {
    long h = b.hiddenDim;
    long i = b.intermediateDim;
    long attention = Math.multiplyExact(4, Math.addExact(Math.multiplyExact(h, h), h));
    long layerNorms = 4 * h;
    long feedForward = Math.addExact(Math.multiplyExact(2, Math.multiplyExact(h, i)), i + h);
    return Math.addExact(Math.addExact(attention, layerNorms), feedForward);
  }

  private long exact(java.util.function.LongSupplier count) {
    try {
      return count.getAsLong();
    } catch (ArithmeticException e) {
      throw new ArithmeticException("the parameter count of " + describeShapes() + " overflows a long; "
          + "SpecValidator.validateBackbone refuses these sizes, naming the limits");
    }
  }

  /** True when both have the same tensor shapes, so weights of one fit the other. */
  public boolean sameShapes(BackboneConfig other) {
    return vocabularySize == other.vocabularySize
        && numLayers == other.numLayers
        && numHeads == other.numHeads
        && hiddenDim == other.hiddenDim
        && intermediateDim == other.intermediateDim
        && maxSequenceLength == other.maxSequenceLength
        && numSegments == other.numSegments;
  }

  /** The sizes in keras-hub's argument names, for messages. */
  public String describeShapes() {
    return "vocabulary_size=" + vocabularySize
        + ", num_layers=" + numLayers
        + ", num_heads=" + numHeads
        + ", hidden_dim=" + hiddenDim
        + ", intermediate_dim=" + intermediateDim
        + ", max_sequence_length=" + maxSequenceLength
        + ", num_segments=" + numSegments;
  }

  public BackboneConfig withDropout(double newDropout) {
    return new BackboneConfig(vocabularySize, numLayers, numHeads, hiddenDim, intermediateDim,
        newDropout, maxSequenceLength, numSegments, hiddenActivation, layerNormEpsilon,
        mlmHeadActivation, mlmHeadLayerNormEpsilon);
  }

  /** The same architecture with another vocabulary size. */
  public BackboneConfig withVocabularySize(int newVocabularySize) {
    return new BackboneConfig(newVocabularySize, numLayers, numHeads, hiddenDim, intermediateDim,
        dropout, maxSequenceLength, numSegments, hiddenActivation, layerNormEpsilon,
        mlmHeadActivation, mlmHeadLayerNormEpsilon);
  }

  /** The same shapes with another numeric flavor (activations and epsilons). */
  public BackboneConfig withNumerics(
      Activation newHiddenActivation, double newLayerNormEpsilon,
      Activation newMlmHeadActivation, double newMlmHeadLayerNormEpsilon) {
    return new BackboneConfig(vocabularySize, numLayers, numHeads, hiddenDim, intermediateDim,
        dropout, maxSequenceLength, numSegments, newHiddenActivation, newLayerNormEpsilon,
        newMlmHeadActivation, newMlmHeadLayerNormEpsilon);
  }
}
