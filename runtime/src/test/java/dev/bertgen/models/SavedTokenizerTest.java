package dev.bertgen.models;

import static com.google.common.truth.Truth.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model created without a vocabulary and given a preprocessor saves that preprocessor's tokenizer. */
class SavedTokenizerTest {

  @Test
  void saveToPresetWritesThePreprocessorsVocabulary(@TempDir Path dir) {
    try (BertMaskedLM mlm = TinyTextModels.model(3)) { // created without a tokenizer, then setPreprocessor
      mlm.saveToPreset(dir.resolve("p"));
    }
    try (BertMaskedLM loaded = BertMaskedLM.fromPreset(dir.resolve("p").toString())) {
      assertThat(loaded.preprocessor()).isNotNull();
      assertThat(loaded.preprocessor().tokenizer().vocabulary()).isEqualTo(TinyTextModels.VOCABULARY);
      assertThat(loaded.preprocessor().config().sequenceLength()).isEqualTo(12);
      assertThat(loaded.fillMask("the cat sat on the [MASK] .", 1)).hasSize(1);
    }
  }
}
