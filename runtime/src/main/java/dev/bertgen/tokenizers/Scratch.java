package dev.bertgen.tokenizers;

import java.util.Arrays;

/**
 * Per-thread working buffers of the tokenizers: the input characters of a segment, the current
 * word, and the ids produced so far. Reused across calls so the hot loop allocates nothing.
 */
final class Scratch {
  private static final ThreadLocal<Scratch> LOCAL = ThreadLocal.withInitial(Scratch::new);
  /** Buffers above this many elements are dropped after a call instead of being kept. */
  private static final int KEEP_LIMIT = 1 << 20;

  char[] in = new char[512];
  char[] word = new char[512];
  int[] ids = new int[512];
  int size;
  final StringBuilder text = new StringBuilder(256);

  /** The calling thread's buffers, emptied. */
  static Scratch get() {
    Scratch s = LOCAL.get();
    s.size = 0;
    return s;
  }

  char[] in(int n) {
    if (in.length < n) {
      in = new char[Math.max(n, in.length * 2)];
    }
    return in;
  }

  char[] word(int n) {
    if (word.length < n) {
      word = new char[Math.max(n, word.length * 2)];
    }
    return word;
  }

  void add(int id) {
    if (size == ids.length) {
      ids = Arrays.copyOf(ids, size * 2);
    }
    ids[size++] = id;
  }

  /** The ids produced so far, as a new array; large buffers are released. */
  int[] toArray() {
    int[] out = Arrays.copyOf(ids, size);
    release();
    return out;
  }

  void release() {
    if (in.length > KEEP_LIMIT) {
      in = new char[512];
    }
    if (word.length > KEEP_LIMIT) {
      word = new char[512];
    }
    if (ids.length > KEEP_LIMIT) {
      ids = new int[512];
    }
    if (text.capacity() > KEEP_LIMIT) {
      text.setLength(0);
      text.trimToSize();
    }
  }
}
