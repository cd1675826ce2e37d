package dev.bertgen.examples.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.ToIntFunction;
import java.util.zip.GZIPInputStream;

/**
 * The corpus shipped in this jar: the glosses of Princeton WordNet 3.0 (Debian's wordnet-base, under
 * the WordNet 3.0 license), each definition and each example sentence on a line of its own, 165,906
 * lines; how it was made is in testdata/README.md.
 */
final class EmbeddedCorpus {
  private EmbeddedCorpus() {}

  static final String RESOURCE = "/dev/bertgen/examples/corpus/wordnet-glosses.txt.gz";

  /** Training lines and held-out lines, disjoint. */
  record Split(List<String> train, List<String> heldOut) {}

  /** Every line of the corpus. */
  static List<String> lines() {
    InputStream in = EmbeddedCorpus.class.getResourceAsStream(RESOURCE);
    if (in == null) {
      throw new IllegalStateException("the embedded corpus " + RESOURCE + " is missing from the class path; "
          + "rebuild with mvn -B -DskipTests install");
    }
    List<String> out = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(in), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (!line.isBlank()) {
          out.add(line.strip());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the embedded corpus " + RESOURCE + ": " + e.getMessage(), e);
    }
    return out;
  }

  /** What joins two lines packed into one example: the corpus' own separator between a gloss and its examples. */
  static final String JOINER = " ; ";

  /**
   * Consecutive lines joined with {@link #JOINER} into examples of at most {@code budget} tokens
   * (a line longer than that alone is an example of its own, to be truncated by the packer). Most
   * glosses are about 11 tokens, so single lines leave a 32-token sequence mostly padding; packed,
   * each step trains on about twice as many real tokens for the same work.
   *
   * @param tokens the number of tokens a line takes (the tokenizer's)
   * @param budget tokens per example, without [CLS] and [SEP]
   */
  static List<String> pack(List<String> lines, ToIntFunction<String> tokens, int budget) {
    if (budget < 1) {
      throw new IllegalArgumentException("a packed example needs at least 1 token, got " + budget);
    }
    List<String> out = new ArrayList<>();
    StringBuilder example = new StringBuilder();
    int used = 0;
    for (String line : lines) {
      int n = tokens.applyAsInt(line);
      if (used > 0 && used + 1 + n > budget) { // + 1: the ";"
        out.add(example.toString());
        example.setLength(0);
        used = 0;
      }
      if (used > 0) {
        example.append(JOINER);
        used++;
      }
      example.append(line);
      used += n;
    }
    if (used > 0) {
      out.add(example.toString());
    }
    return out;
  }

  /** A fixed random split: {@code heldOut} lines for evaluation, the rest for training. */
  static Split split(List<String> lines, int heldOut, long seed) {
    if (heldOut < 1 || heldOut >= lines.size()) {
      throw new IllegalArgumentException("held-out lines must be between 1 and " + (lines.size() - 1) + ", got "
          + heldOut);
    }
    List<String> shuffled = new ArrayList<>(lines);
    Collections.shuffle(shuffled, new Random(seed));
    return new Split(List.copyOf(shuffled.subList(heldOut, shuffled.size())),
        List.copyOf(shuffled.subList(0, heldOut)));
  }
}
