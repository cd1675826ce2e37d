package dev.bertgen.examples.app;

import dev.bertgen.examples.app.BertGenApp.UserException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Checks of option values, each failing with a one-line message naming the option. */
final class Arguments {
  private Arguments() {}

  static void atLeast(String option, int value, int min) {
    if (value < min) {
      throw new UserException(option + " must be at least " + min + ", got " + value);
    }
  }

  static void positive(String option, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new UserException(option + " must be a positive number, got " + value);
    }
  }

  /** A file or folder that exists. */
  static void exists(String option, Path path) {
    if (path.toString().isEmpty()) {
      throw new UserException(option + " is empty; give a file or folder");
    }
    if (!Files.exists(path)) {
      throw new UserException(option + " " + path + ": no such file or folder");
    }
  }

  /** {@link #textFile}, or a folder (of text files). */
  static void textFileOrFolder(String option, Path path) {
    exists(option, path);
    if (!Files.isDirectory(path)) {
      textFile(option, path);
    }
  }

  /**
   * A text file to read: a regular file (not a named pipe or a device, which could be read without end)
   * whose first {@value #SNIFF} bytes, uncompressed if it is gzip, hold no NUL byte (binary files and
   * UTF-16 text do).
   */
  static void textFile(String option, Path file) {
    exists(option, file);
    if (Files.isDirectory(file)) {
      throw new UserException(option + " " + file + " is a folder; give one text file");
    }
    if (!Files.isRegularFile(file)) {
      throw new UserException(option + " " + file + " is not a regular file (a named pipe, a device or a socket, "
          + "which BertGen could wait on forever); save the text into a file and give that");
    }
    long nul = firstNul(file);
    if (nul >= 0) {
      throw new UserException(option + " " + file + " is not text: it has NUL bytes (the first at byte " + nul
          + "), so it is a binary file or UTF-16 text; give UTF-8 text, one example per line (UTF-16 converts with "
          + "iconv -f utf-16 -t utf-8)");
    }
  }

  /** How much of a file {@link #textFile} looks at. */
  static final int SNIFF = 8192;

  /** The offset of the first NUL byte in the first bytes of {@code file} (gunzipped), or -1. */
  private static long firstNul(Path file) {
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
      raw.mark(2);
      boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
      raw.reset();
      InputStream in = gzip ? new GZIPInputStream(raw) : raw;
      byte[] head = in.readNBytes(SNIFF);
      for (int i = 0; i < head.length; i++) {
        if (head[i] == 0) {
          return i;
        }
      }
      return -1;
    } catch (IOException e) {
      return -1; // unreadable or a broken gzip file: reading it reports why
    }
  }
}
