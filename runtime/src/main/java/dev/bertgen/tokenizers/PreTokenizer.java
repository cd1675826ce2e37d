package dev.bertgen.tokenizers;

/**
 * Normalizes and splits a piece of text into words and hands each word to the WordPiece model.
 * Subclasses reproduce one library's rules ({@link KerasHubPreTokenizer},
 * {@link HuggingFacePreTokenizer}).
 *
 * <p>Text that is pure ASCII takes a table-driven loop over a reused {@code char[]}: one lookup per
 * character, lowercasing by arithmetic, no allocation. Other text takes the subclass's Unicode path,
 * which applies the library's steps in its order on whole strings.
 */
abstract class PreTokenizer {
  /** Part of a word. */
  static final byte WORD = 0;
  /** Ends the current word and is dropped (whitespace; keras-hub's control characters). */
  static final byte DROP = 1;
  /** Ends the current word and is a word of its own (punctuation, CJK). */
  static final byte KEEP = 2;
  /** Deleted without ending the word (Hugging Face's clean_text). */
  static final byte REMOVE = 3;

  final WordPieceModel model;
  final boolean lowercase;
  final boolean split;
  /** Class of each ASCII character; filled by {@link #buildAsciiTable()}. */
  private final byte[] ascii = new byte[128];

  PreTokenizer(WordPieceModel model, boolean lowercase, boolean split) {
    this.model = model;
    this.lowercase = lowercase;
    this.split = split;
  }

  /** Fills the ASCII table; subclasses call it at the end of their constructor. */
  final void buildAsciiTable() {
    for (int c = 0; c < 128; c++) {
      ascii[c] = asciiClass(c);
    }
  }

  /** The class of an ASCII character under this flavor's rules (fields of the subclass are set). */
  abstract byte asciiClass(int c);

  /** Applies this flavor's rules to {@code text}, which has a non-ASCII character or is unsplit. */
  abstract void unicode(String text, Scratch s);

  /** Tokenizes {@code text[from, to)} into {@code s}. */
  final void process(String text, int from, int to, Scratch s) {
    int n = to - from;
    if (n == 0) {
      return;
    }
    if (!split) {
      unicode(text.substring(from, to), s);
      return;
    }
    char[] in = s.in(n);
    text.getChars(from, to, in, 0);
    int any = 0;
    for (int k = 0; k < n; k++) {
      any |= in[k];
    }
    if (any < 0x80) {
      asciiWords(in, n, s);
    } else {
      unicode(text.substring(from, to), s);
    }
  }

  private void asciiWords(char[] in, int n, Scratch s) {
    char[] w = s.word(n);
    byte[] classes = ascii;
    boolean lower = lowercase;
    WordPieceModel m = model;
    int len = 0;
    for (int k = 0; k < n; k++) {
      char c = in[k];
      switch (classes[c]) {
        case WORD:
          w[len++] = lower && c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
          break;
        case DROP:
          if (len > 0) {
            m.encode(w, 0, len, s);
            len = 0;
          }
          break;
        case KEEP:
          if (len > 0) {
            m.encode(w, 0, len, s);
            len = 0;
          }
          w[0] = c;
          m.encode(w, 0, 1, s);
          break;
        default: // REMOVE
          break;
      }
    }
    if (len > 0) {
      m.encode(w, 0, len, s);
    }
  }

  /** Encodes the word {@code word[from, to)}, skipping an empty one. */
  final void emit(CharSequence word, int from, int to, Scratch s) {
    int n = to - from;
    if (n == 0) {
      return;
    }
    char[] w = s.word(n);
    if (word instanceof String str) {
      str.getChars(from, to, w, 0);
    } else {
      for (int k = 0; k < n; k++) {
        w[k] = word.charAt(from + k);
      }
    }
    model.encode(w, 0, n, s);
  }

  /** NFD, then every non-spacing mark (Mn) removed. */
  static String stripAccents(String text) {
    String nfd = java.text.Normalizer.normalize(text, java.text.Normalizer.Form.NFD);
    StringBuilder out = new StringBuilder(nfd.length());
    for (int i = 0; i < nfd.length(); ) {
      int cp = nfd.codePointAt(i);
      i += Character.charCount(cp);
      if (!UnicodeClasses.isNonSpacingMark(cp)) {
        out.appendCodePoint(cp);
      }
    }
    return out.toString();
  }
}
