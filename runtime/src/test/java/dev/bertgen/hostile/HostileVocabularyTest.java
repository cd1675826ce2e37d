package dev.bertgen.hostile;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.bertgen.models.BertMaskedLM;
import dev.bertgen.models.BertTokenizer;
import dev.bertgen.models.PresetOptions;
import dev.bertgen.presets.PresetException;
import dev.bertgen.spec.TokenizerConfig;
import dev.bertgen.tokenizers.TokenizerFiles;
import dev.bertgen.tokenizers.Vocabulary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Vocabulary and tokenizer files that are broken or hostile: each is refused when the preset is
 * loaded, with one line that names the file, what is wrong in it and the fix.
 */
class HostileVocabularyTest {
  @TempDir Path tmp;

  private static PresetException loadFails(Path dir) {
    return assertThrows(PresetException.class, () -> VocabularyFixtures.load(dir));
  }

  private static void assertOneLine(Throwable e) {
    assertThat(e.getMessage()).doesNotContain("\n");
  }

  // ---- duplicated tokens

  @Test
  void secondMaskInKerasVocabularyNamesTheFileTheTokenAndBothLines() {
    Path dir = VocabularyFixtures.kerasPreset(tmp.resolve("keras"));
    Path vocab = dir.resolve(VocabularyFixtures.KERAS_VOCABULARY);
    List<String> lines = VocabularyFixtures.lines(vocab);
    assertThat(lines.get(103)).isEqualTo("[MASK]");
    lines.set(5000, "[MASK]");
    VocabularyFixtures.writeLines(vocab, lines);
    PresetException e = loadFails(dir);
    assertThat(e).hasMessageThat().contains(vocab.toString());
    assertThat(e).hasMessageThat().contains("\"[MASK]\"");
    assertThat(e).hasMessageThat().contains("line 104");
    assertThat(e).hasMessageThat().contains("line 5001");
    assertOneLine(e);
  }

  @Test
  void duplicatedOrdinaryTokenInKerasVocabularyIsRefused() {
    Path dir = VocabularyFixtures.kerasPreset(tmp.resolve("keras"));
    Path vocab = dir.resolve(VocabularyFixtures.KERAS_VOCABULARY);
    List<String> lines = VocabularyFixtures.lines(vocab);
    assertThat(lines.get(1996)).isEqualTo("the");
    lines.set(30000, "the");
    VocabularyFixtures.writeLines(vocab, lines);
    PresetException e = loadFails(dir);
    assertThat(e).hasMessageThat().contains(vocab + ": the token \"the\" is on line 1997 and again on line 30001");
    assertThat(e).hasMessageThat().contains("Replace line 1997 with a token the vocabulary lacks, such as "
        + "[unused1996]");
  }

  /** keras-hub's rstrip makes "x " and "x" the same token. */
  @Test
  void tokensThatDifferOnlyInTrailingWhitespaceAreDuplicatesInAKerasVocabulary() {
    Path dir = VocabularyFixtures.kerasPreset(tmp.resolve("keras"));
    Path vocab = dir.resolve(VocabularyFixtures.KERAS_VOCABULARY);
    List<String> lines = VocabularyFixtures.lines(vocab);
    lines.set(30000, "the \t");
    VocabularyFixtures.writeLines(vocab, lines);
    assertThat(loadFails(dir)).hasMessageThat().contains("\"the\" is on line 1997 and again on line 30001");
  }

  @Test
  void duplicatedTokenInHuggingFaceVocabTxtNamesTheFileTheTokenAndBothLines() throws Exception {
    Path dir = VocabularyFixtures.huggingFace(tmp.resolve("hf"));
    Files.delete(dir.resolve("tokenizer.json"));
    List<String> lines = VocabularyFixtures.lines(
        VocabularyFixtures.kerasPreset(tmp.resolve("keras")).resolve(VocabularyFixtures.KERAS_VOCABULARY));
    lines.set(7, "[SEP]");
    VocabularyFixtures.writeLines(dir.resolve("vocab.txt"), lines);
    PresetException e = loadFails(dir);
    assertThat(e).hasMessageThat().contains(dir.resolve("vocab.txt") + ": the token \"[SEP]\" is on line 8 and "
        + "again on line 103");
    assertOneLine(e);
  }

