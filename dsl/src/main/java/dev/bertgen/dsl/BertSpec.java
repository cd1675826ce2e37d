package dev.bertgen.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a BERT masked language model whose architecture is written in Java rather than taken
 * from a preset file. The fields are those of the {@code backbone} and {@code tokenizer} sections of
 * the preset YAML schema; their names follow keras-hub's {@code BertBackbone} arguments.
 *
 * <pre>{@code
 * @BertSpec(vocabularySize = 30522, numLayers = 4, numHeads = 4, hiddenDim = 256, intermediateDim = 1024)
 * interface SmallBert {}
 * }</pre>
 *
 * <p>The defaults are keras-hub's: dropout 0.1, 512 positions, 2 segments, tanh-approximated GELU and
 * LayerNorm epsilon 1e-12 in the encoder, exact GELU and epsilon 1e-5 in the masked-LM head.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface BertSpec {

  /** Name recorded in the generated config and in saved presets; default: the type name in snake_case. */
  String presetName() default "";

  /** Free text recorded in the generated config and in saved presets. */
  String description() default "";

  /** Number of token ids ({@code vocabulary_size}). Must equal the vocabulary's length. */
  int vocabularySize();

  /** Number of transformer encoder layers ({@code num_layers}). */
  int numLayers();

  /** Number of attention heads ({@code num_heads}); must divide {@link #hiddenDim()}. */
  int numHeads();

  /** Width of the hidden states ({@code hidden_dim}). */
  int hiddenDim();

  /** Width of the feed-forward layer ({@code intermediate_dim}). */
  int intermediateDim();

  /** Dropout rate in [0, 1) for embeddings, attention probabilities and residual branches. */
  double dropout() default 0.1;

  /** Number of positions of the position embedding ({@code max_sequence_length}). */
  int maxSequenceLength() default 512;

  /** Number of segment (token type) ids ({@code num_segments}). */
  int numSegments() default 2;

  /** Activation of the encoder feed-forward layers (keras-hub: tanh approximation). */
  Activation hiddenActivation() default Activation.GELU_APPROXIMATE;

  /** LayerNorm epsilon of the embeddings and of every encoder layer. */
  double layerNormEpsilon() default 1e-12;

  /** Activation of the masked-LM head's dense layer (keras-hub: exact GELU). */
  Activation mlmHeadActivation() default Activation.GELU;

  /** LayerNorm epsilon of the masked-LM head (keras-hub: 1e-5; Hugging Face: 1e-12). */
  double mlmHeadLayerNormEpsilon() default 1e-5;

  /** The WordPiece tokenizer. */
  TokenizerSpec tokenizer() default @TokenizerSpec;

  /** Prefix of the generated class names; see {@link BertPreset#prefix()}. */
  String prefix() default "";

  /**
   * Also generate a text classifier of this many classes over the backbone: {@code XTextClassifier}
   * (keras-hub's {@code BertTextClassifier}, whose {@code create} and {@code fromPreset} put a fresh
   * head of this many classes on the backbone) and {@code XTextClassifierPreprocessor}. 0 (the
   * default) generates none. A negative number, or one above {@link #vocabularySize()}, is an error
   * ({@code [BertBadNumClasses]}).
   */
  int numClasses() default 0;
}
