package dev.bertgen.tokenizers;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** keras-hub's word_piece_tokenizer_test.py, case by case, plus the API's edges. */
class WordPieceTokenizerTest {
  private static final List<String> VOCAB = List.of("[UNK]", "the", "qu", "##ick", "br", "##own", "fox", ".");

  private static WordPieceTokenizer tokenizer(List<String> vocab, WordPieceOptions.Builder options) {
    return WordPieceTokenizer.of(vocab, options.build());
  }

  @Test
  void tokenizerBasics() {
    WordPieceTokenizer t = tokenizer(VOCAB, WordPieceOptions.builder());
    assertThat(t.tokenize("the quick brown fox.")).asList().containsExactly(1, 2, 3, 4, 5, 6, 7).inOrder();
    assertThat(t.detokenize(new int[] {1, 2, 3, 4, 5, 6, 7})).isEqualTo("the quick brown fox .");
  }

  @Test
  void lowercasedDocExample() {
    WordPieceTokenizer t = tokenizer(VOCAB, WordPieceOptions.builder().lowercase(true));
    assertThat(t.tokenize("The quick brown fox.")).asList().containsExactly(1, 2, 3, 4, 5, 6, 7).inOrder();
    assertThat(t.tokenizeToStrings("The quick brown fox."))
        .containsExactly("the", "qu", "##ick", "br", "##own", "fox", ".").inOrder();
    assertThat(t.detokenize(t.tokenize("The quick brown fox."))).isEqualTo("the quick brown fox .");
  }

  @Test
  void nonDefaultConfig() {
    List<String> vocab = List.of("@UNK@", "qu", "@@ick", "br", "@@own", "fox", "@MASK@");
    WordPieceTokenizer t = tokenizer(vocab, WordPieceOptions.builder().lowercase(true).oovToken("@UNK@")
        .suffixIndicator("@@").specialTokens(List.of("@UNK@", "@MASK@")).specialTokensInStrings(true));
    int[] ids = t.tokenize("quick brown whale @MASK@");
    assertThat(ids).asList().containsExactly(1, 2, 3, 4, 0, 6).inOrder();
    assertThat(t.detokenize(ids)).isEqualTo("quick brown @UNK@ @MASK@");
  }

  @Test
  void denseOutput() {
    WordPieceTokenizer t = tokenizer(VOCAB, WordPieceOptions.builder().sequenceLength(10));
    assertThat(t.tokenize("the quick brown fox.")).asList()
        .containsExactly(1, 2, 3, 4, 5, 6, 7, 0, 0, 0).inOrder();
    WordPieceTokenizer short4 = tokenizer(VOCAB, WordPieceOptions.builder().sequenceLength(4));
    assertThat(short4.tokenize("the quick brown fox.")).asList().containsExactly(1, 2, 3, 4).inOrder();
  }

  @Test
  void stringTokenize() {
    WordPieceTokenizer t = tokenizer(VOCAB.subList(0, 7), WordPieceOptions.builder());
    assertThat(t.tokenizeToStrings("the quick brown fox"))
        .containsExactly("the", "qu", "##ick", "br", "##own", "fox").inOrder();
  }

  @Test
  void detokenize() {
    WordPieceTokenizer t = tokenizer(VOCAB.subList(0, 7), WordPieceOptions.builder());
    assertThat(t.detokenize(new int[] {1, 2, 3, 4, 5, 6})).isEqualTo("the quick brown fox");
    assertThat(t.detokenize(new int[][] {{1, 2, 3, 4, 5, 6}, {1, 6}}))
        .containsExactly("the quick brown fox", "the fox").inOrder();
    // A leading continuation piece is kept as it is.
    assertThat(t.detokenize(new int[] {3, 1})).isEqualTo("##ick the");
    assertThat(t.detokenize(new int[0])).isEmpty();
  }

