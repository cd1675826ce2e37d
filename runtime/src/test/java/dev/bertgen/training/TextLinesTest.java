package dev.bertgen.training;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextLinesTest {
  @TempDir Path dir;

  @Test
  void plainAndGzipLinesWithoutBlanks() throws IOException {
    Path plain = Files.writeString(dir.resolve("a.txt"), "first line\n\n  second  \r\nthird");
    assertThat(TextLines.read(plain)).containsExactly("first line", "second", "third").inOrder();
    Path gz = dir.resolve("a.txt.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write("ünïcode\nline two\n".getBytes(StandardCharsets.UTF_8));
    }
    assertThat(TextLines.read(gz)).containsExactly("ünïcode", "line two").inOrder();
  }

  @Test
  void errorsNameTheFile() throws IOException {
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> TextLines.read(dir.resolve("no.txt")));
    assertThat(e).hasMessageThat().contains("no.txt does not exist");
    Path latin1 = Files.write(dir.resolve("l.txt"), new byte[] {'o', 'k', '\n', (byte) 0xE9, '\n'});
    e = assertThrows(UncheckedIOException.class, () -> TextLines.read(latin1));
    assertThat(e).hasMessageThat().contains("l.txt is not UTF-8 text (line 2)");
    Path gz = dir.resolve("t.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write("some text that is long enough to be cut\n".repeat(50).getBytes(StandardCharsets.UTF_8));
    }
    byte[] all = Files.readAllBytes(gz);
    Path cut = Files.write(dir.resolve("cut.gz"), Arrays.copyOf(all, all.length / 2));
    e = assertThrows(UncheckedIOException.class, () -> TextLines.read(cut));
    assertThat(e).hasMessageThat().contains("cut.gz");
  }
}