  @Test
  void duplicatedKeyInHuggingFaceTokenizerJsonVocabIsNamed() throws Exception {
    Path dir = VocabularyFixtures.huggingFace(tmp.resolve("hf"));
    Path file = dir.resolve("tokenizer.json");
    String json = Files.readString(file);
    assertThat(json).contains("\"[unused5]\": 6,");
    Files.writeString(file, json.replace("\"[unused5]\": 6,", "\"[MASK]\": 6,"));
    PresetException e = loadFails(dir);
    assertThat(e).hasMessageThat().contains(file.toString());
    assertThat(e).hasMessageThat().contains("\"[MASK]\" twice");
    assertOneLine(e);
  }

  @Test
  void duplicatedTokenInKerasInlineVocabularyNamesBothIds() {
    Path dir = VocabularyFixtures.kerasPreset(tmp.resolve("keras"));
    Path file = dir.resolve("tokenizer.json");
    List<String> tokens = VocabularyFixtures.lines(dir.resolve(VocabularyFixtures.KERAS_VOCABULARY));
    tokens.set(200, "[CLS]");
    VocabularyFixtures.editJson(file, "/config", c -> {
      ArrayNode a = c.putArray("vocabulary");
      tokens.forEach(a::add);
    });
    PresetException e = loadFails(dir);
    assertThat(e).hasMessageThat().contains(file + ": the token \"[CLS]\" is entry 101 of \"vocabulary\" and again "
        + "entry 200");
  }

