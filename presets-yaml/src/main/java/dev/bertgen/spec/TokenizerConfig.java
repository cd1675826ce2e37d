package dev.bertgen.spec;

import dev.bertgen.dsl.TokenizerFlavor;
import java.util.List;
import java.util.Objects;

/**
 * A WordPiece tokenizer: keras-hub's {@code BertTokenizer} arguments, the normalization flavor, and
 * where its vocabulary comes from.
 *
 * @param vocabularyAsset path of the vocabulary inside a preset directory
 * @param bundledVocabulary ID of a vocabulary shipped in {@code bertgen-presets}
 *     ({@code dev/bertgen/presets/vocab/<id>.txt}), or {@code null} when the vocabulary comes only
 *     with a downloaded or saved preset
 */
public record TokenizerConfig(
    TokenizerFlavor flavor,
    boolean lowercase,
    boolean stripAccents,
    boolean split,
    boolean splitOnCjk,
    String suffixIndicator,
    String oovToken,
    String clsToken,
    String sepToken,
    String padToken,
    String maskToken,
    String vocabularyAsset,
    String bundledVocabulary) {

  /** Where keras-hub keeps the vocabulary inside a preset. */
  public static final String DEFAULT_VOCABULARY_ASSET = "assets/tokenizer/vocabulary.txt";

  public TokenizerConfig {
    Objects.requireNonNull(flavor, "flavor");
    Objects.requireNonNull(suffixIndicator, "suffixIndicator");
    Objects.requireNonNull(oovToken, "oovToken");
    Objects.requireNonNull(clsToken, "clsToken");
    Objects.requireNonNull(sepToken, "sepToken");
    Objects.requireNonNull(padToken, "padToken");
    Objects.requireNonNull(maskToken, "maskToken");
    Objects.requireNonNull(vocabularyAsset, "vocabularyAsset");
  }

  /** keras-hub's BERT tokenizer settings with the given case handling and vocabulary. */
  public static TokenizerConfig kerasHub(boolean lowercase, String bundledVocabulary) {
    return new TokenizerConfig(TokenizerFlavor.KERAS_HUB, lowercase, false, true, true, "##",
        "[UNK]", "[CLS]", "[SEP]", "[PAD]", "[MASK]", DEFAULT_VOCABULARY_ASSET, bundledVocabulary);
  }

  /** The special tokens keras-hub's BertTokenizer requires, in the order [CLS], [SEP], [PAD], [MASK], oov. */
  public List<String> requiredTokens() {
    return List.of(clsToken, sepToken, padToken, maskToken, oovToken);
  }
}
