package dev.bertgen.presets.formats;

import dev.bertgen.layers.ModelWeights;
import dev.bertgen.presets.SavedTask;
import dev.bertgen.dsl.TokenizerFlavor;
import dev.bertgen.presets.PresetException;
import dev.bertgen.spec.BackboneConfig;
import dev.bertgen.spec.PreprocessorConfig;
import java.nio.file.Path;
import java.util.Set;

/**
 * One preset directory in one format (keras-hub or Hugging Face): its architecture with the
 * format's numeric flavor, its preprocessor settings and its weights. The architecture is read when
 * the reader is made; weights only on request, so that a generated class can refuse a different
 * architecture before any weight is read. The tokenizer is read by
 * {@link dev.bertgen.tokenizers.TokenizerFiles}, which knows both formats.
 */
public interface PresetReader {

  /** The preset directory. */
  Path directory();

  /** The architecture, in the numeric flavor of the format. */
  BackboneConfig backbone();

  /** The tokenizer flavor of the format, whose defaults describe a preset that has no tokenizer. */
  TokenizerFlavor tokenizerFlavor();

  /** The masked-LM preprocessor settings for {@link #backbone()}. */
  PreprocessorConfig preprocessor();

  /**
   * The settings of the preprocessor of keras-hub class {@code preprocessorClass}
   * ({@code BertMaskedLMPreprocessor} or {@code BertTextClassifierPreprocessor}): as keras-hub's
   * {@code from_preset}, a saved preprocessor of another class is not used (the defaults are).
   */
  default PreprocessorConfig preprocessor(String preprocessorClass) {
    return preprocessor();
  }

  /**
   * Reads the weights the files have into {@code weights}, whose layout was made from
   * {@link #backbone()}.
   *
   * @param checkFinite refuse a tensor holding NaN or an infinity (naming the file, the tensor, the
   *     index and the value); false reads the values as they are
   * @return the Keras paths of the variables read; the caller initializes the others (a missing
   *     pooler or MaskedLM head that the format allows to be absent)
   * @throws PresetException naming the file, the tensor, the Keras variable and the shapes when a
   *     tensor the files must have is missing, has another shape or cannot be read, or (with
   *     {@code checkFinite}) is not finite
   */
  Set<String> readWeights(ModelWeights weights, boolean checkFinite);

  /**
   * The task the preset was saved as ({@code task.json}; a Hugging Face {@code config.json}'s
   * {@code architectures}), or {@code null} when it saved only a backbone.
   *
   * @throws PresetException when the task file is malformed
   */
  SavedTask savedTask();

  /**
   * Reads the head of a text classifier preset ({@link #savedTask()} a {@code BertTextClassifier})
   * into {@code weights}' {@code logits/kernel} and {@code logits/bias}.
   *
   * @return the Keras paths read
   * @throws PresetException naming the file and the fix when the preset is not a classifier, or its
   *     head is missing, misshapen, truncated or (with {@code checkFinite}) not finite
   */
  Set<String> readClassifierHead(ModelWeights weights, boolean checkFinite);
}
