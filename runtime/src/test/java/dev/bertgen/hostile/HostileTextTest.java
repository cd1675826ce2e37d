package dev.bertgen.hostile;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.bertgen.dsl.Activation;
import dev.bertgen.models.BertMaskedLM;
import dev.bertgen.models.BertMaskedLMPreprocessor;
import dev.bertgen.models.BertTokenizer;
import dev.bertgen.preprocessing.MaskedLMBatch;
import dev.bertgen.spec.BackboneConfig;
import dev.bertgen.spec.BuiltinPresets;
import dev.bertgen.spec.PreprocessorConfig;
import dev.bertgen.spec.PresetSpec;
import dev.bertgen.spec.TaskConfig;
import dev.bertgen.spec.TokenizerConfig;
import dev.bertgen.testing.ReferenceFixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Degenerate text and ids: empty strings, strings of only whitespace or control characters, ids
 * outside the vocabulary, fill-mask text without a [MASK]. Each gives a sensible result (no tokens)
 * or an error that names the value and the fix.
 */
class HostileTextTest {
  private static final List<String> NOTHING_TO_TOKENIZE = List.of("", " ", "   \t\n\r\f ", "\u0000\u0001\u001f\u007f",
      "\u000B\u001C\u001D\u001E", " \u0000 \t\u0007\n".repeat(1000), " ".repeat(200_000));

  private static List<BertTokenizer> flavors;

  private static synchronized List<BertTokenizer> bothFlavors() {
    if (flavors == null) {
      flavors = List.of(BertTokenizer.bundled(BuiltinPresets.get("bert_tiny_en_uncased").tokenizer()),
          BertTokenizer.fromPreset(ReferenceFixtures.huggingFace()));
    }
    return flavors;
  }

  @Test
  void emptyWhitespaceAndControlOnlyTextHasNoTokensInBothFlavors() {
    for (BertTokenizer t : bothFlavors()) {
      for (String text : NOTHING_TO_TOKENIZE) {
        assertWithMessage("%s on %s chars", t.config().flavor(), text.length()).that(t.tokenize(text)).isEmpty();
        assertThat(t.tokenizeToStrings(text)).isEmpty();
      }
      assertThat(t.detokenize(new int[0])).isEmpty();
      // Zero-width and byte-order-mark characters (format controls) vanish as well.
      assertThat(t.tokenize("\u200B\uFEFF")).isEmpty();
    }
  }

  @Test
  void detokenizingIdsOutsideTheVocabularyNamesTheIdItsPositionAndTheRange() {
    for (BertTokenizer t : bothFlavors()) {
      int size = t.vocabularySize();
      for (int bad : new int[] {-1, size, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> t.detokenize(new int[] {t.clsId(), bad}));
        assertThat(e).hasMessageThat().contains("cannot detokenize token id " + bad + " at position 1");
        assertThat(e).hasMessageThat().contains("ids 0 to " + (size - 1));
        assertThat(assertThrows(IllegalArgumentException.class, () -> t.idToToken(bad)))
            .hasMessageThat().contains("token id " + bad + " is outside the vocabulary");
      }
      assertThat(assertThrows(IllegalArgumentException.class, () -> t.tokenToId("\uD800")))
          .hasMessageThat().contains("is not in the vocabulary");
    }
  }

  @Test
  void preprocessingTextWithNothingToTokenizeGivesOnlyClsAndSepAndNoMask() {
    BertTokenizer t = bothFlavors().get(0);
    BertMaskedLMPreprocessor p = new BertMaskedLMPreprocessor(t,
        PreprocessorConfig.kerasHubDefaults().withSequenceLength(8).withMaskSelectionLength(2));
    MaskedLMBatch b = p.call(NOTHING_TO_TOKENIZE);
    for (int i = 0; i < NOTHING_TO_TOKENIZE.size(); i++) {
      assertThat(b.inputs().tokenIds()[i]).isEqualTo(new int[] {t.clsId(), t.sepId(), 0, 0, 0, 0, 0, 0});
      assertThat(b.sampleWeights()[i]).isEqualTo(new float[] {0, 0});
    }
  }

  @Test
  void fillMaskOnTextWithoutAMaskNamesTheTextAndTheFix() {
    List<String> vocabulary = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "cat", ".");
    BackboneConfig config = new BackboneConfig(vocabulary.size(), 1, 2, 8, 16, 0, 16, 2, Activation.GELU_APPROXIMATE,
        1e-12, Activation.GELU, 1e-5);
    BertMaskedLM mlm = BertMaskedLM.create(new PresetSpec("tiny", "", null, null, TaskConfig.maskedLm(), config,
        TokenizerConfig.kerasHub(true, null), PreprocessorConfig.kerasHubDefaults()), 1);
    mlm.setPreprocessor(new BertMaskedLMPreprocessor(new BertTokenizer(vocabulary, TokenizerConfig.kerasHub(true,
        null)), PreprocessorConfig.kerasHubDefaults().withSequenceLength(8).withMaskSelectionLength(2)));
    for (String text : List.of("", "   \t ", "\u0000\u0007", "the cat .", "[mask", "[ MASK ]")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> mlm.fillMask(text, 3));
      assertThat(e).hasMessageThat().contains("has no [MASK] token; write [MASK] where the model should fill in");
      assertThat(e).hasMessageThat().doesNotContain("\n");
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> mlm.fillMask(List.of("the [MASK] .", "the cat"), 3));
    assertThat(e).hasMessageThat().contains("text 1 (\"the cat\") has no [MASK] token");
    assertThat(mlm.fillMask("[MASK]", 3)).hasSize(1);
  }
}
