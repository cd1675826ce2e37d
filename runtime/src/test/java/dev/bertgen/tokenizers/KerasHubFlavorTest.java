package dev.bertgen.tokenizers;

import static com.google.common.truth.Truth.assertThat;

import dev.bertgen.dsl.TokenizerFlavor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The keras-hub flavor on cases derived by hand from keras-hub's regexes (RE2 {@code \s},
 * {@code \p{Cc}}, {@code \p{Cf}}, {@code \p{P}}) and tf-text's NFKC_Casefold, next to what the
 * Hugging Face flavor does with the same text. (tensorflow-text, the reference, is not available
 * to Java; see keras-hub-bert-spec.md §6.)
 */
class KerasHubFlavorTest {
  private static final List<String> VOCAB = List.of("[UNK]", "the", "fox", "fish", "strasse", "café", "cafe",
      "é", "##é", "οδοσ", "i", "##̇", "##stanbul", "€", "##€", "!", "¿", "##🦊", "a", "b", "𫠠", "##𫠠");

  private static WordPieceTokenizer keras(boolean lowercase) {
    return WordPieceTokenizer.of(VOCAB, WordPieceOptions.builder().lowercase(lowercase).build());
  }

  private static WordPieceTokenizer huggingFace(boolean lowercase) {
    return WordPieceTokenizer.of(VOCAB, WordPieceOptions.builder().flavor(TokenizerFlavor.HUGGING_FACE)
        .lowercase(lowercase).stripAccents(lowercase).build());
  }

  @Test
  void fullWidthFormsAreCaseFolded() {
    assertThat(keras(true).tokenizeToStrings("ＴＨＥ ＦＯＸ")).containsExactly("the", "fox").inOrder();
    assertThat(keras(false).tokenizeToStrings("ＴＨＥ ＦＯＸ")).containsExactly("[UNK]", "[UNK]").inOrder();
  }

  @Test
  void ligaturesAndSharpS() {
    assertThat(keras(true).tokenizeToStrings("ﬁsh Straße")).containsExactly("fish", "strasse").inOrder();
  }

  @Test
  void finalSigmaFoldsToSigma() {
    assertThat(keras(true).tokenizeToStrings("ΟΔΟΣ οδος")).containsExactly("οδοσ", "οδοσ").inOrder();
  }

  @Test
  void accentsAreKeptWhenLowercasing() {
    assertThat(keras(true).tokenizeToStrings("CAFÉ Café")).containsExactly("café", "café").inOrder();
    // Hugging Face strips them.
    assertThat(huggingFace(true).tokenizeToStrings("CAFÉ Café")).containsExactly("cafe", "cafe").inOrder();
  }

  @Test
  void dottedCapitalIKeepsItsDot() {
    assertThat(keras(true).tokenizeToStrings("İstanbul")).containsExactly("i", "##̇", "##stanbul").inOrder();
  }

  @Test
  void nbspIsNotWhitespace() {
    // One word "the\u00a0fox" (lowercase off) or "the fox" after NFKC (on): neither is in the vocabulary.
    assertThat(keras(false).tokenizeToStrings("the\u00a0fox")).containsExactly("[UNK]");
    assertThat(keras(true).tokenizeToStrings("the\u00a0fox")).containsExactly("[UNK]");
    assertThat(keras(true).tokenizeToStrings("the\u3000fox")).containsExactly("[UNK]");
    assertThat(huggingFace(false).tokenizeToStrings("the\u00a0fox")).containsExactly("the", "fox").inOrder();
  }

  @Test
  void onlyAsciiWhitespaceSplits() {
    assertThat(keras(false).tokenizeToStrings("the\tfox\nthe\ffox\rthe fox"))
        .containsExactly("the", "fox", "the", "fox", "the", "fox").inOrder();
  }

  @Test
  void controlAndFormatCharactersSplitWords() {
    for (String c : List.of("\u0001", "\u000b", "\u0085", "\u200b", "\u00ad", "\u2060", "\ufeff")) {
      assertThat(keras(false).tokenizeToStrings("the" + c + "fox")).containsExactly("the", "fox").inOrder();
    }
    // Hugging Face deletes them, joining the word.
    assertThat(huggingFace(false).tokenizeToStrings("the\u200bfox")).containsExactly("[UNK]");
  }

  @Test
  void punctuationAndSymbols() {
    // \p{P} and ASCII symbols split; a currency sign (Sc) does not.
    assertThat(keras(false).tokenizeToStrings("¿the!")).containsExactly("¿", "the", "!").inOrder();
    assertThat(keras(false).tokenizeToStrings("fox€")).containsExactly("fox", "##€").inOrder();
  }

  @Test
  void emojiStayInTheWord() {
    assertThat(keras(false).tokenizeToStrings("fox🦊")).containsExactly("fox", "##🦊").inOrder();
  }

  @Test
  void variationSelectorsAreRemovedByCaseFolding() {
    assertThat(keras(true).tokenizeToStrings("fox\ufe0f")).containsExactly("fox");
    assertThat(keras(false).tokenizeToStrings("fox\ufe0f")).containsExactly("[UNK]");
  }

  @Test
  void wordLimitCountsUtf8Bytes() {
    String fifty = "é".repeat(50); // 100 bytes: allowed
    String fiftyOne = "é".repeat(51); // 102 bytes but only 51 characters
    assertThat(keras(false).tokenize(fifty)).hasLength(50);
    assertThat(keras(false).tokenizeToStrings(fiftyOne)).containsExactly("[UNK]");
    // Hugging Face counts characters (max_input_chars_per_word).
    assertThat(huggingFace(false).tokenize(fiftyOne)).hasLength(51);
    assertThat(huggingFace(false).tokenizeToStrings("é".repeat(101))).containsExactly("[UNK]");
  }

  @Test
  void cjkRangesDifferFromHuggingFace() {
    // U+2B820 is in Google BERT's (keras-hub's) fifth CJK range but not in Hugging Face's (from U+2B920).
    String text = "a\uD86E\uDC20b"; // a, U+2B820, b
    assertThat(text.codePointAt(1)).isEqualTo(0x2B820);
    assertThat(keras(false).tokenizeToStrings(text)).containsExactly("a", "𫠠", "b").inOrder();
    assertThat(huggingFace(false).tokenizeToStrings(text)).containsExactly("[UNK]");
  }

  @Test
  void lowercaseWithoutSplit() {
    WordPieceTokenizer t = WordPieceTokenizer.of(VOCAB, WordPieceOptions.builder().lowercase(true).split(false)
        .build());
    assertThat(t.tokenizeToStrings("ＦＯＸ")).containsExactly("fox");
    assertThat(t.tokenizeToStrings("the fox")).containsExactly("[UNK]");
  }
}
