package dev.bertgen.hostile;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bertgen.models.PresetOptions;
import dev.bertgen.models.ModelState;
import dev.bertgen.testing.ReferenceFixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Copies of the reference presets without their weights (tokenizer and config files only), to
 * damage in tests of hostile tokenizer, vocabulary and config inputs.
 */
final class VocabularyFixtures {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The keras-hub preset's vocabulary, relative to the preset directory. */
  static final String KERAS_VOCABULARY = "assets/tokenizer/vocabulary.txt";

  private VocabularyFixtures() {}

  /** The keras-hub reference preset's config and tokenizer files, copied into {@code target}. */
  static Path kerasPreset(Path target) {
    Path source = ReferenceFixtures.kerasPreset();
    for (String f : List.of("config.json", "tokenizer.json", "task.json", "metadata.json", KERAS_VOCABULARY)) {
      copy(source.resolve(f), target.resolve(f));
    }
    return target;
  }

  /** The Hugging Face reference checkpoint's config and tokenizer files, copied into {@code target}. */
  static Path huggingFace(Path target) {
    Path source = ReferenceFixtures.huggingFace();
    for (String f : List.of("config.json", "tokenizer.json", "tokenizer_config.json")) {
      copy(source.resolve(f), target.resolve(f));
    }
    return target;
  }

  /** Loads {@code dir} as BertMaskedLM.fromPreset does, initializing the weights instead of reading them. */
  static ModelState load(Path dir) {
    return ModelState.load(dir.toString(), PresetOptions.builder().loadWeights(false).build(), null, true);
  }

  /** The lines of a UTF-8 text file. */
  static List<String> lines(Path file) {
    try {
      return new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@code lines}, each ended by "\n". */
  static void writeLines(Path file, List<String> lines) {
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, lines, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes a text file. */
  static void write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Rewrites the JSON object at {@code pointer} ("" for the root) of {@code file}. */
  static void editJson(Path file, String pointer, Consumer<ObjectNode> editor) {
    try {
      ObjectNode root = (ObjectNode) JSON.readTree(file.toFile());
      editor.accept(pointer.isEmpty() ? root : (ObjectNode) root.at(pointer));
      Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void copy(Path from, Path to) {
    try {
      Files.createDirectories(to.getParent());
      Files.copy(from, to);
      to.toFile().setWritable(true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
