package dev.bertgen.tokenizers;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Finds special tokens (such as "[MASK]") in raw text, leftmost first and, among tokens starting at
 * the same place, longest first: keras-hub's {@code special_tokens_in_strings} and Hugging Face's
 * added-token extraction, both of which run before any normalization.
 */
final class SpecialTokenMatcher {
  private final String[] tokens;
  private final int[] ids;
  /** For a first character below 128: whether some token starts with it. */
  private final boolean[] asciiFirst = new boolean[128];
  private final boolean anyNonAsciiFirst;
  /** When every token starts with the same character, that character (else −1). */
  private final int commonFirst;

  /**
   * @param tokens non-empty special tokens
   * @param ids their ids, same order
   */
  SpecialTokenMatcher(List<String> tokens, List<Integer> ids) {
    record Entry(String token, int id) {}
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < tokens.size(); i++) {
      entries.add(new Entry(tokens.get(i), ids.get(i)));
    }
    entries.sort(Comparator.comparingInt((Entry e) -> -e.token().length()));
    this.tokens = new String[entries.size()];
    this.ids = new int[entries.size()];
    boolean nonAscii = false;
    int common = entries.isEmpty() ? -1 : entries.get(0).token().charAt(0);
    for (int i = 0; i < entries.size(); i++) {
      String t = entries.get(i).token();
      this.tokens[i] = t;
      this.ids[i] = entries.get(i).id();
      char first = t.charAt(0);
      if (first < 128) {
        asciiFirst[first] = true;
      } else {
        nonAscii = true;
      }
      if (first != common) {
        common = -1;
      }
    }
    this.anyNonAsciiFirst = nonAscii;
    this.commonFirst = common;
  }

  /**
   * The next special token at or after {@code from}: {@code (start << 32) | index}, or −1.
   * {@link #length(int)} and {@link #id(int)} describe the token at {@code index}.
   */
  long find(String text, int from) {
    int n = text.length();
    int i = from;
    while (i < n) {
      if (commonFirst >= 0) {
        i = text.indexOf(commonFirst, i);
        if (i < 0) {
          return -1;
        }
      } else {
        char c = text.charAt(i);
        if (c < 128 ? !asciiFirst[c] : !anyNonAsciiFirst) {
          i++;
          continue;
        }
      }
      for (int k = 0; k < tokens.length; k++) {
        if (text.startsWith(tokens[k], i)) {
          return ((long) i << 32) | k;
        }
      }
      i++;
    }
    return -1;
  }

  int length(int index) {
    return tokens[index].length();
  }

  int id(int index) {
    return ids[index];
  }
}
