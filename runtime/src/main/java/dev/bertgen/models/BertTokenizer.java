package dev.bertgen.models;

import dev.bertgen.spec.BuiltinPresets;
import dev.bertgen.spec.Suggestions;
import dev.bertgen.spec.TokenizerConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * keras-hub's {@code BertTokenizer}: a WordPiece vocabulary plus the settings of a preset.
 */
public class BertTokenizer {
  private final List<String> vocabulary;
  private final Map<String, Integer> ids;
  private final TokenizerConfig config;

  /**
   * @throws IllegalArgumentException when the vocabulary lacks [CLS], [SEP], [PAD], [MASK] or the
   *     oov token
   */
  public BertTokenizer(List<String> vocabulary, TokenizerConfig config) {
    this.vocabulary = List.copyOf(Objects.requireNonNull(vocabulary, "vocabulary"));
    this.config = Objects.requireNonNull(config, "config");
    Map<String, Integer> map = new HashMap<>(vocabulary.size() * 2);
    for (int i = 0; i < this.vocabulary.size(); i++) {
      map.putIfAbsent(this.vocabulary.get(i), i); // the first index wins, as in keras-hub
    }
    this.ids = map;
    for (String t : config.requiredTokens()) {
      if (!ids.containsKey(t)) {
        throw new IllegalArgumentException("the vocabulary (" + vocabulary.size() + " tokens) lacks the "
            + "special token \"" + t + "\" that BertTokenizer needs; use a BERT vocabulary, or set the "
            + "special tokens of the preset's tokenizer section to tokens the vocabulary has");
      }
    }
  }

  /**
   * The tokenizer with the vocabulary bundled in bertgen-presets.
   *
   * @throws IllegalArgumentException when the config names no bundled vocabulary
   */
  public static BertTokenizer bundled(TokenizerConfig config) {
    if (config.bundledVocabulary() == null) {
      throw new IllegalArgumentException("this preset's vocabulary is not bundled with BertGen; load it "
          + "with fromPreset(source) from a downloaded or saved preset that has "
          + config.vocabularyAsset());
    }
    List<String> vocab = BuiltinPresets.bundledVocabulary(config.bundledVocabulary()).orElseThrow(
        () -> new IllegalArgumentException("no bundled vocabulary \"" + config.bundledVocabulary()
            + "\"; bundled: " + BuiltinPresets.bundledVocabularyIds()));
    return new BertTokenizer(vocab, config);
  }

  public TokenizerConfig config() {
    return config;
  }

  public int vocabularySize() {
    return vocabulary.size();
  }

  /** The vocabulary, id order. */
  public List<String> vocabulary() {
    return vocabulary;
  }

  /**
   * The id of {@code token}.
   *
   * @throws IllegalArgumentException for a token not in the vocabulary, naming close ones
   */
  public int tokenToId(String token) {
    Integer id = ids.get(token);
    if (id == null) {
      throw new IllegalArgumentException("token \"" + token + "\" is not in the vocabulary ("
          + vocabulary.size() + " tokens)" + Suggestions.didYouMean(token,
              token.length() <= 20 ? ids.keySet() : List.of()));
    }
    return id;
  }

  /**
   * The token of {@code id}.
   *
   * @throws IllegalArgumentException for an id outside [0, vocabulary size)
   */
  public String idToToken(int id) {
    if (id < 0 || id >= vocabulary.size()) {
      throw new IllegalArgumentException("token id " + id + " is outside the vocabulary [0, "
          + vocabulary.size() + ")");
    }
    return vocabulary.get(id);
  }

  /** Id of [CLS]. */
  public int clsId() {
    return ids.get(config.clsToken());
  }

  /** Id of [SEP]. */
  public int sepId() {
    return ids.get(config.sepToken());
  }

  /** Id of [PAD]. */
  public int padId() {
    return ids.get(config.padToken());
  }

  /** Id of [MASK]. */
  public int maskId() {
    return ids.get(config.maskToken());
  }

  /** Id of the oov token ([UNK]). */
  public int oovId() {
    return ids.get(config.oovToken());
  }
}
