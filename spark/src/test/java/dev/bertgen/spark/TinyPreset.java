package dev.bertgen.spark;

import dev.bertgen.dsl.Activation;
import dev.bertgen.models.BertMaskedLM;
import dev.bertgen.models.BertMaskedLMPreprocessor;
import dev.bertgen.models.BertTextClassifier;
import dev.bertgen.models.BertTextClassifierPreprocessor;
import dev.bertgen.models.BertTokenizer;
import dev.bertgen.models.TextClassifierConfig;
import dev.bertgen.dsl.Truncation;
import dev.bertgen.spec.BackboneConfig;
import dev.bertgen.spec.PreprocessorConfig;
import dev.bertgen.spec.PresetSpec;
import dev.bertgen.spec.TaskConfig;
import dev.bertgen.spec.TokenizerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A tiny masked LM with a word vocabulary, saved as a preset, and text for it. */
final class TinyPreset {
  private TinyPreset() {}

  static final List<String> VOCABULARY = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "a",
      "cat", "dog", "bird", "fish", "sat", "ran", "sang", "swam", "on", "in", "mat", "park", "tree", "pond",
      "big", "small", "red", "blue", ".", "and", "slept", "ate", "was");

  /** Writes the preset (dropout {@code dropout}, sequence length 12, 3 mask slots) into {@code dir}. */
  static Path write(Path dir, double dropout, long seed) {
    BackboneConfig config = new BackboneConfig(VOCABULARY.size(), 2, 2, 16, 32, dropout, 16, 2,
        Activation.GELU_APPROXIMATE, 1e-12, Activation.GELU, 1e-5);
    PresetSpec spec = new PresetSpec("tiny-spark", "", null, null, TaskConfig.maskedLm(), config,
        TokenizerConfig.kerasHub(true, null), PreprocessorConfig.kerasHubDefaults());
    try (BertMaskedLM mlm = BertMaskedLM.create(spec, seed)) {
      BertTokenizer tokenizer = new BertTokenizer(VOCABULARY, TokenizerConfig.kerasHub(true, null));
      mlm.setPreprocessor(new BertMaskedLMPreprocessor(tokenizer, PreprocessorConfig.kerasHubDefaults()
          .withSequenceLength(12).withMaskSelectionLength(3)));
      mlm.saveToPreset(dir);
    }
    return dir;
  }

  /**
   * Writes a classifier preset of the same architecture into {@code dir}: {@code names.size()} classes with
   * those names, head dropout {@code headDropout}, sequence length 12.
   */
  static Path writeClassifier(Path dir, List<String> names, double headDropout, long seed) {
    BackboneConfig config = new BackboneConfig(VOCABULARY.size(), 2, 2, 16, 32, 0.0, 16, 2,
        Activation.GELU_APPROXIMATE, 1e-12, Activation.GELU, 1e-5);
    PresetSpec spec = new PresetSpec("tiny-spark", "", null, null, TaskConfig.maskedLm(), config,
        TokenizerConfig.kerasHub(true, null), PreprocessorConfig.kerasHubDefaults());
    try (BertTextClassifier c = BertTextClassifier.create(spec,
        TextClassifierConfig.defaults(names.size()).withDropout(headDropout).withClassNames(names), seed)) {
      BertTokenizer tokenizer = new BertTokenizer(VOCABULARY, TokenizerConfig.kerasHub(true, null));
      c.setPreprocessor(new BertTextClassifierPreprocessor(tokenizer, 12, Truncation.ROUND_ROBIN));
      c.saveToPreset(dir);
    }
    return dir;
  }

  /** {@code count} sentences (animals, places, adjectives in turn), one per line, in {@code file}. */
  static Path corpus(Path file, int count) throws IOException {
    String[] animals = {"cat", "dog", "bird", "fish"};
    String[] verbs = {"sat", "ran", "sang", "swam"};
    String[] places = {"mat", "park", "tree", "pond"};
    String[] adjectives = {"big", "small", "red", "blue"};
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int a = i % 4;
      lines.add("the " + adjectives[(i / 4) % 4] + " " + animals[a] + " " + verbs[a] + " in the " + places[a] + " .");
    }
    Files.write(file, lines);
    return file;
  }

  /** The weights of the preset in {@code dir}. */
  static Map<String, float[]> weights(Path dir) {
    try (BertMaskedLM mlm = BertMaskedLM.fromPreset(dir.toString())) {
      return mlm.getWeights();
    }
  }

  /** The largest absolute difference between two sets of weights of one architecture. */
  static double maxDifference(Map<String, float[]> a, Map<String, float[]> b) {
    double max = 0;
    for (Map.Entry<String, float[]> e : a.entrySet()) {
      float[] x = e.getValue();
      float[] y = b.get(e.getKey());
      if (y == null) {
        continue; // a variable of one model only (a classifier's head against a masked LM)
      }
      for (int i = 0; i < x.length; i++) {
        max = Math.max(max, Math.abs(x[i] - y[i]));
      }
    }
    return max;
  }
}
