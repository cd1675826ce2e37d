package dev.bertgen.hostile;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.bertgen.models.BertMaskedLM;
import dev.bertgen.models.PresetOptions;
import dev.bertgen.presets.PresetException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Preset configs with sizes so large that int or long arithmetic would overflow, or whose tensors
 * would not fit a Java array: {@code BertMaskedLM.fromPreset} refuses each at once, naming the file,
 * the key as the file spells it, the value and the limit.
 */
class HostileConfigTest {
  private static final long MAX = Integer.MAX_VALUE;

  @TempDir Path tmp;

  /** fromPreset on {@code dir}, which must fail within two seconds. */
  private static PresetException fromPresetFails(Path dir) {
    PresetException e = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> assertThrows(PresetException.class,
        () -> BertMaskedLM.fromPreset(dir.toString(), PresetOptions.builder().loadWeights(false).build())));
    assertThat(e.getMessage()).doesNotContain("\n");
    return e;
  }

  @Test
  void kerasHiddenDimOfIntMaxIsRefusedAtOnceNamingKeyValueAndLimit() {
    Path dir = VocabularyFixtures.kerasPreset(tmp.resolve("keras"));
    VocabularyFixtures.editJson(dir.resolve("config.json"), "/config", c -> c.put("hidden_dim", MAX));
    PresetException e = fromPresetFails(dir);
    assertThat(e).hasMessageThat().contains(dir.resolve("config.json").toString());
    assertThat(e).hasMessageThat().contains("hidden_dim 2,147,483,647 is above 46,340");
    assertThat(e).hasMessageThat().contains("2,147,483,639");
  }

  @Test
  void huggingFaceHiddenSizeOfIntMaxIsNamedAsTheFileNamesIt() {
    Path dir = VocabularyFixtures.huggingFace(tmp.resolve("hf"));
    VocabularyFixtures.editJson(dir.resolve("config.json"), "", c -> c.put("hidden_size", MAX));
    PresetException e = fromPresetFails(dir);
    assertThat(e).hasMessageThat().contains(dir.resolve("config.json").toString());
    assertThat(e).hasMessageThat().contains("hidden_size 2,147,483,647 is above 46,340");
    assertThat(e).hasMessageThat().doesNotContain("hidden_dim");
  }

  @Test
  void everyKerasSizeAtIntMaxIsRefusedNamingItsKey() {
    Map<String, String> expected = new java.util.LinkedHashMap<>();
    for (String matrix : List.of("vocabulary_size", "intermediate_dim", "max_sequence_length", "num_segments")) {
      expected.put(matrix, "(" + matrix + " 2,147,483,647 × hidden_dim 24), more than one Java array can "
          + "(2,147,483,639); use at most 89,478,484 for " + matrix);
    }
    expected.put("num_layers", "num_layers 2,147,483,647 is above ");
    expected.put("num_heads", "num_heads 2,147,483,647 does not divide hidden_dim 24");
    for (Map.Entry<String, String> k : expected.entrySet()) {
      Path dir = VocabularyFixtures.kerasPreset(tmp.resolve(k.getKey()));
      VocabularyFixtures.editJson(dir.resolve("config.json"), "/config", c -> c.put(k.getKey(), MAX));
      assertThat(fromPresetFails(dir)).hasMessageThat().contains(k.getValue());
    }
  }

  @Test
  void huggingFaceLayersAboveTheLimitNameTheHuggingFaceKey() {
    Path dir = VocabularyFixtures.huggingFace(tmp.resolve("hf"));
    VocabularyFixtures.editJson(dir.resolve("config.json"), "", c -> c.put("num_hidden_layers", MAX));
    assertThat(fromPresetFails(dir)).hasMessageThat().contains("num_hidden_layers 2,147,483,647 is above ");
  }

  @Test
  void sizeBeyondAnIntIsNamedAsSuch() {
    Path dir = VocabularyFixtures.kerasPreset(tmp.resolve("keras"));
    VocabularyFixtures.editJson(dir.resolve("config.json"), "/config", c -> c.put("hidden_dim", 99_999_999_999L));
    PresetException e = fromPresetFails(dir);
    assertThat(e).hasMessageThat().contains(dir.resolve("config.json") + ": \"hidden_dim\" is 99999999999, outside "
        + "the range of a Java int");
  }

  @Test
  void preprocessorMaskSelectionLengthOfIntMaxIsRefused() {
    Path dir = VocabularyFixtures.kerasPreset(tmp.resolve("keras"));
    VocabularyFixtures.write(dir.resolve("preprocessor.json"), "{\"module\": \"keras_hub.src.models.bert."
        + "bert_masked_lm_preprocessor\", \"class_name\": \"BertMaskedLMPreprocessor\", \"config\": {"
        + "\"sequence_length\": 128, \"mask_selection_length\": 2147483647}}");
    assertThat(fromPresetFails(dir)).hasMessageThat().contains("mask_selection_length 2,147,483,647 is above "
        + "70,358: the logits of one sequence's mask slots");
  }

  @Test
  void tokenizerSequenceLengthOfIntMaxIsRefused() {
    Path dir = VocabularyFixtures.kerasPreset(tmp.resolve("keras"));
    VocabularyFixtures.editJson(dir.resolve("tokenizer.json"), "/config", c -> c.put("sequence_length", MAX));
    PresetException e = fromPresetFails(dir);
    assertThat(e).hasMessageThat().contains(dir.resolve("tokenizer.json") + ": the tokenizer's sequence_length "
        + "2,147,483,647 is above the model's max_sequence_length 512");
  }

  @Test
  void tokenizerSequenceLengthThatIsNotAWholeNumberIsNamed() {
    Path dir = VocabularyFixtures.kerasPreset(tmp.resolve("keras"));
    VocabularyFixtures.editJson(dir.resolve("tokenizer.json"), "/config", c -> c.put("sequence_length", -3));
    assertThat(fromPresetFails(dir)).hasMessageThat().contains(dir.resolve("tokenizer.json")
        + ": \"sequence_length\" is -3; it must be a whole number from 0");
  }
}
