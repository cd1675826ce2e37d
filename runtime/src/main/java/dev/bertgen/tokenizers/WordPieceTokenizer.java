package dev.bertgen.tokenizers;

import dev.bertgen.dsl.TokenizerFlavor;
import dev.bertgen.preprocessing.ParallelRows;
import dev.bertgen.spec.Suggestions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * keras-hub's {@code WordPieceTokenizer}: pre-tokenization (lowercase, strip accents, split on
 * whitespace, punctuation and CJK ideographs) by the rules of a {@link TokenizerFlavor}, then
 * greedy longest-match-first WordPiece with a suffix indicator, a whole word becoming the oov token
 * when it cannot be split or is longer than {@link WordPieceOptions#maxWordLength()}.
 *
 * <pre>{@code
 * WordPieceTokenizer t = WordPieceTokenizer.of(
 *     List.of("[UNK]", "the", "qu", "##ick", "br", "##own", "fox", "."),
 *     WordPieceOptions.builder().lowercase(true).build());
 * t.tokenize("The quick brown fox.");          // [1, 2, 3, 4, 5, 6, 7]
 * t.tokenizeToStrings("The quick brown fox."); // [the, qu, ##ick, br, ##own, fox, .]
 * t.detokenize(new int[] {1, 2, 3, 4, 5, 6});  // "the quick brown fox"
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe; each thread reuses its own buffers.
 */
public class WordPieceTokenizer {
  private final Vocabulary vocabulary;
  private final WordPieceOptions options;
  private final WordPieceModel model;
  private final PreTokenizer preTokenizer;
  private final SpecialTokenMatcher specials;
  private final int[] specialTokenIds;

  /**
   * @throws IllegalArgumentException when the oov token or a special token is not in the vocabulary
   */
  protected WordPieceTokenizer(Vocabulary vocabulary, WordPieceOptions options) {
    this.vocabulary = Objects.requireNonNull(vocabulary, "vocabulary");
    this.options = Objects.requireNonNull(options, "options");
    int oov = vocabulary.idOf(options.oovToken());
    if (oov < 0) {
      throw new IllegalArgumentException("cannot find oovToken \"" + options.oovToken() + "\" in the "
          + "vocabulary (" + vocabulary.size() + " tokens); add it to the vocabulary, or set oovToken to "
          + "the vocabulary's unknown token");
    }
    List<Integer> ids = new ArrayList<>();
    for (String t : options.specialTokens()) {
      int id = vocabulary.idOf(t);
      if (id < 0) {
        throw new IllegalArgumentException("cannot find special token \"" + t + "\" in the vocabulary ("
            + vocabulary.size() + " tokens); add it to the vocabulary, or remove it from specialTokens");
      }
      ids.add(id);
    }
    this.specialTokenIds = ids.stream().mapToInt(Integer::intValue).toArray();
    boolean hf = options.flavor() == TokenizerFlavor.HUGGING_FACE;
    this.model = new WordPieceModel(vocabulary, options.suffixIndicator(), oov, options.maxWordLength(),
        hf ? WordPieceModel.LengthUnit.CODE_POINTS : WordPieceModel.LengthUnit.UTF8_BYTES);
    this.preTokenizer = hf
        ? new HuggingFacePreTokenizer(model, options.lowercase(), options.stripAccents(), options.split(),
            options.splitOnCjk(), options.cleanText())
        : new KerasHubPreTokenizer(model, options.lowercase(), options.stripAccents(), options.split(),
            options.splitOnCjk());
    // keras-hub only looks for special tokens in strings when it splits them.
    boolean findSpecials = options.specialTokensInStrings() && !options.specialTokens().isEmpty()
        && (hf || options.split());
    this.specials = findSpecials ? new SpecialTokenMatcher(options.specialTokens(), ids) : null;
  }

  /** A tokenizer over {@code vocabulary} (tokens in id order). */
  public static WordPieceTokenizer of(List<String> vocabulary, WordPieceOptions options) {
    return new WordPieceTokenizer(Vocabulary.of(vocabulary), options);
  }

  /** A tokenizer over a UTF-8 vocabulary file with one token per line. */
  public static WordPieceTokenizer fromFile(Path vocabularyFile, WordPieceOptions options) {
    return new WordPieceTokenizer(Vocabulary.fromFile(vocabularyFile), options);
  }

  /** The options this tokenizer was built with. */
  public WordPieceOptions options() {
    return options;
  }

  /** The vocabulary with its lookup table. */
  public Vocabulary vocabularyTable() {
    return vocabulary;
  }

  /** The vocabulary, id order (keras-hub's {@code get_vocabulary()}). */
  public List<String> vocabulary() {
    return vocabulary.tokens();
  }

  /** Number of tokens (keras-hub's {@code vocabulary_size()}). */
  public int vocabularySize() {
    return vocabulary.size();
  }

  /** Ids of {@link WordPieceOptions#specialTokens()}, same order. */
  public int[] specialTokenIds() {
    return specialTokenIds.clone();
  }

  /**
   * Token ids of {@code text}; an empty array for empty text. With a {@code sequenceLength}, padded
   * with 0 or truncated to it.
   */
  public int[] tokenize(String text) {
    Objects.requireNonNull(text, "text");
    Scratch s = Scratch.get();
    tokenizeInto(text, s);
    int length = options.sequenceLength();
    if (length > 0) {
      int[] out = new int[length];
      System.arraycopy(s.ids, 0, out, 0, Math.min(length, s.size));
      s.release();
      return out;
    }
    return s.toArray();
  }

  /** Token ids of each text, in order. */
  public int[][] tokenize(List<String> texts) {
    return tokenize(texts, 1);
  }

  /**
   * Token ids of each text, computed on up to {@code parallelism} threads; the result does not
   * depend on the number of threads.
   */
  public int[][] tokenize(List<String> texts, int parallelism) {
    Objects.requireNonNull(texts, "texts");
    int[][] out = new int[texts.size()][];
    ParallelRows.forEach(out.length, parallelism, i -> out[i] = tokenize(texts.get(i)));
    return out;
  }

  /** Tokens of {@code text} as strings (keras-hub's {@code dtype="string"}). */
  public List<String> tokenizeToStrings(String text) {
    int[] ids = tokenize(text);
    List<String> out = new ArrayList<>(ids.length);
    for (int id : ids) {
      out.add(vocabulary.token(id));
    }
    return out;
  }

  private void tokenizeInto(String text, Scratch s) {
    if (specials == null) {
      preTokenizer.process(text, 0, text.length(), s);
      return;
    }
    int pos = 0;
    for (long m; (m = specials.find(text, pos)) >= 0; ) {
      int start = (int) (m >>> 32);
      int index = (int) m;
      preTokenizer.process(text, pos, start, s);
      s.add(specials.id(index));
      pos = start + specials.length(index);
    }
    preTokenizer.process(text, pos, text.length(), s);
  }

  /**
   * Text of token ids, as keras-hub joins them: continuation pieces (starting with the suffix
   * indicator) are appended to the previous word without it, and words are separated by single
   * spaces. A leading continuation piece and a bare suffix indicator stay as they are.
   *
   * @throws IllegalArgumentException for an id outside [0, vocabulary size), naming it
   */
  public String detokenize(int[] ids) {
    Objects.requireNonNull(ids, "ids");
    String suffix = options.suffixIndicator();
    int suffixLength = suffix.length();
    StringBuilder out = new StringBuilder(ids.length * 6);
    for (int i = 0; i < ids.length; i++) {
      int id = ids[i];
      if (id < 0 || id >= vocabulary.size()) {
        throw new IllegalArgumentException("cannot detokenize token id " + id + " at position " + i
            + ": the vocabulary has " + vocabulary.size() + " tokens (ids 0 to " + (vocabulary.size() - 1)
            + "); were these ids made with another vocabulary?");
      }
      String token = vocabulary.token(id);
      if (i > 0 && suffixLength > 0 && token.length() > suffixLength && token.startsWith(suffix)) {
        out.append(token, suffixLength, token.length());
      } else {
        if (i > 0) {
          out.append(' ');
        }
        out.append(token);
      }
    }
    return out.toString();
  }

  /** {@link #detokenize(int[])} of each row. */
  public List<String> detokenize(int[][] ids) {
    Objects.requireNonNull(ids, "ids");
    List<String> out = new ArrayList<>(ids.length);
    for (int[] row : ids) {
      out.add(detokenize(row));
    }
    return out;
  }

  /**
   * The id of {@code token}.
   *
   * @throws IllegalArgumentException for a token not in the vocabulary, naming close ones
   */
  public int tokenToId(String token) {
    Objects.requireNonNull(token, "token");
    int id = vocabulary.idOf(token);
    if (id < 0) {
      throw new IllegalArgumentException("token \"" + token + "\" is not in the vocabulary ("
          + vocabulary.size() + " tokens)" + Suggestions.didYouMean(token,
              token.length() <= 20 ? vocabulary.tokens() : List.of()));
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
          + vocabulary.size() + "); ids run from 0 to " + (vocabulary.size() - 1));
    }
    return vocabulary.token(id);
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + vocabulary.size() + " tokens, " + options + "]";
  }
}
