package dev.bertgen.tokenizers;

import java.util.Arrays;

/**
 * The WordPiece algorithm on one pre-tokenized word: greedy longest match first, with the suffix
 * indicator on continuation pieces, and the out-of-vocabulary token for the whole word when any
 * part cannot be matched or the word is too long.
 *
 * <p>Pieces are found with a character trie: one for word-initial pieces (every token, literally)
 * and one for continuation pieces (tokens that start with the suffix indicator, without it). A
 * transition is one probe of an open-addressing table of {@code long}s that packs (node, char) and
 * the child node, so matching a word walks it once and allocates nothing.
 */
final class WordPieceModel {
  /** How the word-length limit is counted. */
  enum LengthUnit {
    /** keras-hub (tf-text FastWordpiece {@code max_bytes_per_word}): UTF-8 bytes. */
    UTF8_BYTES,
    /** Hugging Face ({@code max_input_chars_per_word}): Unicode code points. */
    CODE_POINTS
  }

  private static final int ROOT = 1;
  private static final int SUFFIX_ROOT = 2;
  private static final int MAX_NODES = (1 << 24) - 1;

  private final Vocabulary vocabulary;
  private final int oovId;
  private final int maxWordLength;
  private final LengthUnit lengthUnit;

  /** Entries (node << 40 | char << 24 | child); 0 is empty (node ids start at 1). */
  private long[] table;
  private int mask;
  private int edges;
  /** Token id ending at each node, or −1. */
  private int[] nodeToken;
  private int nodes;

  WordPieceModel(Vocabulary vocabulary, String suffixIndicator, int oovId, int maxWordLength,
      LengthUnit lengthUnit) {
    this.vocabulary = vocabulary;
    this.oovId = oovId;
    this.maxWordLength = maxWordLength;
    this.lengthUnit = lengthUnit;
    this.table = new long[1 << 12];
    this.mask = table.length - 1;
    this.nodeToken = new int[1 << 12];
    Arrays.fill(nodeToken, -1);
    this.nodes = 3; // 0 unused, ROOT, SUFFIX_ROOT
    int suffixLength = suffixIndicator.length();
    for (int id = 0; id < vocabulary.size(); id++) {
      String token = vocabulary.token(id);
      if (token.isEmpty() || vocabulary.idOf(token) != id) {
        continue; // an empty token never matches (Vocabulary refuses repeated tokens)
      }
      insert(ROOT, token, 0, id);
      if (suffixLength > 0 && token.length() > suffixLength && token.startsWith(suffixIndicator)) {
        insert(SUFFIX_ROOT, token, suffixLength, id);
      }
    }
    this.nodeToken = Arrays.copyOf(nodeToken, nodes);
  }

  Vocabulary vocabulary() {
    return vocabulary;
  }

  int oovId() {
    return oovId;
  }

  private void insert(int root, String token, int from, int id) {
    int node = root;
    for (int k = from; k < token.length(); k++) {
      char c = token.charAt(k);
      int child = child(node, c);
      if (child == 0) {
        child = newNode();
        put(node, c, child);
      }
      node = child;
    }
    if (nodeToken[node] < 0) {
      nodeToken[node] = id;
    }
  }

  private int newNode() {
    if (nodes == MAX_NODES) {
      throw new IllegalArgumentException("the vocabulary is too large for the WordPiece trie (more than "
          + MAX_NODES + " prefixes)");
    }
    if (nodes == nodeToken.length) {
      int old = nodeToken.length;
      nodeToken = Arrays.copyOf(nodeToken, old * 2);
      Arrays.fill(nodeToken, old, nodeToken.length, -1);
    }
    return nodes++;
  }

  private void put(int node, char c, int child) {
    if ((edges + 1) * 2 > table.length) {
      rehash();
    }
    long key = ((long) node << 16) | c;
    int i = slot(key);
    while (table[i] != 0) {
      i = (i + 1) & mask;
    }
    table[i] = (key << 24) | child;
    edges++;
  }

  private void rehash() {
    long[] old = table;
    table = new long[old.length * 2];
    mask = table.length - 1;
    for (long e : old) {
      if (e != 0) {
        int i = slot(e >>> 24);
        while (table[i] != 0) {
          i = (i + 1) & mask;
        }
        table[i] = e;
      }
    }
  }

  private int slot(long key) {
    return (int) ((key * 0x9E3779B97F4A7C15L) >>> 40) & mask;
  }

  private int child(int node, char c) {
    long key = ((long) node << 16) | c;
    long[] t = table;
    int m = mask;
    int i = slot(key);
    for (long e; (e = t[i]) != 0; i = (i + 1) & m) {
      if ((e >>> 24) == key) {
        return (int) (e & 0xFFFFFF);
      }
    }
    return 0;
  }

  /**
   * Appends the pieces of {@code w[off, off + len)} (a non-empty word) to {@code out}, or the
   * out-of-vocabulary id when the word cannot be split or is longer than the limit.
   */
  void encode(char[] w, int off, int len, Scratch out) {
    if (tooLong(w, off, len)) {
      out.add(oovId);
      return;
    }
    int whole = vocabulary.idOf(w, off, len);
    if (whole >= 0) {
      out.add(whole); // the longest match of a word in the vocabulary is the word itself
      return;
    }
    int mark = out.size;
    int start = off;
    int end = off + len;
    int root = ROOT;
    while (start < end) {
      int node = root;
      int best = -1;
      int bestEnd = start;
      for (int j = start; j < end; j++) {
        node = child(node, w[j]);
        if (node == 0) {
          break;
        }
        int t = nodeToken[node];
        if (t >= 0) {
          best = t;
          bestEnd = j + 1;
        }
      }
      if (best < 0) {
        out.size = mark;
        out.add(oovId);
        return;
      }
      out.add(best);
      start = bestEnd;
      root = SUFFIX_ROOT;
    }
  }

  private boolean tooLong(char[] w, int off, int len) {
    if (lengthUnit == LengthUnit.CODE_POINTS) {
      if (len <= maxWordLength) {
        return false;
      }
      int codePoints = len;
      for (int k = off; k < off + len - 1; k++) {
        if (Character.isHighSurrogate(w[k]) && Character.isLowSurrogate(w[k + 1])) {
          codePoints--;
          k++;
        }
      }
      return codePoints > maxWordLength;
    }
    if (len * 3 <= maxWordLength) {
      return false;
    }
    int bytes = 0;
    for (int k = off; k < off + len; k++) {
      char c = w[k];
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && k + 1 < off + len && Character.isLowSurrogate(w[k + 1])) {
        bytes += 4;
        k++;
      } else {
        bytes += 3;
      }
    }
    return bytes > maxWordLength;
  }
}
