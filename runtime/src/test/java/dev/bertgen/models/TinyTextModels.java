package dev.bertgen.models;

import dev.bertgen.dsl.Activation;
import dev.bertgen.spec.BackboneConfig;
import dev.bertgen.spec.PreprocessorConfig;
import dev.bertgen.spec.TokenizerConfig;
import java.util.ArrayList;
import java.util.List;

/** Tiny masked LMs with a word-level vocabulary, for tests that train on text. */
final class TinyTextModels {
  private TinyTextModels() {}

  static final List<String> VOCABULARY = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "a",
      "cat", "dog", "bird", "fish", "sat", "ran", "sang", "swam", "on", "in", "mat", "park", "tree", "pond",
      "big", "small", "red", "blue", ".", "and", "slept", "ate", "was");

  /** Three sentence patterns, each animal with its own verb and place. */
  static List<String> corpus(int copies) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < copies; i++) {
      out.add("the cat sat on the mat .");
      out.add("the dog ran in the park .");
      out.add("a bird sang in the tree .");
      out.add("a fish swam in the pond .");
    }
    return out;
  }

  static BackboneConfig config(double dropout) {
    return new BackboneConfig(VOCABULARY.size(), 2, 2, 16, 32, dropout, 16, 2, Activation.GELU_APPROXIMATE,
        1e-12, Activation.GELU, 1e-5);
  }

  /** A fresh model (keras-hub's initializers) with sequence length 12 and 3 mask slots. */
  static BertMaskedLM model(long seed) {
    BertMaskedLM mlm = BertMaskedLM.create(CustomPresets.of("tiny-text", config(0.1)), seed);
    BertTokenizer tokenizer = new BertTokenizer(VOCABULARY, TokenizerConfig.kerasHub(true, null));
    mlm.setPreprocessor(new BertMaskedLMPreprocessor(tokenizer, PreprocessorConfig.kerasHubDefaults()
        .withSequenceLength(12).withMaskSelectionLength(3)));
    return mlm;
  }
}
