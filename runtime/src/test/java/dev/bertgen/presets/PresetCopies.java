package dev.bertgen.presets;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** Altered copies of the reference presets in a temporary directory, for tests. */
public final class PresetCopies {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private PresetCopies() {}

  /** Copies every file of {@code source} (recursively) to {@code target}, except {@code skipped} names. */
  public static Path copy(Path source, Path target, Set<String> skipped) {
    try (Stream<Path> files = Files.walk(source)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path rel = source.relativize(p);
        if (skipped.contains(rel.toString().replace('\\', '/'))) {
          continue;
        }
        Path to = target.resolve(rel.toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to);
          to.toFile().setWritable(true);
        }
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Copies {@code source} to {@code target}, leaving out the named files. */
  public static Path copyWithout(Path source, Path target, String... skipped) {
    return copy(source, target, Set.of(skipped));
  }

  /** Rewrites a JSON file of {@code dir}; the editor gets the object at {@code pointer} ("" = root). */
  public static void editJson(Path file, String pointer, Consumer<ObjectNode> editor) {
    try {
      ObjectNode root = (ObjectNode) MAPPER.readTree(file.toFile());
      editor.accept(pointer.isEmpty() ? root : (ObjectNode) root.at(pointer));
      Files.writeString(file, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Replaces {@code file} with its first {@code length} bytes. */
  public static void truncate(Path file, long length) {
    try {
      byte[] all = Files.readAllBytes(file);
      Files.write(file, Arrays.copyOf(all, (int) length));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
