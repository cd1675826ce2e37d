package dev.bertgen.tokenizers;

/**
 * Hugging Face tokenizers' {@code BertNormalizer} followed by its {@code BertPreTokenizer}, the
 * normalization of {@code transformers}' {@code BertTokenizer(Fast)}:
 *
 * <ol>
 *   <li>{@code clean_text}: U+0000, U+FFFD and control characters (categories Cc, Cf, Co, except
 *       \t \n \r) are deleted, without splitting the word; every White_Space character becomes a
 *       space;
 *   <li>{@code handle_chinese_chars}: spaces around each CJK ideograph;
 *   <li>{@code strip_accents} (when lowercasing, unless explicitly false): NFD, then Mn deleted;
 *   <li>{@code lowercase}: per character, full lowercase mapping (no final-sigma rule);
 *   <li>split on White_Space (dropped) and on punctuation (ASCII symbols and Unicode P*), each
 *       punctuation character a word of its own.
 * </ol>
 */
final class HuggingFacePreTokenizer extends PreTokenizer {
  private final boolean stripAccents;
  private final boolean handleChineseChars;
  private final boolean cleanText;

  HuggingFacePreTokenizer(WordPieceModel model, boolean lowercase, boolean stripAccents, boolean split,
      boolean handleChineseChars, boolean cleanText) {
    super(model, lowercase, split);
    this.stripAccents = stripAccents;
    this.handleChineseChars = handleChineseChars;
    this.cleanText = cleanText;
    buildAsciiTable();
  }

  @Override
  byte asciiClass(int c) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      return DROP;
    }
    if (c < 0x20 || c == 0x7F) {
      if (cleanText) {
        return REMOVE;
      }
      return c == 0x0B || c == 0x0C ? DROP : WORD;
    }
    return UnicodeClasses.isAsciiPunctuation(c) ? KEEP : WORD;
  }

  @Override
  void unicode(String text, Scratch s) {
    StringBuilder sb = s.text;
    sb.setLength(0);
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (cleanText) {
        if (cp == 0 || cp == 0xFFFD || HuggingFaceUnicode.isControl(cp)) {
          continue;
        }
        if (UnicodeClasses.isWhiteSpaceProperty(cp)) {
          sb.append(' ');
          continue;
        }
      }
      if (handleChineseChars && UnicodeClasses.isHuggingFaceChinese(cp)) {
        sb.append(' ').appendCodePoint(cp).append(' ');
      } else {
        sb.appendCodePoint(cp);
      }
    }
    String t = sb.toString();
    if (stripAccents) {
      t = HuggingFaceUnicode.stripAccents(t);
    }
    if (lowercase) {
      t = lowercase(t, sb);
    }
    if (!split) {
      emit(t, 0, t.length(), s);
      return;
    }
    int wordStart = -1;
    for (int i = 0; i < t.length(); ) {
      int cp = t.codePointAt(i);
      int next = i + Character.charCount(cp);
      boolean space = UnicodeClasses.isWhiteSpaceProperty(cp);
      boolean punctuation = !space && HuggingFaceUnicode.isPunctuation(cp);
      if (space || punctuation) {
        if (wordStart >= 0) {
          emit(t, wordStart, i, s);
          wordStart = -1;
        }
        if (punctuation) {
          emit(t, i, next, s);
        }
      } else if (wordStart < 0) {
        wordStart = i;
      }
      i = next;
    }
    if (wordStart >= 0) {
      emit(t, wordStart, t.length(), s);
    }
  }

  /** Rust's {@code char::to_lowercase} on each character: simple mappings, and U+0130 → "i̇". */
  private static String lowercase(String t, StringBuilder sb) {
    sb.setLength(0);
    for (int i = 0; i < t.length(); ) {
      int cp = t.codePointAt(i);
      i += Character.charCount(cp);
      if (cp == 0x130) {
        sb.append("i\u0307");
      } else {
        sb.appendCodePoint(HuggingFaceUnicode.toLowerCase(cp));
      }
    }
    return sb.toString();
  }
}
