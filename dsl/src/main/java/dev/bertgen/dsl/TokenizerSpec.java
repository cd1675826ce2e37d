package dev.bertgen.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The WordPiece tokenizer of a {@link BertSpec}: the fields of the preset YAML's {@code tokenizer}
 * section. Defaults are those of the keras-hub uncased BERT presets.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({})
public @interface TokenizerSpec {

  /** Text normalization rules: keras-hub's or Hugging Face's {@code BertTokenizer}. */
  TokenizerFlavor flavor() default TokenizerFlavor.KERAS_HUB;

  /** Lowercase words before WordPiece (keras-hub: NFKC case folding). */
  boolean lowercase() default true;

  /** Remove accents (NFD, then drop combining marks). keras-hub presets keep them. */
  boolean stripAccents() default false;

  /** Split on whitespace and punctuation before WordPiece. */
  boolean split() default true;

  /** Put CJK ideographs into words of their own. */
  boolean splitOnCjk() default true;

  /** Prefix of word-continuation pieces. */
  String suffixIndicator() default "##";

  /** Token used for a word that cannot be split into vocabulary pieces. */
  String oovToken() default "[UNK]";

  /** Classification (start) token. */
  String clsToken() default "[CLS]";

  /** Separator (end) token. */
  String sepToken() default "[SEP]";

  /** Padding token. */
  String padToken() default "[PAD]";

  /** Mask token. */
  String maskToken() default "[MASK]";

  /**
   * A vocabulary shipped inside {@code bertgen-presets}, for example {@code "bert_en_uncased"} (the
   * 30,522-token uncased vocabulary of Google's BERT), or {@code ""} when the vocabulary only comes
   * with a downloaded or saved preset.
   */
  String bundledVocabulary() default "bert_en_uncased";
}
