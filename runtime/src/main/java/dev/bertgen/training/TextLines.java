package dev.bertgen.training;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Reads a training corpus: one example per line, UTF-8, optionally gzip-compressed. */
public final class TextLines {
  private TextLines() {}

  /**
   * The non-blank lines of {@code file}, trimmed; gzip files (magic bytes 1f 8b) are decompressed.
   *
   * @throws UncheckedIOException naming the file when it is missing, unreadable, truncated, or not
   *     UTF-8 (with the line number)
   */
  public static List<String> read(Path file) {
    List<String> out = new ArrayList<>();
    int line = 0;
    try (InputStream raw = Files.newInputStream(file)) {
      InputStream in = new java.io.BufferedInputStream(raw);
      in.mark(2);
      boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
      in.reset();
      if (gzip) {
        in = new GZIPInputStream(in, 1 << 16);
      }
      java.nio.charset.CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
      java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(256);
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) >= 0;) {
        for (int i = 0; i < n; i++) {
          if (buffer[i] == '\n') {
            line++;
            addLine(out, utf8, bytes);
          } else {
            bytes.write(buffer[i]);
          }
        }
      }
      if (bytes.size() > 0) {
        line++;
        addLine(out, utf8, bytes);
      }
    } catch (NoSuchFileException e) {
      throw new UncheckedIOException("corpus file " + file + " does not exist; give a text file with one "
          + "example per line", e);
    } catch (CharacterCodingException e) {
      throw new UncheckedIOException(file + " is not UTF-8 text (line " + line + "); convert it, e.g. "
          + "iconv -f latin1 -t utf-8", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + " (line " + (line + 1) + "): " + e.getMessage()
          + (e instanceof java.io.EOFException ? "; the gzip file is truncated" : ""), e);
    }
    return out;
  }

  private static void addLine(List<String> out, java.nio.charset.CharsetDecoder utf8,
      java.io.ByteArrayOutputStream bytes) throws CharacterCodingException {
    String t = utf8.decode(java.nio.ByteBuffer.wrap(bytes.toByteArray())).toString().strip();
    bytes.reset();
    if (!t.isEmpty()) {
      out.add(t);
    }
  }
}
