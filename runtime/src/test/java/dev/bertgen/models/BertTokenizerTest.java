package dev.bertgen.models;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.bertgen.dsl.TokenizerFlavor;
import dev.bertgen.spec.BuiltinPresets;
import dev.bertgen.spec.TokenizerConfig;
import dev.bertgen.testing.ReferenceFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** keras-hub's bert_tokenizer_test.py, the tiny preset's test, and the BertTokenizer API. */
class BertTokenizerTest {
  static final List<String> VOCAB = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",
      "THE", "QUICK", "BROWN", "FOX", "the", "quick", "brown", "fox");

  static BertTokenizer tokenizer(boolean lowercase) {
    return new BertTokenizer(VOCAB, TokenizerConfig.kerasHub(lowercase, null));
  }

  @Test
  void tokenizerBasics() {
    assertThat(tokenizer(false).tokenize(List.of("THE QUICK BROWN FOX", "THE FOX")))
        .isEqualTo(new int[][] {{5, 6, 7, 8}, {5, 8}});
  }

  @Test
  void lowercase() {
    assertThat(tokenizer(true).tokenize(List.of("THE QUICK BROWN FOX", "THE FOX")))
        .isEqualTo(new int[][] {{9, 10, 11, 12}, {9, 12}});
  }

  @Test
  void specialTokensInStrings() {
    BertTokenizer t = new BertTokenizer(VOCAB, TokenizerConfig.kerasHub(false, null), true);
    assertThat(t.tokenize("[CLS] THE [MASK] FOX [SEP] [PAD]")).asList()
        .containsExactly(2, 5, 4, 8, 3, 0).inOrder();
    // keras-hub's BertTokenizer does not list [UNK] among its special tokens: it is split.
    assertThat(t.tokenizeToStrings("[UNK]")).containsExactly("[UNK]", "[UNK]", "[UNK]").inOrder();
    // Off by default for the keras-hub flavor.
    assertThat(tokenizer(false).tokenize("[MASK]")).asList().containsExactly(1, 1, 1).inOrder();
    assertThat(tokenizer(false).withSpecialTokensInStrings(true).tokenize("[MASK]")).asList().containsExactly(4);
  }

  @Test
  void missingSpecialTokens() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new BertTokenizer(List.of("a", "b", "c"), TokenizerConfig.kerasHub(true, null)));
    assertThat(e).hasMessageThat().contains("lacks the special token \"[CLS]\"");
    List<String> noMask = new ArrayList<>(VOCAB);
    noMask.remove("[MASK]");
    e = assertThrows(IllegalArgumentException.class,
        () -> new BertTokenizer(noMask, TokenizerConfig.kerasHub(true, null)));
    assertThat(e).hasMessageThat().contains("\"[MASK]\"");
  }

  @Test
  void specialIds() {
    BertTokenizer t = tokenizer(true);
    assertThat(t.clsId()).isEqualTo(2);
    assertThat(t.sepId()).isEqualTo(3);
    assertThat(t.padId()).isEqualTo(0);
    assertThat(t.maskId()).isEqualTo(4);
    assertThat(t.oovId()).isEqualTo(1);
    assertThat(t.specialTokenIds()).asList().containsExactly(2, 3, 0, 4).inOrder();
  }

  @Test
  void smallestPreset() {
    BertTokenizer t = BertTokenizer.bundled(BuiltinPresets.get("bert_tiny_en_uncased").tokenizer());
    assertThat(t.vocabularySize()).isEqualTo(30522);
    assertThat(t.tokenize("The quick brown fox.")).asList()
        .containsExactly(1996, 4248, 2829, 4419, 1012).inOrder();
    assertThat(t.detokenize(t.tokenize("The quick brown fox."))).isEqualTo("the quick brown fox .");
    assertThat(t.tokenizeToStrings("unaffable")).containsExactly("una", "##ffa", "##ble").inOrder();
    assertThat(t.specialTokenIds()).asList().containsExactly(101, 102, 0, 103).inOrder();
  }

  @Test
  void fromVocabularyFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("vocabulary.txt");
    Files.writeString(file, String.join("\n", VOCAB) + "\n");
    BertTokenizer t = BertTokenizer.fromVocabularyFile(file, TokenizerConfig.kerasHub(true, null));
    assertThat(t.tokenize("THE FOX")).asList().containsExactly(9, 12).inOrder();
  }

  @Test
  void bundledNeedsABundledVocabulary() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BertTokenizer.bundled(TokenizerConfig.kerasHub(false, null)));
    assertThat(e).hasMessageThat().contains("fromPreset");
  }

  @Test
  void fromKerasHubPreset() {
    BertTokenizer t = BertTokenizer.fromPreset(ReferenceFixtures.kerasPreset());
    assertThat(t.config().flavor()).isEqualTo(TokenizerFlavor.KERAS_HUB);
    assertThat(t.config().lowercase()).isTrue();
    assertThat(t.config().stripAccents()).isFalse();
    assertThat(t.options().specialTokensInStrings()).isFalse();
    assertThat(t.tokenize("The quick brown fox.")).asList()
        .containsExactly(1996, 4248, 2829, 4419, 1012).inOrder();
    // keras-hub keeps accents when lowercasing, and this accent-free vocabulary has no "é" piece.
    assertThat(t.tokenizeToStrings("Café")).containsExactly("[UNK]");
  }

  @Test
  void fromHuggingFacePreset() {
    BertTokenizer t = BertTokenizer.fromPreset(ReferenceFixtures.huggingFace());
    assertThat(t.config().flavor()).isEqualTo(TokenizerFlavor.HUGGING_FACE);
    assertThat(t.config().lowercase()).isTrue();
    assertThat(t.config().stripAccents()).isTrue(); // strip_accents: null follows do_lower_case
    assertThat(t.options().specialTokensInStrings()).isTrue();
    assertThat(t.vocabularySize()).isEqualTo(30522);
    assertThat(t.tokenizeToStrings("Café")).containsExactly("cafe");
    assertThat(t.tokenize("The quick brown fox.")).asList()
        .containsExactly(1996, 4248, 2829, 4419, 1012).inOrder();
  }
}
