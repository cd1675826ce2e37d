package dev.bertgen.testsupport;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where the shared reference fixtures and the WordNet corpus are. Tests that need them skip (with
 * the reason) when they are absent.
 *
 * <p>The fixtures ({@code shared/reference}, made by Hugging Face transformers and keras-hub) are
 * found from the system property {@code bertgen.reference}, else by walking up from the working
 * directory to the first folder that has {@code shared/reference} (the repository lives beside
 * {@code shared/}: {@code ../shared/reference} from the repository root).
 */
public final class ReferenceFiles {
  private ReferenceFiles() {}

  /** The system property that names the reference folder. */
  public static final String PROPERTY = "bertgen.reference";
  /** Debian's wordnet-base data files, whose glosses are the tokenizer test corpus. */
  public static final Path WORDNET = Path.of("/usr/share/wordnet");

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The reference folder, if found. */
  public static Optional<Path> find() {
    String property = System.getProperty(PROPERTY);
    if (property != null && !property.isBlank()) {
      Path p = Path.of(property);
      return Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared").resolve("reference");
      if (Files.isDirectory(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** {@code shared/reference/<relative>}, skipping the calling test when it is absent. */
  public static Path require(String relative) {
    Optional<Path> root = find();
    assumeTrue(root.isPresent(), "reference fixtures not found: set -D" + PROPERTY + "=<path of shared/"
        + "reference> or run from inside the checkout next to shared/reference");
    Path p = root.get().resolve(relative);
    assumeTrue(Files.exists(p), "reference file " + p + " is missing");
    return p;
  }

  /** Parses a JSON file. */
  public static JsonNode json(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The gloss (text after '|') of every synset line of WordNet's data.noun, data.verb, data.adj and
   * data.adv, skipping the license header; skips the calling test when wordnet-base is absent.
   */
  public static List<String> wordNetGlosses() {
    List<String> lines = new ArrayList<>();
    for (String name : List.of("data.noun", "data.verb", "data.adj", "data.adv")) {
      Path file = WORDNET.resolve(name);
      assumeTrue(Files.isRegularFile(file), "WordNet corpus " + file + " not found: install Debian's "
          + "wordnet-base (apt-get install wordnet-base), as .ci/run does");
      try {
        for (String line : Files.readAllLines(file, java.nio.charset.StandardCharsets.ISO_8859_1)) {
          if (line.startsWith("  ")) {
            continue; // license header
          }
          int bar = line.indexOf('|');
          if (bar >= 0) {
            lines.add(line.substring(bar + 1).strip());
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return lines;
  }
}
