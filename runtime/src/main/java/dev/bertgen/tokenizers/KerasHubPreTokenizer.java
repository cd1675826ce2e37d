package dev.bertgen.tokenizers;

/**
 * keras-hub's {@code pretokenize} (tokenizers/word_piece_tokenizer.py), in its order:
 *
 * <ol>
 *   <li>CJK ideographs become words of their own (with {@code split} and {@code split_on_cjk});
 *   <li>{@code strip_accents}: NFD, then {@code \p{Mn}} deleted;
 *   <li>{@code split}: RE2 {@code \s} (ASCII space, \t, \n, \f, \r only: NBSP and other Zs are
 *       <em>not</em> whitespace) and {@code \p{Cc}}, {@code \p{Cf}} end words and are dropped, so a
 *       control or format character splits a word; punctuation (ASCII symbols and {@code \p{P}})
 *       and CJK ideographs are kept as one-character words;
 *   <li>{@code lowercase}: NFKC_Casefold of each word (full-width forms and ligatures are normalized
 *       too; accents are kept).
 * </ol>
 *
 * <p>Without {@code split} the whole text is one word.
 */
final class KerasHubPreTokenizer extends PreTokenizer {
  private final boolean stripAccents;
  private final boolean splitOnCjk;

  KerasHubPreTokenizer(WordPieceModel model, boolean lowercase, boolean stripAccents, boolean split,
      boolean splitOnCjk) {
    super(model, lowercase, split);
    this.stripAccents = stripAccents;
    this.splitOnCjk = splitOnCjk;
    buildAsciiTable();
  }

  @Override
  byte asciiClass(int c) {
    if (UnicodeClasses.isRe2Space(c) || c < 0x20 || c == 0x7F) {
      return DROP;
    }
    return UnicodeClasses.isAsciiPunctuation(c) ? KEEP : WORD;
  }

  private byte classify(int cp) {
    if (cp < 0x80) {
      return asciiClass(cp);
    }
    if (UnicodeClasses.isControlOrFormat(cp)) {
      return DROP;
    }
    if (UnicodeClasses.isUnicodePunctuation(cp) || (splitOnCjk && UnicodeClasses.isKerasHubCjk(cp))) {
      return KEEP;
    }
    return WORD;
  }

  @Override
  void unicode(String text, Scratch s) {
    // CJK characters are KEEP delimiters below, which gives the same words as first surrounding
    // them with spaces; NFD keeps a CJK ideograph a CJK ideograph.
    String t = stripAccents ? stripAccents(text) : text;
    if (!split) {
      word(t, 0, t.length(), s);
      return;
    }
    int wordStart = -1;
    for (int i = 0; i < t.length(); ) {
      int cp = t.codePointAt(i);
      int next = i + Character.charCount(cp);
      byte c = classify(cp);
      if (c == WORD) {
        if (wordStart < 0) {
          wordStart = i;
        }
      } else {
        if (wordStart >= 0) {
          word(t, wordStart, i, s);
          wordStart = -1;
        }
        if (c == KEEP) {
          word(t, i, next, s);
        }
      }
      i = next;
    }
    if (wordStart >= 0) {
      word(t, wordStart, t.length(), s);
    }
  }

  private void word(String t, int from, int to, Scratch s) {
    if (!lowercase) {
      emit(t, from, to, s);
      return;
    }
    String folded = CaseFolding.nfkcCasefold(t.substring(from, to));
    emit(folded, 0, folded.length(), s);
  }
}