  @Test
  void detokenizeUnknownIdNamesIdAndVocabularySize() {
    WordPieceTokenizer t = tokenizer(VOCAB, WordPieceOptions.builder());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> t.detokenize(new int[] {1, 8}));
    assertThat(e).hasMessageThat().contains("token id 8");
    assertThat(e).hasMessageThat().contains("8 tokens");
    assertThrows(IllegalArgumentException.class, () -> t.detokenize(new int[] {-1}));
  }

  @Test
  void accessors() {
    WordPieceTokenizer t = tokenizer(VOCAB.subList(0, 7), WordPieceOptions.builder());
    assertThat(t.vocabularySize()).isEqualTo(7);
    assertThat(t.vocabulary()).containsExactly("[UNK]", "the", "qu", "##ick", "br", "##own", "fox").inOrder();
    assertThat(t.idToToken(0)).isEqualTo("[UNK]");
    assertThat(t.idToToken(6)).isEqualTo("fox");
    assertThat(t.tokenToId("[UNK]")).isEqualTo(0);
    assertThat(t.tokenToId("fox")).isEqualTo(6);
  }

  @Test
  void idOutOfVocabulary() {
    WordPieceTokenizer t = tokenizer(VOCAB, WordPieceOptions.builder());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> t.idToToken(t.vocabularySize()));
    assertThat(e).hasMessageThat().contains("token id 8 is outside the vocabulary [0, 8)");
    assertThrows(IllegalArgumentException.class, () -> t.idToToken(-1));
  }

  @Test
  void tokenToIdUnknownTokenSuggests() {
    WordPieceTokenizer t = tokenizer(VOCAB, WordPieceOptions.builder());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.tokenToId("foxx"));
    assertThat(e).hasMessageThat().contains("\"foxx\" is not in the vocabulary (8 tokens)");
    assertThat(e).hasMessageThat().contains("did you mean \"fox\"");
  }

  @Test
  void specialTokensStringDtype() {
    List<String> vocab = List.of("@UNK@", "qu", "@@ick", "br", "@@own", "fox", "@MASK@");
    WordPieceTokenizer t = tokenizer(vocab, WordPieceOptions.builder().oovToken("@UNK@").suffixIndicator("@@")
        .specialTokens(List.of("@UNK@", "@MASK@")).specialTokensInStrings(true));
    assertThat(t.tokenizeToStrings("quick brown whale @MASK@"))
        .containsExactly("qu", "@@ick", "br", "@@own", "@UNK@", "@MASK@").inOrder();
  }

  private static final List<String> SPECIALS = List.of("[UNK]", "[MASK]", "[SEP]", "[PAD]", "[CLS]");
  private static final List<String> SPECIAL_VOCAB = List.of("[UNK]", "[MASK]", "[SEP]", "[PAD]", "[CLS]",
      "the", "qu", "##ick", "br", "##own", "fox", ".");

  @Test
  void specialTokensIntDtype() {
    WordPieceTokenizer t = tokenizer(SPECIAL_VOCAB,
        WordPieceOptions.builder().specialTokens(SPECIALS).specialTokensInStrings(true));
    assertThat(t.tokenize("[UNK] [MASK] [SEP] [PAD] [CLS] the quick brown fox.")).asList()
        .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11).inOrder();
  }

  @Test
  void specialTokensSurviveLowercase() {
    WordPieceTokenizer t = tokenizer(SPECIAL_VOCAB,
        WordPieceOptions.builder().lowercase(true).specialTokens(SPECIALS).specialTokensInStrings(true));
    assertThat(t.tokenize("[UNK] [MASK] [SEP] [PAD] [CLS] THE QUICK BROWN FOX.")).asList()
        .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11).inOrder();
  }

  @Test
  void specialTokensNotFoundUnlessAsked() {
    WordPieceTokenizer t = tokenizer(SPECIAL_VOCAB, WordPieceOptions.builder().specialTokens(SPECIALS));
    // "[", "MASK", "]": brackets are not in this vocabulary, "MASK" neither.
    assertThat(t.tokenize("[MASK]")).asList().containsExactly(0, 0, 0).inOrder();
  }

  @Test
  void specialTokensInsideWords() {
    WordPieceTokenizer t = tokenizer(SPECIAL_VOCAB,
        WordPieceOptions.builder().specialTokens(SPECIALS).specialTokensInStrings(true));
    assertThat(t.tokenizeToStrings("the[MASK]fox")).containsExactly("the", "[MASK]", "fox").inOrder();
  }

  @Test
  void cjkTokens() {
    List<String> vocab = List.of("[UNK]", "推", "敐", "乐", "半", "偷", "匕", "ah", "zz");
    WordPieceTokenizer t = tokenizer(vocab, WordPieceOptions.builder());
    assertThat(t.tokenizeToStrings("ah半推zz")).containsExactly("ah", "半", "推", "zz").inOrder();
  }

  @Test
  void cjkSplitCanBeTurnedOff() {
    List<String> vocab = List.of("[UNK]", "ah", "##半", "##推", "##zz");
    WordPieceTokenizer t = tokenizer(vocab, WordPieceOptions.builder().splitOnCjk(false));
    assertThat(t.tokenizeToStrings("ah半推zz")).containsExactly("ah", "##半", "##推", "##zz").inOrder();
  }

  @Test
  void lowercase() {
    WordPieceTokenizer t = tokenizer(VOCAB.subList(0, 7), WordPieceOptions.builder().lowercase(true));
    assertThat(t.tokenize("the QUicK brOWN FOX")).asList().containsExactly(1, 2, 3, 4, 5, 6).inOrder();
  }

  @Test
  void skipLowercase() {
    List<String> vocab = List.of("[UNK]", "the", "QU", "##icK", "br", "##OWN", "fox");
    WordPieceTokenizer t = tokenizer(vocab, WordPieceOptions.builder().lowercase(false));
    assertThat(t.tokenize("the QUicK brOWN FOX")).asList().containsExactly(1, 2, 3, 4, 5, 0).inOrder();
  }

  @Test
  void stripAccents() {
    WordPieceTokenizer t = tokenizer(List.of("[UNK]", "a", "e", "i", "o", "u"),
        WordPieceOptions.builder().stripAccents(true));
    assertThat(t.tokenize("á é í ó ú")).asList().containsExactly(1, 2, 3, 4, 5).inOrder();
  }

  @Test
  void skipStripAccents() {
    WordPieceTokenizer t = tokenizer(List.of("[UNK]", "á", "é", "í", "ó", "ú"),
        WordPieceOptions.builder().stripAccents(false));
    assertThat(t.tokenize("á é í ó ú")).asList().containsExactly(1, 2, 3, 4, 5).inOrder();
    WordPieceTokenizer plain = tokenizer(List.of("[UNK]", "a", "e", "i", "o", "u"), WordPieceOptions.builder());
    assertThat(plain.tokenize("á é í ó ú")).asList().containsExactly(0, 0, 0, 0, 0).inOrder();
  }

  @Test
  void noSplitting() {
    WordPieceTokenizer t = tokenizer(List.of("[UNK]", "t o k e n"), WordPieceOptions.builder().split(false));
    assertThat(t.tokenize(List.of("t o k e n", "m i s s i n g", "t o k e n")))
        .isEqualTo(new int[][] {{1}, {0}, {1}});
  }

  @Test
  void wordPieceOnly() {
    List<String> vocab = List.of("[UNK]", "the", "qu", "##íck", "Br", "##ówn", "Fóx");
    WordPieceTokenizer t = tokenizer(vocab, WordPieceOptions.builder().split(false));
    assertThat(t.tokenize(List.of("the", "quíck", "Brówn", "Fóx")))
        .isEqualTo(new int[][] {{1}, {2, 3}, {4, 5}, {6}});
  }

  @Test
  void noSplittingWithSpecialTokens() {
    WordPieceTokenizer t = tokenizer(List.of("[UNK]", "[MASK]", "t o k e n"),
        WordPieceOptions.builder().split(false).specialTokens(List.of("[MASK]")).specialTokensInStrings(true));
    assertThat(t.tokenize(List.of("[MASK] t o k e n", "m i s s i n g", "[MASK]", "t o k e n")))
        .isEqualTo(new int[][] {{0}, {0}, {1}, {2}});
  }

  @Test
  void fromFile(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("vocab.txt");
    Files.writeString(file, String.join("\n", VOCAB) + "\n", StandardCharsets.UTF_8);
    WordPieceTokenizer t = WordPieceTokenizer.fromFile(file, WordPieceOptions.defaults());
    assertThat(t.vocabularySize()).isEqualTo(8);
    assertThat(t.tokenize("the quick brown fox.")).asList().containsExactly(1, 2, 3, 4, 5, 6, 7).inOrder();
  }

  @Test
  void fromFileStripsTrailingWhitespaceLikePython(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("vocab.txt");
    Files.writeString(file, "[UNK]\r\nthe \r\nfox\u00a0\n", StandardCharsets.UTF_8);
    assertThat(Vocabulary.fromFile(file).tokens()).containsExactly("[UNK]", "the", "fox").inOrder();
  }

  @Test
  void missingVocabularyFileIsNamed(@TempDir Path dir) {
    Path file = dir.resolve("nope.txt");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> WordPieceTokenizer.fromFile(file, WordPieceOptions.defaults()));
    assertThat(e).hasMessageThat().contains(file.toString());
  }

  @Test
  void noOovTokenInVocabulary() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> tokenizer(List.of("qu", "@@ick", "br", "@@OWN", "fox"), WordPieceOptions.builder()));
    assertThat(e).hasMessageThat().contains("cannot find oovToken \"[UNK]\"");
    assertThrows(IllegalArgumentException.class,
        () -> tokenizer(List.of("@UNK@", "qu", "@@ick"), WordPieceOptions.builder()));
    assertThrows(IllegalArgumentException.class,
        () -> tokenizer(List.of("UNK", "qu", "@@ick"), WordPieceOptions.builder()));
    assertThrows(IllegalArgumentException.class, () -> WordPieceOptions.builder().oovToken(null).build());
  }

  @Test
  void missingSpecialTokenIsNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> tokenizer(VOCAB, WordPieceOptions.builder().specialTokens(List.of("[MASK]"))));
    assertThat(e).hasMessageThat().contains("special token \"[MASK]\"");
  }

  @Test
  void emptyAndBlankTextGiveNoTokens() {
    WordPieceTokenizer t = tokenizer(VOCAB, WordPieceOptions.builder());
    assertThat(t.tokenize("")).isEmpty();
    assertThat(t.tokenize(" \t\n ")).isEmpty();
    assertThat(t.tokenizeToStrings("")).isEmpty();
    WordPieceTokenizer padded = tokenizer(VOCAB, WordPieceOptions.builder().sequenceLength(3));
    assertThat(padded.tokenize("")).asList().containsExactly(0, 0, 0).inOrder();
  }

  @Test
  void wholeWordBecomesUnknownWhenAnyPieceIsMissing() {
    WordPieceTokenizer t = tokenizer(VOCAB, WordPieceOptions.builder());
    // "quickly": qu + ##ick match, "##ly" does not: the whole word is [UNK], not qu ##ick [UNK].
    assertThat(t.tokenizeToStrings("quickly fox")).containsExactly("[UNK]", "fox").inOrder();
  }

  @Test
  void longestMatchFirst() {
    List<String> vocab = List.of("[UNK]", "un", "unaff", "##aff", "##able", "##ffable", "##a");
    WordPieceTokenizer t = tokenizer(vocab, WordPieceOptions.builder());
    // Greedy: "unaff" (longest prefix) then "##able", not "un" + "##a" + "##ffable".
    assertThat(t.tokenizeToStrings("unaffable")).containsExactly("unaff", "##able").inOrder();
  }

  @Test
  void repeatedTokenIsRefusedAsKerasHubRefusesIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> tokenizer(List.of("[UNK]", "fox", "fox", "##es"), WordPieceOptions.builder()));
    assertThat(e).hasMessageThat().contains("the token \"fox\" is entry 1 of the vocabulary and again entry 2");
  }

  @Test
  void batchResultDoesNotDependOnThreads() {
    WordPieceTokenizer t = tokenizer(VOCAB, WordPieceOptions.builder().lowercase(true));
    List<String> texts = new java.util.ArrayList<>();
    for (int i = 0; i < 500; i++) {
      texts.add(i % 3 == 0 ? "The quick brown fox." : i % 3 == 1 ? "the QUICK fox" : "Fóx " + i);
    }
    assertThat(t.tokenize(texts, 4)).isEqualTo(t.tokenize(texts, 1));
  }
}
