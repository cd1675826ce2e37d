package dev.bertgen.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the reference fixtures made by keras-hub and transformers: the system property
 * {@value #PROPERTY} if set, else the repository's copy {@code testdata/reference}, found walking up
 * from the working directory. Tests that need a fixture
 * call {@link #require} (or {@link #kerasPreset()}, {@link #huggingFace()}) and are skipped, each
 * with the reason, when it is absent; with the repository's copy present none is skipped.
 *
 * <p>Also finds the WordNet glosses that the tokenizer tests use as a corpus ({@link #wordNetGlosses()}).
 */
public final class ReferenceFixtures {
  private ReferenceFixtures() {}

  /** The system property that names the reference folder, overriding the search. */
  public static final String PROPERTY = "bertgen.reference";
  /** Debian's wordnet-base data files, whose glosses are the tokenizer test corpus. */
  public static final Path WORDNET = Path.of("/usr/share/wordnet");

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The reference directory, if found. */
  public static Optional<Path> find() {
    String property = System.getProperty(PROPERTY);
    if (property != null && !property.isBlank()) {
      Path p = Path.of(property);
      return Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("testdata").resolve("reference");
      if (Files.isDirectory(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** {@code <reference>/<relative>}, skipping the calling test, with the reason, when it does not exist. */
  public static Path require(String relative) {
    Optional<Path> root = find();
    String property = System.getProperty(PROPERTY);
    assumeTrue(root.isPresent(), property != null && !property.isBlank()
        ? "reference fixtures not found: -D" + PROPERTY + "=" + property + " is not a directory"
        : "reference fixtures not found: no testdata/reference above "
            + Path.of("").toAbsolutePath() + "; set -D" + PROPERTY + "=<path of the reference folder>");
    Path p = root.get().resolve(relative);
    assumeTrue(Files.exists(p), "reference file " + p + " is missing");
    return p;
  }

  /** The keras-hub preset written by save_to_preset. */
  public static Path kerasPreset() {
    return require("keras_bert_mlm/preset");
  }

  /** The keras-hub BertTextClassifier preset written by save_to_preset. */
  public static Path kerasClassifierPreset() {
    return require("keras_bert_classifier/preset");
  }

  /** The keras-hub classifier fixture (inputs, logits, one train step). */
  public static JsonNode kerasClassifierFixture() {
    return json(require("keras_bert_classifier/fixture.json"));
  }

  /** The Hugging Face checkpoint written by save_pretrained. */
  public static Path huggingFace() {
    return require("hf_bert_mlm");
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
        for (String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
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
