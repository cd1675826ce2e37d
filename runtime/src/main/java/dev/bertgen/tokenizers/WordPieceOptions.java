package dev.bertgen.tokenizers;

import dev.bertgen.dsl.TokenizerFlavor;
import dev.bertgen.spec.TokenizerConfig;
import java.util.List;
import java.util.Objects;

/**
 * The arguments of keras-hub's {@code WordPieceTokenizer}, plus the normalization flavor.
 *
 * @param flavor whose text normalization to reproduce: keras-hub's (default) or Hugging Face's
 * @param lowercase lowercase words (keras-hub: NFKC case folding; Hugging Face: per-character
 *     lowercase)
 * @param stripAccents NFD, then remove non-spacing marks. For Hugging Face's {@code strip_accents:
 *     null} pass the value of {@code lowercase}
 * @param split split on whitespace and punctuation; when false the whole text is one word
 * @param splitOnCjk make each CJK ideograph a word (Hugging Face: {@code handle_chinese_chars})
 * @param suffixIndicator prefix of continuation pieces ("##")
 * @param oovToken the token of a word that cannot be split ("[UNK]"); must be in the vocabulary
 * @param specialTokens tokens that {@code specialTokensInStrings} finds whole in the text
 * @param specialTokensInStrings find {@code specialTokens} in input strings and map each to its id
 *     (keras-hub only does this when {@code split} is true)
 * @param sequenceLength when above 0, {@code tokenize} pads with 0 or truncates to this length
 * @param maxWordLength words longer than this become the oov token: UTF-8 bytes for keras-hub
 *     (tf-text's {@code max_bytes_per_word}), code points for Hugging Face
 *     ({@code max_input_chars_per_word}); 100 in both
 * @param cleanText Hugging Face's {@code clean_text}; ignored by the keras-hub flavor
 */
public record WordPieceOptions(
    TokenizerFlavor flavor,
    boolean lowercase,
    boolean stripAccents,
    boolean split,
    boolean splitOnCjk,
    String suffixIndicator,
    String oovToken,
    List<String> specialTokens,
    boolean specialTokensInStrings,
    int sequenceLength,
    int maxWordLength,
    boolean cleanText) {

  /** keras-hub's and Hugging Face's word-length limit. */
  public static final int DEFAULT_MAX_WORD_LENGTH = 100;

  public WordPieceOptions {
    Objects.requireNonNull(flavor, "flavor");
    Objects.requireNonNull(suffixIndicator, "suffixIndicator");
    if (oovToken == null) {
      throw new IllegalArgumentException("oovToken cannot be null; pass the vocabulary's unknown token, "
          + "for BERT \"[UNK]\"");
    }
    specialTokens = List.copyOf(Objects.requireNonNull(specialTokens, "specialTokens"));
    for (String t : specialTokens) {
      if (t.isEmpty()) {
        throw new IllegalArgumentException("a special token is the empty string; remove it from specialTokens");
      }
    }
    if (sequenceLength < 0) {
      throw new IllegalArgumentException("sequenceLength is " + sequenceLength + "; use 0 for no padding "
          + "or a positive length");
    }
    if (maxWordLength < 1) {
      throw new IllegalArgumentException("maxWordLength is " + maxWordLength + "; it must be at least 1 "
          + "(keras-hub and Hugging Face use " + DEFAULT_MAX_WORD_LENGTH + ")");
    }
  }

  /** keras-hub's {@code WordPieceTokenizer} defaults. */
  public static WordPieceOptions defaults() {
    return builder().build();
  }

  /** A builder starting from keras-hub's {@code WordPieceTokenizer} defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The options of a preset's tokenizer section. Special tokens are [CLS], [SEP], [PAD] and [MASK]
   * (keras-hub's {@code BertTokenizer}); the Hugging Face flavor adds the oov token, as Hugging
   * Face's added tokens do.
   */
  public static WordPieceOptions of(TokenizerConfig config, boolean specialTokensInStrings) {
    List<String> specials = config.flavor() == TokenizerFlavor.HUGGING_FACE
        ? List.of(config.clsToken(), config.sepToken(), config.padToken(), config.maskToken(), config.oovToken())
        : List.of(config.clsToken(), config.sepToken(), config.padToken(), config.maskToken());
    return builder()
        .flavor(config.flavor())
        .lowercase(config.lowercase())
        .stripAccents(config.stripAccents())
        .split(config.split())
        .splitOnCjk(config.splitOnCjk())
        .suffixIndicator(config.suffixIndicator())
        .oovToken(config.oovToken())
        .specialTokens(specials)
        .specialTokensInStrings(specialTokensInStrings)
        .build();
  }

  /** A builder holding these options. */
  public Builder toBuilder() {
    return new Builder().flavor(flavor).lowercase(lowercase).stripAccents(stripAccents).split(split)
        .splitOnCjk(splitOnCjk).suffixIndicator(suffixIndicator).oovToken(oovToken)
        .specialTokens(specialTokens).specialTokensInStrings(specialTokensInStrings)
        .sequenceLength(sequenceLength).maxWordLength(maxWordLength).cleanText(cleanText);
  }

  /** Builder of {@link WordPieceOptions}; starts from keras-hub's defaults. */
  public static final class Builder {
    private TokenizerFlavor flavor = TokenizerFlavor.KERAS_HUB;
    private boolean lowercase;
    private boolean stripAccents;
    private boolean split = true;
    private boolean splitOnCjk = true;
    private String suffixIndicator = "##";
    private String oovToken = "[UNK]";
    private List<String> specialTokens = List.of();
    private boolean specialTokensInStrings;
    private int sequenceLength;
    private int maxWordLength = DEFAULT_MAX_WORD_LENGTH;
    private boolean cleanText = true;

    private Builder() {}

    public Builder flavor(TokenizerFlavor value) {
      this.flavor = value;
      return this;
    }

    public Builder lowercase(boolean value) {
      this.lowercase = value;
      return this;
    }

    public Builder stripAccents(boolean value) {
      this.stripAccents = value;
      return this;
    }

    public Builder split(boolean value) {
      this.split = value;
      return this;
    }

    public Builder splitOnCjk(boolean value) {
      this.splitOnCjk = value;
      return this;
    }

    public Builder suffixIndicator(String value) {
      this.suffixIndicator = value;
      return this;
    }

    public Builder oovToken(String value) {
      this.oovToken = value;
      return this;
    }

    public Builder specialTokens(List<String> value) {
      this.specialTokens = value;
      return this;
    }

    public Builder specialTokensInStrings(boolean value) {
      this.specialTokensInStrings = value;
      return this;
    }

    public Builder sequenceLength(int value) {
      this.sequenceLength = value;
      return this;
    }

    public Builder maxWordLength(int value) {
      this.maxWordLength = value;
      return this;
    }

    public Builder cleanText(boolean value) {
      this.cleanText = value;
      return this;
    }

    public WordPieceOptions build() {
      return new WordPieceOptions(flavor, lowercase, stripAccents, split, splitOnCjk, suffixIndicator,
          oovToken, specialTokens, specialTokensInStrings, sequenceLength, maxWordLength, cleanText);
    }
  }
}
