package dev.bertgen.tokenizers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A WordPiece vocabulary: tokens in id order and an open-addressing hash from token to id that can
 * be probed with a range of a {@code char[]} (no string is made to look a word up).
 *
 * <p>Every token must be unique, as keras-hub requires (its tf-text {@code FastWordpieceTokenizer}
 * refuses a vocabulary with a repeated token); transformers accepts repeats and silently keeps only the
 * last id of each, which leaves the earlier ids unreachable, so BertGen refuses them in both flavors.
 */
public final class Vocabulary {
  private final String[] tokens;
  private final List<String> tokenList;
  /** id + 1 per slot, 0 when empty. */
  private final int[] slots;
  private final int[] slotHashes;
  private final int mask;

  private Vocabulary(String[] tokens) {
    this.tokens = tokens;
    this.tokenList = Collections.unmodifiableList(Arrays.asList(tokens));
    int capacity = Integer.highestOneBit(Math.max(4, tokens.length * 2 - 1)) << 1;
    this.slots = new int[capacity];
    this.slotHashes = new int[capacity];
    this.mask = capacity - 1;
    for (int id = 0; id < tokens.length; id++) {
      String t = tokens[id];
      int h = hash(t);
      int i = mix(h) & mask;
      while (slots[i] != 0) {
        if (slotHashes[i] == h && tokens[slots[i] - 1].equals(t)) {
          int first = slots[i] - 1;
          throw new IllegalArgumentException(duplicateMessage(t, "entry " + first + " of the vocabulary",
              "entry " + id, "entry " + first, first, tokenList));
        }
        i = (i + 1) & mask;
      }
      slots[i] = id + 1;
      slotHashes[i] = h;
    }
  }

  /**
   * The ids of the first token that occurs twice in {@code tokens}, as {@code {first, second}}, or
   * {@code null} when every token is unique.
   */
  static int[] firstDuplicate(List<String> tokens) {
    Map<String, Integer> seen = new HashMap<>(tokens.size() * 2);
    for (int id = 0; id < tokens.size(); id++) {
      Integer before = seen.putIfAbsent(tokens.get(id), id);
      if (before != null) {
        return new int[] {before, id};
      }
    }
    return null;
  }

  /**
   * Refuses a vocabulary file whose tokens are not unique, naming the token and both lines (a
   * token's id is its line number minus one).
   *
   * @throws IllegalArgumentException naming {@code file}, the token, both lines and the fix
   */
  static void requireUniqueLines(List<String> tokens, Path file) {
    int[] d = firstDuplicate(tokens);
    if (d != null) {
      throw new IllegalArgumentException(file + ": " + duplicateMessage(tokens.get(d[0]), "on line " + (d[0] + 1),
          "on line " + (d[1] + 1), "line " + (d[0] + 1), d[0], tokens));
    }
  }

  /**
   * The message for a token found twice: {@code the token "x" is <firstPlace> and again
   * <secondPlace>; ...}, with the fix: a placeholder the vocabulary lacks in place of the first
   * ({@code firstName}), so that no id moves (transformers maps a repeated token to its later id, so
   * this also keeps the ids it gives).
   */
  static String duplicateMessage(String token, String firstPlace, String secondPlace, String firstName,
      int firstId, List<String> tokens) {
    Set<String> all = new HashSet<>(tokens);
    String placeholder = "[unused" + firstId + "]";
    while (all.contains(placeholder)) {
      placeholder = placeholder.substring(0, placeholder.length() - 1) + "_]";
    }
    return "the token \"" + printable(token) + "\" is " + firstPlace + " and again " + secondPlace + "; the "
        + "tokens of a vocabulary must be unique (keras-hub refuses repeats; transformers silently keeps only the "
        + "later id). Replace " + firstName + " with a token the vocabulary lacks, such as " + placeholder
        + ", so that no other id moves";
  }

  /** {@code token} with control and line-breaking characters escaped, for one-line messages. */
  static String printable(String token) {
    StringBuilder sb = new StringBuilder(token.length());
    token.codePoints().forEach(c -> {
      boolean invisible = Character.isISOControl(c) || c == 0x2028 || c == 0x2029;
      if (invisible || Character.getType(c) == Character.SURROGATE) {
        sb.append(String.format(Locale.ROOT, "\\u%04X", c));
      } else {
        sb.appendCodePoint(c);
      }
    });
    return sb.toString();
  }

