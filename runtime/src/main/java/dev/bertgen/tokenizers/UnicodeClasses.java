package dev.bertgen.tokenizers;

/**
 * Character classes used by the two pre-tokenizers, each named after the rule it reproduces.
 * Categories come from {@link Character#getType(int)} (the JDK's Unicode version).
 */
final class UnicodeClasses {
  private UnicodeClasses() {}

  /** RE2's {@code \s}: ASCII space, tab, newline, form feed, carriage return (not \v, not NBSP). */
  static boolean isRe2Space(int cp) {
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\f' || cp == '\r';
  }

  /** {@code \p{Cc}} or {@code \p{Cf}}. */
  static boolean isControlOrFormat(int cp) {
    int t = Character.getType(cp);
    return t == Character.CONTROL || t == Character.FORMAT;
  }

  /** {@code \p{P}}: any of the seven punctuation categories. */
  static boolean isUnicodePunctuation(int cp) {
    switch (Character.getType(cp)) {
      case Character.CONNECTOR_PUNCTUATION:
      case Character.DASH_PUNCTUATION:
      case Character.START_PUNCTUATION:
      case Character.END_PUNCTUATION:
      case Character.INITIAL_QUOTE_PUNCTUATION:
      case Character.FINAL_QUOTE_PUNCTUATION:
      case Character.OTHER_PUNCTUATION:
        return true;
      default:
        return false;
    }
  }

  /** ASCII {@code !}–{@code /}, {@code :}–{@code @}, {@code [}–{@code `}, {@code {}–{@code ~}. */
  static boolean isAsciiPunctuation(int cp) {
    return (cp >= '!' && cp <= '/') || (cp >= ':' && cp <= '@') || (cp >= '[' && cp <= '`')
        || (cp >= '{' && cp <= '~');
  }

  /** {@code \p{Mn}}: a non-spacing mark, what accent stripping removes after NFD. */
  static boolean isNonSpacingMark(int cp) {
    return Character.getType(cp) == Character.NON_SPACING_MARK;
  }

  /**
   * keras-hub's {@code CJK_REGEX} (from Google's BERT): the CJK ideograph blocks that are split into
   * one word per character.
   */
  static boolean isKerasHubCjk(int cp) {
    return (cp >= 0x4E00 && cp <= 0x9FFF)
        || (cp >= 0x3400 && cp <= 0x4DBF)
        || (cp >= 0x20000 && cp <= 0x2A6DF)
        || (cp >= 0x2A700 && cp <= 0x2B73F)
        || (cp >= 0x2B740 && cp <= 0x2B81F)
        || (cp >= 0x2B820 && cp <= 0x2CEAF)
        || (cp >= 0xF900 && cp <= 0xFAFF)
        || (cp >= 0x2F800 && cp <= 0x2FA1F);
  }

  /**
   * Hugging Face tokenizers' {@code is_chinese_char} (normalizers/bert.rs). Its fifth range starts at
   * U+2B920, not U+2B820 as in Google's BERT, so U+2B820–U+2B91F are not split there.
   */
  static boolean isHuggingFaceChinese(int cp) {
    return (cp >= 0x4E00 && cp <= 0x9FFF)
        || (cp >= 0x3400 && cp <= 0x4DBF)
        || (cp >= 0x20000 && cp <= 0x2A6DF)
        || (cp >= 0x2A700 && cp <= 0x2B73F)
        || (cp >= 0x2B740 && cp <= 0x2B81F)
        || (cp >= 0x2B920 && cp <= 0x2CEAF)
        || (cp >= 0xF900 && cp <= 0xFAFF)
        || (cp >= 0x2F800 && cp <= 0x2FA1F);
  }

  /** Rust's {@code char::is_whitespace}: the Unicode White_Space property. */
  static boolean isWhiteSpaceProperty(int cp) {
    if (cp <= 0x20) {
      return cp == ' ' || (cp >= 0x09 && cp <= 0x0D);
    }
    if (cp < 0x85) {
      return false;
    }
    return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028
        || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
  }

  /**
   * Hugging Face's BERT {@code is_control} by the JDK's categories: Cc, Cf or Co (the
   * {@code unicode_categories} crate's {@code is_other}), except tab, newline and carriage return.
   * {@link HuggingFaceUnicode#isControl(int)} corrects it to the crate's Unicode version.
   */
  static boolean isJavaControl(int cp) {
    if (cp == '\t' || cp == '\n' || cp == '\r') {
      return false;
    }
    int t = Character.getType(cp);
    return t == Character.CONTROL || t == Character.FORMAT || t == Character.PRIVATE_USE;
  }

  /** Hugging Face's {@code is_bert_punc} by the JDK's categories: ASCII punctuation or P*. */
  static boolean isJavaPunctuation(int cp) {
    return isAsciiPunctuation(cp) || isUnicodePunctuation(cp);
  }

  /** Mn by the JDK's categories. */
  static boolean isJavaNonSpacingMark(int cp) {
    return Character.getType(cp) == Character.NON_SPACING_MARK;
  }
}