  @Test
  void duplicatesAreRefusedByEveryWayOfMakingATokenizer() {
    Path file = tmp.resolve("vocab.txt");
    VocabularyFixtures.write(file, "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nthe\n[UNK]\n");
    IllegalArgumentException fromFile = assertThrows(IllegalArgumentException.class, () -> Vocabulary.fromFile(file));
    assertThat(fromFile).hasMessageThat().contains(file + ": the token \"[UNK]\" is on line 2 and again on line 7");
    assertThrows(IllegalArgumentException.class,
        () -> BertTokenizer.fromVocabularyFile(file, TokenizerConfig.kerasHub(true, null)));
    IllegalArgumentException fromList = assertThrows(IllegalArgumentException.class, () -> new BertTokenizer(
        List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "[UNK]"), TokenizerConfig.kerasHub(true, null)));
    assertThat(fromList).hasMessageThat().contains("the token \"[UNK]\" is entry 1 of the vocabulary and again entry 6");
    Path hf = tmp.resolve("hf");
    VocabularyFixtures.write(hf.resolve("vocab.txt"), "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nthe\nthe\n");
    IllegalArgumentException tok = assertThrows(IllegalArgumentException.class, () -> BertTokenizer.fromPreset(hf));
    assertThat(tok).hasMessageThat().contains("\"the\" is on line 6 and again on line 7");
    assertThrows(IllegalArgumentException.class, () -> TokenizerFiles.read(hf));
  }

  // ---- missing files

  @Test
  void kerasTokenizerJsonWithoutItsVocabularyIsRefusedAtLoadNamingBothFiles() throws Exception {
    Path dir = VocabularyFixtures.kerasPreset(tmp.resolve("keras"));
    Files.delete(dir.resolve(VocabularyFixtures.KERAS_VOCABULARY));
    PresetException e = loadFails(dir);
    assertThat(e).hasMessageThat().contains(dir.resolve("tokenizer.json").toString());
    assertThat(e).hasMessageThat().contains(dir.resolve(VocabularyFixtures.KERAS_VOCABULARY) + " is missing");
    assertThat(e).hasMessageThat().contains("copy the preset's assets/");
    assertOneLine(e);
  }

  @Test
  void kerasPreprocessorJsonWithoutTokenizerJsonIsRefusedAtLoad() throws Exception {
    Path dir = VocabularyFixtures.kerasPreset(tmp.resolve("keras"));
    Files.delete(dir.resolve(VocabularyFixtures.KERAS_VOCABULARY));
    Files.delete(dir.resolve("tokenizer.json"));
    VocabularyFixtures.write(dir.resolve("preprocessor.json"), "{\"module\": \"keras_hub.src.models.bert."
        + "bert_masked_lm_preprocessor\", \"class_name\": \"BertMaskedLMPreprocessor\", \"config\": {}, "
        + "\"registered_name\": \"keras_hub>BertMaskedLMPreprocessor\"}");
    PresetException e = loadFails(dir);
    assertThat(e).hasMessageThat().contains(dir.resolve("preprocessor.json").toString());
    assertThat(e).hasMessageThat().contains("no tokenizer.json");
    assertThat(e).hasMessageThat().contains(VocabularyFixtures.KERAS_VOCABULARY);
  }

  @Test
  void fillMaskWithoutTokenizerNamesWhereTheLoaderLooked() throws Exception {
    Path dir = VocabularyFixtures.kerasPreset(tmp.resolve("keras"));
    Files.delete(dir.resolve(VocabularyFixtures.KERAS_VOCABULARY));
    Files.delete(dir.resolve("tokenizer.json"));
    BertMaskedLM mlm = BertMaskedLM.fromPreset(dir.toString(), PresetOptions.builder().loadWeights(false).build());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> mlm.fillMask("a [MASK] .", 3));
    assertThat(e).hasMessageThat().contains(dir.toString());
    assertThat(e).hasMessageThat().contains("tokenizer.json");
    assertThat(e).hasMessageThat().contains("vocab.txt");
    assertThat(e).hasMessageThat().contains(VocabularyFixtures.KERAS_VOCABULARY);
    assertOneLine(e);
  }

  @Test
  void tokenizerAndConfigFilesThatAreNotUtf8AreNamedAsSuch() throws Exception {
    for (String name : List.of("tokenizer.json", "config.json")) {
      Path dir = VocabularyFixtures.kerasPreset(tmp.resolve(name));
      Path file = dir.resolve(name);
      byte[] bytes = Files.readAllBytes(file);
      bytes[bytes.length / 2] = (byte) 0xFF;
      Files.write(file, bytes);
      PresetException e = loadFails(dir);
      assertThat(e).hasMessageThat().contains(file + " is not valid UTF-8");
      assertOneLine(e);
    }
  }

  // ---- vocabulary size and special tokens

  @Test
  void thousandLineVocabularyUnderA30522RowEmbeddingIsRefusedAtLoad() {
    Path dir = VocabularyFixtures.kerasPreset(tmp.resolve("keras"));
    Path vocab = dir.resolve(VocabularyFixtures.KERAS_VOCABULARY);
    VocabularyFixtures.writeLines(vocab, VocabularyFixtures.lines(vocab).subList(0, 1000));
    PresetException e = loadFails(dir);
    assertThat(e).hasMessageThat().contains(vocab + " has 1,000 tokens but " + dir.resolve("config.json")
        + " says vocabulary_size 30,522");
    assertThat(e).hasMessageThat().contains("use the preset's own vocabulary");
    assertOneLine(e);
  }

  @Test
  void vocabularyLargerThanTheEmbeddingIsRefusedWithTheHuggingFaceKey() throws Exception {
    Path dir = VocabularyFixtures.huggingFace(tmp.resolve("hf"));
    Files.delete(dir.resolve("tokenizer.json"));
    List<String> lines = VocabularyFixtures.lines(
        VocabularyFixtures.kerasPreset(tmp.resolve("keras")).resolve(VocabularyFixtures.KERAS_VOCABULARY));
    lines.add("[EXTRA]");
    VocabularyFixtures.writeLines(dir.resolve("vocab.txt"), lines);
    PresetException e = loadFails(dir);
    assertThat(e).hasMessageThat().contains(dir.resolve("vocab.txt") + " has 30,523 tokens but "
        + dir.resolve("config.json") + " says vocab_size 30,522");
    assertThat(e).hasMessageThat().contains("token id 30,522 would have no embedding");
  }

  @Test
  void kerasVocabularyWithoutMaskNamesTheFileAndTheToken() {
    Path dir = VocabularyFixtures.kerasPreset(tmp.resolve("keras"));
    Path vocab = dir.resolve(VocabularyFixtures.KERAS_VOCABULARY);
    List<String> lines = VocabularyFixtures.lines(vocab);
    lines.set(103, "[MASK_]");
    VocabularyFixtures.writeLines(vocab, lines);
    PresetException e = loadFails(dir);
    assertThat(e).hasMessageThat().contains(vocab.toString());
    assertThat(e).hasMessageThat().contains("lacks the special token \"[MASK]\"");
    assertOneLine(e);
  }

  @Test
  void kerasInlineVocabularyWithoutMaskNamesTheFileAndTheToken() {
    Path dir = VocabularyFixtures.kerasPreset(tmp.resolve("keras"));
    Path file = dir.resolve("tokenizer.json");
    List<String> tokens = VocabularyFixtures.lines(dir.resolve(VocabularyFixtures.KERAS_VOCABULARY));
    tokens.set(103, "[MASK_]");
    VocabularyFixtures.editJson(file, "/config", c -> {
      ArrayNode a = c.putArray("vocabulary");
      tokens.forEach(a::add);
    });
    PresetException e = loadFails(dir);
    assertThat(e).hasMessageThat().contains(file.toString());
    assertThat(e).hasMessageThat().contains("lacks the special token \"[MASK]\"");
  }

  @Test
  void kerasExtraSpecialTokenMissingFromTheVocabularyIsNamed() {
    Path dir = VocabularyFixtures.kerasPreset(tmp.resolve("keras"));
    Path file = dir.resolve("tokenizer.json");
    VocabularyFixtures.editJson(file, "/config", c -> c.putArray("special_tokens").add("[MASK]").add("<ent>"));
    PresetException e = loadFails(dir);
    assertThat(e).hasMessageThat().contains(file.toString());
    assertThat(e).hasMessageThat().contains("\"<ent>\"");
  }

  @Test
  void huggingFaceTokenizerJsonWithoutMaskNamesTheFileAndTheToken() throws Exception {
    Path dir = VocabularyFixtures.huggingFace(tmp.resolve("hf"));
    Path file = dir.resolve("tokenizer.json");
    String json = Files.readString(file);
    assertThat(json).contains("\"[MASK]\": 103,");
    Files.writeString(file, json.replace("\"[MASK]\": 103,", "\"[MASK_]\": 103,")
        .replace("\"content\": \"[MASK]\"", "\"content\": \"[MASK_]\""));
    PresetException e = loadFails(dir);
    assertThat(e).hasMessageThat().contains(file.toString());
    assertThat(e).hasMessageThat().contains("\"[MASK]\"");
    assertThat(e).hasMessageThat().doesNotContain("id 103");
  }

  @Test
  void huggingFaceTokenizerJsonWhoseVocabLacksAnAddedTokenNamesTheToken() throws Exception {
    Path dir = VocabularyFixtures.huggingFace(tmp.resolve("hf"));
    Path file = dir.resolve("tokenizer.json");
    String json = Files.readString(file);
    Files.writeString(file, json.replace("\"[MASK]\": 103,", "\"[MASK_]\": 103,"));
    PresetException e = loadFails(dir);
    assertThat(e).hasMessageThat().contains(file + ": model.vocab has no \"[MASK]\", which added_tokens gives the id "
        + "103");
    assertOneLine(e);
  }

  @Test
  void huggingFaceAddedTokenThatModelVocabHasUnderAnotherIdIsNamed() throws Exception {
    Path dir = VocabularyFixtures.huggingFace(tmp.resolve("hf"));
    Path file = dir.resolve("tokenizer.json");
    VocabularyFixtures.editJson(file, "", root -> ((ArrayNode) root.get("added_tokens")).addObject()
        .put("id", 30522).put("content", "[CLS]").put("special", true));
    PresetException e = loadFails(dir);
    assertThat(e).hasMessageThat().contains(file + ": added_tokens gives \"[CLS]\" the id 30522 but model.vocab "
        + "gives it the id 101");
  }

  /** Without its line the vocabulary is also one token short; the missing token is the error named. */
  @Test
  void kerasVocabularyWithoutTheMaskLineNamesTheTokenRatherThanTheSize() {
    Path dir = VocabularyFixtures.kerasPreset(tmp.resolve("keras"));
    Path vocab = dir.resolve(VocabularyFixtures.KERAS_VOCABULARY);
    List<String> lines = VocabularyFixtures.lines(vocab);
    lines.remove(103);
    VocabularyFixtures.writeLines(vocab, lines);
    PresetException e = loadFails(dir);
    assertThat(e).hasMessageThat().contains(vocab.toString());
    assertThat(e).hasMessageThat().contains("the vocabulary (30521 tokens) lacks the special token \"[MASK]\"");
    assertThat(e).hasMessageThat().doesNotContain("30,522");
  }
}
