package dev.bertgen.models;

import dev.bertgen.dsl.TokenizerFlavor;
import dev.bertgen.presets.loading.PresetLoader;
import dev.bertgen.spec.BuiltinPresets;
import dev.bertgen.spec.TokenizerConfig;
import dev.bertgen.tokenizers.TokenizerFiles;
import dev.bertgen.tokenizers.Vocabulary;
import dev.bertgen.tokenizers.WordPieceOptions;
import dev.bertgen.tokenizers.WordPieceTokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * keras-hub's {@code BertTokenizer}: a {@link WordPieceTokenizer} with BERT's special tokens
 * ([CLS], [SEP], [PAD], [MASK] and the oov token [UNK]) and the settings of a preset.
 *
 * <pre>{@code
 * BertTokenizer tok = BertTokenizer.bundled(BuiltinPresets.get("bert_tiny_en_uncased").tokenizer());
 * int[] ids = tok.tokenize("The quick brown fox.");   // [1996, 4248, 2829, 4419, 1012]
 * List<String> pieces = tok.tokenizeToStrings("The quick brown fox.");
 * String text = tok.detokenize(ids);                   // "the quick brown fox ."
 * BertTokenizer hf = BertTokenizer.fromPreset(Path.of("bert-base-uncased"));  // Hugging Face files
 * }</pre>
 *
 * <p>The normalization follows {@link TokenizerConfig#flavor()}: keras-hub's (NFKC case folding
 * that keeps accents, ASCII-only whitespace, control characters splitting words) or Hugging Face's
 * (Unicode whitespace, control characters deleted, accents stripped when lowercasing).
 */
public class BertTokenizer extends WordPieceTokenizer {
  private final TokenizerConfig config;
  private final int clsId;
  private final int sepId;
  private final int padId;
  private final int maskId;
  private final int oovId;

  /**
   * A tokenizer with the preset settings {@code config}. Special tokens in input strings are left
   * alone with the keras-hub flavor (keras-hub's {@code special_tokens_in_strings=False}) and found
   * with the Hugging Face flavor (Hugging Face always does).
   *
   * @throws IllegalArgumentException when the vocabulary lacks [CLS], [SEP], [PAD], [MASK] or the
   *     oov token
   */
  public BertTokenizer(List<String> vocabulary, TokenizerConfig config) {
    this(vocabulary, config, Objects.requireNonNull(config, "config").flavor() == TokenizerFlavor.HUGGING_FACE);
  }

  /**
   * A tokenizer with the preset settings {@code config}.
   *
   * @param specialTokensInStrings map "[CLS]", "[SEP]", "[PAD]" and "[MASK]" written in the input
   *     text to their ids (keras-hub's {@code special_tokens_in_strings})
   */
  public BertTokenizer(List<String> vocabulary, TokenizerConfig config, boolean specialTokensInStrings) {
    this(vocabulary, config, WordPieceOptions.of(config, specialTokensInStrings));
  }

  /**
   * A tokenizer with full WordPiece options (word-length limit, extra special tokens, a
   * sequence length), whose flavor must be the config's.
   */
  public BertTokenizer(List<String> vocabulary, TokenizerConfig config, WordPieceOptions options) {
    super(checked(vocabulary, config), consistent(options, config));
    this.config = config;
    Vocabulary v = vocabularyTable();
    this.clsId = v.idOf(config.clsToken());
    this.sepId = v.idOf(config.sepToken());
    this.padId = v.idOf(config.padToken());
    this.maskId = v.idOf(config.maskToken());
    this.oovId = v.idOf(config.oovToken());
  }

  private static Vocabulary checked(List<String> vocabulary, TokenizerConfig config) {
    Objects.requireNonNull(config, "config");
    Vocabulary v = Vocabulary.of(vocabulary);
    for (String t : config.requiredTokens()) {
      if (v.idOf(t) < 0) {
        throw new IllegalArgumentException("the vocabulary (" + v.size() + " tokens) lacks the special "
            + "token \"" + t + "\" that BertTokenizer needs; use a BERT vocabulary, or set the special "
            + "tokens of the preset's tokenizer section to tokens the vocabulary has");
      }
    }
    return v;
  }

