package dev.bertgen.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the reference fixtures made by keras-hub and transformers: the system property
 * {@code bertgen.reference} if set, else the repository's copy {@code testdata/reference}, else the
 * first {@code shared/reference} found walking up from the working directory.
 */
public final class ReferenceFixtures {
  private ReferenceFixtures() {}

  /** The reference directory, or {@code null} when there is none. */
  public static Path root() {
    String property = System.getProperty("bertgen.reference");
    if (property != null && !property.isBlank()) {
      Path p = Path.of(property);
      return Files.isDirectory(p) ? p : null;
    }
    for (String[] where : new String[][] {{"testdata", "reference"}, {"shared", "reference"}}) {
      for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
        Path candidate = dir.resolve(where[0]).resolve(where[1]);
        if (Files.isDirectory(candidate)) {
          return candidate;
        }
      }
    }
    return null;
  }

  /** {@code shared/reference/<relative>}, skipping the test when it does not exist. */
  public static Path require(String relative) {
    Path root = root();
    assumeTrue(root != null, "no shared/reference directory (set -Dbertgen.reference=...)");
    Path p = root.resolve(relative);
    assumeTrue(Files.exists(p), "no reference fixture " + p);
    return p;
  }

  /** The keras-hub preset written by save_to_preset. */
  public static Path kerasPreset() {
    return require("keras_bert_mlm/preset");
  }

  /** The Hugging Face checkpoint written by save_pretrained. */
  public static Path huggingFace() {
    return require("hf_bert_mlm");
  }
}
