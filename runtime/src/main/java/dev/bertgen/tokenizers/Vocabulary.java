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
import java.util.List;
import java.util.Objects;

/**
 * A WordPiece vocabulary: tokens in id order and an open-addressing hash from token to id that can
 * be probed with a range of a {@code char[]} (no string is made to look a word up).
 *
 * <p>When a token occurs twice, its first id wins, as in keras-hub's {@code token_to_id}.
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
      boolean duplicate = false;
      while (slots[i] != 0) {
        if (slotHashes[i] == h && tokens[slots[i] - 1].equals(t)) {
          duplicate = true; // keep the first id
          break;
        }
        i = (i + 1) & mask;
      }
      if (!duplicate) {
        slots[i] = id + 1;
        slotHashes[i] = h;
      }
    }
  }

  /**
   * A vocabulary from tokens in id order.
   *
   * @throws IllegalArgumentException for an empty list or a {@code null} token
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
   * @throws IllegalArgumentException naming the file when it is missing, not UTF-8, or empty
   * @throws dev.bertgen.presets.PresetException naming the file when it is not a regular file (a named
   *     pipe or a device, which would block or never end)
   */
  public static Vocabulary fromFile(Path file) {
    return of(readLines(file));
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

  /** The first id of {@code token}, or −1. */
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

  /** The first id of the token spelled by {@code buf[off, off + len)}, or −1. */
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