  private static WordPieceOptions consistent(WordPieceOptions options, TokenizerConfig config) {
    Objects.requireNonNull(options, "options");
    if (options.flavor() != config.flavor()) {
      throw new IllegalArgumentException("the WordPiece options have flavor " + options.flavor()
          + " but the tokenizer config has " + config.flavor() + "; build the options with "
          + "WordPieceOptions.of(config, ...)");
    }
    return options;
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

  /**
   * The tokenizer of a preset directory: a keras-hub preset ({@code tokenizer.json} and
   * {@code assets/tokenizer/vocabulary.txt}, keras-hub flavor) or a Hugging Face checkpoint
   * ({@code tokenizer.json} with {@code model.vocab}, or {@code vocab.txt}, with
   * {@code tokenizer_config.json}; Hugging Face flavor). See {@link TokenizerFiles}.
   *
   * @throws IllegalArgumentException naming the file and the fix when the files are missing or
   *     are not a BERT WordPiece tokenizer
   */
  public static BertTokenizer fromPreset(Path dir) {
    return fromFiles(TokenizerFiles.read(dir));
  }

  /**
   * keras-hub's {@code BertTokenizer.from_preset}: the tokenizer of any source
   * {@link BertMaskedLM#fromPreset(String)} accepts (a built-in name, {@code kaggle://}, {@code hf://},
   * a directory), reading only the tokenizer files (no weights are downloaded).
   *
   * @throws dev.bertgen.presets.PresetException naming the source and the fix when it cannot be had
   *     or has no vocabulary
   */
  public static BertTokenizer fromPreset(String source) {
    return fromPreset(source, PresetOptions.defaults());
  }

  /** {@link #fromPreset(String)} with the hub settings of {@code options}. */
  public static BertTokenizer fromPreset(String source, PresetOptions options) {
    return PresetLoader.loadPreprocessing(source, options.hub(), dev.bertgen.layers.TaskHead.Kind.NONE,
        BertTokenizer::fromFiles).tokenizer();
  }

  /**
   * The tokenizer of tokenizer files already read (see {@link TokenizerFiles#read} and
   * {@link TokenizerFiles#readIfPresent}).
   *
   * @throws IllegalArgumentException naming the vocabulary file (and the settings file when they
   *     differ) when the vocabulary lacks a special token
   */
  public static BertTokenizer fromFiles(TokenizerFiles files) {
    Objects.requireNonNull(files, "files");
    try {
      return new BertTokenizer(files.vocabulary(), files.config(), files.options());
    } catch (IllegalArgumentException e) {
      String where = files.vocabularyFile().equals(files.source()) ? files.source().toString()
          : files.vocabularyFile() + " (settings from " + files.source() + ")";
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
  }

  /**
   * A tokenizer over a UTF-8 vocabulary file with one token per line (keras-hub's
   * {@code vocabulary="path"}), with the preset settings {@code config}.
   *
   * @throws IllegalArgumentException naming the file when it is missing, empty or not UTF-8, or
   *     lacks a special token
   */
  public static BertTokenizer fromVocabularyFile(Path vocabularyFile, TokenizerConfig config) {
    return new BertTokenizer(Vocabulary.fromFile(vocabularyFile).tokens(), config);
  }

  /** The same tokenizer, finding (or not) special tokens written in input strings. */
  public BertTokenizer withSpecialTokensInStrings(boolean value) {
    if (value == options().specialTokensInStrings()) {
      return this;
    }
    return new BertTokenizer(vocabulary(), config, options().toBuilder().specialTokensInStrings(value).build());
  }

  /** The preset-level settings (flavor, case handling, special tokens). */
  public TokenizerConfig config() {
    return config;
  }

  /**
   * keras-hub's {@code special_token_ids}: [CLS], [SEP], [PAD], [MASK] (what the masked-LM
   * preprocessor never masks; [UNK] is not among them).
   */
  @Override
  public int[] specialTokenIds() {
    return new int[] {clsId, sepId, padId, maskId};
  }

  /** Id of [CLS], keras-hub's {@code cls_token_id} and {@code start_token_id}. */
  public int clsId() {
    return clsId;
  }

  /** Id of [SEP], keras-hub's {@code sep_token_id} and {@code end_token_id}. */
  public int sepId() {
    return sepId;
  }

  /** Id of [PAD]. */
  public int padId() {
    return padId;
  }

  /** Id of [MASK]. */
  public int maskId() {
    return maskId;
  }

  /** Id of the oov token ([UNK]). */
  public int oovId() {
    return oovId;
  }
}