  /**
   * A vocabulary from tokens in id order.
   *
   * @throws IllegalArgumentException for an empty list, a {@code null} token or a token that occurs
   *     twice (naming both entries)
   */
  public static Vocabulary of(List<String> tokens) {
    Objects.requireNonNull(tokens, "vocabulary");
    if (tokens.isEmpty()) {
      throw new IllegalArgumentException("the vocabulary is empty; pass the WordPiece tokens in id order, "
          + "one per entry (for BERT: a vocab.txt or assets/tokenizer/vocabulary.txt)");
    }
    String[] array = new String[tokens.size()];
    for (int i = 0; i < array.length; i++) {
      String t = tokens.get(i);
      if (t == null) {
        throw new IllegalArgumentException("vocabulary entry " + i + " is null; every id needs a token");
      }
      array[i] = t;
    }
    return new Vocabulary(array);
  }

  /**
   * Reads a UTF-8 vocabulary file with one token per line, as keras-hub does: trailing whitespace of
   * each line is removed ({@code line.rstrip()}), and a final newline does not add a token.
   *
   * @throws IllegalArgumentException naming the file when it is missing, not UTF-8, or empty, or
   *     when a token is on two lines (naming the token and both lines)
   * @throws dev.bertgen.presets.PresetException naming the file when it is not a regular file (a named
   *     pipe or a device, which would block or never end)
   */
  public static Vocabulary fromFile(Path file) {
    List<String> lines = readLines(file);
    requireUniqueLines(lines, file);
    return of(lines);
  }

  /** The lines of a UTF-8 vocabulary file, each with trailing whitespace removed. */
  static List<String> readLines(Path file) {
    Objects.requireNonNull(file, "file");
    dev.bertgen.presets.RegularFiles.require(file);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("vocabulary file " + file + " does not exist; pass the path of a "
          + "WordPiece vocabulary with one token per line", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read vocabulary file " + file, e);
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("vocabulary file " + file + " is not valid UTF-8; re-save it as "
          + "UTF-8 with one token per line", e);
    }
    List<String> lines = new ArrayList<>();
    int start = 0;
    int n = text.length();
    while (start < n) {
      int end = text.indexOf('\n', start);
      if (end < 0) {
        end = n;
      }
      lines.add(rstrip(text, start, end));
      start = end + 1;
    }
    if (lines.isEmpty()) {
      throw new IllegalArgumentException("vocabulary file " + file + " is empty; it needs one token per line");
    }
    return lines;
  }

  /** Python's {@code str.rstrip()}: drops trailing whitespace, non-breaking spaces included. */
  private static String rstrip(String text, int start, int end) {
    while (end > start) {
      char c = text.charAt(end - 1);
      if (!(Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085')) {
        break;
      }
      end--;
    }
    return text.substring(start, end);
  }

  /** Number of tokens (ids are 0 to size − 1). */
  public int size() {
    return tokens.length;
  }

  /** The tokens in id order (unmodifiable). */
  public List<String> tokens() {
    return tokenList;
  }

  /** The token of {@code id}, unchecked beyond the array bounds. */
  String token(int id) {
    return tokens[id];
  }

  /** The id of {@code token}, or −1. */
  public int idOf(String token) {
    int h = hash(token);
    int i = mix(h) & mask;
    for (int s; (s = slots[i]) != 0; i = (i + 1) & mask) {
      if (slotHashes[i] == h && tokens[s - 1].equals(token)) {
        return s - 1;
      }
    }
    return -1;
  }

  /** The id of the token spelled by {@code buf[off, off + len)}, or −1. */
  public int idOf(char[] buf, int off, int len) {
    int h = hash(buf, off, len);
    int i = mix(h) & mask;
    for (int s; (s = slots[i]) != 0; i = (i + 1) & mask) {
      if (slotHashes[i] == h && equals(tokens[s - 1], buf, off, len)) {
        return s - 1;
      }
    }
    return -1;
  }

  private static boolean equals(String t, char[] buf, int off, int len) {
    if (t.length() != len) {
      return false;
    }
    for (int k = 0; k < len; k++) {
      if (t.charAt(k) != buf[off + k]) {
        return false;
      }
    }
    return true;
  }

  /** The same hash as {@link String#hashCode()}. */
  private static int hash(char[] buf, int off, int len) {
    int h = 0;
    for (int k = 0; k < len; k++) {
      h = 31 * h + buf[off + k];
    }
    return h;
  }

  private static int hash(String s) {
    return s.hashCode();
  }

  private static int mix(int h) {
    return (h * 0x9E3779B1) ^ (h >>> 15);
  }
}
