package dev.bertgen.tokenizers;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.bertgen.dsl.TokenizerFlavor;
import dev.bertgen.models.BertTokenizer;
import dev.bertgen.testing.ReferenceFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading keras-hub and Hugging Face tokenizer files, and the errors for bad ones. */
class TokenizerFilesTest {
  private static final String VOCAB = "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nthe\nThe\nfox\n.\n";

  private static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  @Test
  void huggingFaceVocabTxtWithConfig(@TempDir Path dir) throws IOException {
    write(dir.resolve("vocab.txt"), VOCAB);
    write(dir.resolve("tokenizer_config.json"), "{\"do_lower_case\": false, \"tokenizer_class\": \"BertTokenizer\"}");
    TokenizerFiles files = TokenizerFiles.read(dir);
    assertThat(files.config().flavor()).isEqualTo(TokenizerFlavor.HUGGING_FACE);
    assertThat(files.config().lowercase()).isFalse();
    assertThat(files.config().stripAccents()).isFalse();
    assertThat(files.source()).isEqualTo(dir.resolve("vocab.txt"));
    BertTokenizer t = BertTokenizer.fromPreset(dir);
    assertThat(t.tokenizeToStrings("The fox.")).containsExactly("The", "fox", ".").inOrder();
  }

  @Test
  void huggingFaceVocabTxtDefaultsToLowercase(@TempDir Path dir) throws IOException {
    write(dir.resolve("vocab.txt"), VOCAB);
    BertTokenizer t = BertTokenizer.fromPreset(dir);
    assertThat(t.config().lowercase()).isTrue();
    assertThat(t.tokenizeToStrings("The [MASK] fox.")).containsExactly("the", "[MASK]", "fox", ".").inOrder();
  }

  @Test
  void huggingFaceSpecialTokenObjects(@TempDir Path dir) throws IOException {
    write(dir.resolve("vocab.txt"), "<pad>\n<unk>\n<cls>\n<sep>\n<mask>\nfox\n");
    write(dir.resolve("tokenizer_config.json"), "{\"cls_token\": {\"content\": \"<cls>\"}, \"sep_token\": \"<sep>\","
        + " \"pad_token\": \"<pad>\", \"mask_token\": \"<mask>\", \"unk_token\": \"<unk>\"}");
    BertTokenizer t = BertTokenizer.fromPreset(dir);
    assertThat(t.clsId()).isEqualTo(2);
    assertThat(t.tokenizeToStrings("fox <mask> cat")).containsExactly("fox", "<mask>", "<unk>").inOrder();
  }

  @Test
  void kerasHubPresetFromReference() {
    TokenizerFiles files = TokenizerFiles.read(ReferenceFixtures.kerasPreset());
    assertThat(files.config().flavor()).isEqualTo(TokenizerFlavor.KERAS_HUB);
    assertThat(files.vocabulary()).hasSize(30522);
    assertThat(files.options().specialTokens()).containsExactly("[CLS]", "[SEP]", "[PAD]", "[MASK]").inOrder();
  }

  @Test
  void kerasHubSpecialTokensInStringsAndExtraSpecials(@TempDir Path dir) throws IOException {
    write(dir.resolve("assets/tokenizer/vocabulary.txt"), VOCAB + "<x>\n");
    write(dir.resolve("tokenizer.json"), "{\"class_name\": \"BertTokenizer\", \"config\": {\"lowercase\": true, "
        + "\"strip_accents\": false, \"split\": true, \"suffix_indicator\": \"##\", \"oov_token\": \"[UNK]\", "
        + "\"special_tokens\": [\"<x>\"], \"special_tokens_in_strings\": true, \"vocabulary\": null}}");
    BertTokenizer t = BertTokenizer.fromPreset(dir);
    assertThat(t.tokenizeToStrings("THE<x>[MASK]")).containsExactly("the", "<x>", "[MASK]").inOrder();
  }

  @Test
  void huggingFaceTokenizerJsonReadsModelVocab() {
    TokenizerFiles files = TokenizerFiles.read(ReferenceFixtures.huggingFace());
    assertThat(files.vocabulary()).hasSize(30522);
    assertThat(files.vocabulary().get(103)).isEqualTo("[MASK]");
    assertThat(files.options().specialTokens()).containsExactly("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]");
    assertThat(files.options().maxWordLength()).isEqualTo(100);
  }

  @Test
  void huggingFaceWithoutNormalizerKeepsCase(@TempDir Path dir) throws IOException {
    write(dir.resolve("tokenizer.json"), "{\"normalizer\": null, \"pre_tokenizer\": {\"type\": \"BertPreTokenizer\"}, "
        + "\"model\": {\"type\": \"WordPiece\", \"vocab\": {\"[PAD]\": 0, \"[UNK]\": 1, \"[CLS]\": 2, "
        + "\"[SEP]\": 3, \"[MASK]\": 4, \"The\": 5, \"the\": 6}}}");
    BertTokenizer t = BertTokenizer.fromPreset(dir);
    assertThat(t.config().lowercase()).isFalse();
    assertThat(t.tokenize("The the")).asList().containsExactly(5, 6).inOrder();
  }

  @Test
  void missingDirectory(@TempDir Path dir) {
    Path missing = dir.resolve("nope");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BertTokenizer.fromPreset(missing));
    assertThat(e).hasMessageThat().contains(missing.toString());
    assertThat(e).hasMessageThat().contains("does not exist");
  }

  @Test
  void emptyDirectory(@TempDir Path dir) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BertTokenizer.fromPreset(dir));
    assertThat(e).hasMessageThat().contains("expected tokenizer.json");
  }

  @Test
  void kerasHubWithoutVocabulary(@TempDir Path dir) throws IOException {
    write(dir.resolve("tokenizer.json"), "{\"class_name\": \"BertTokenizer\", \"config\": {\"lowercase\": true}}");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BertTokenizer.fromPreset(dir));
    assertThat(e).hasMessageThat().contains("assets/tokenizer/vocabulary.txt");
    assertThat(e).hasMessageThat().contains("is missing");
  }

  @Test
  void vocabularyWithoutTokenizerJson(@TempDir Path dir) throws IOException {
    write(dir.resolve("assets/tokenizer/vocabulary.txt"), VOCAB);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BertTokenizer.fromPreset(dir));
    assertThat(e).hasMessageThat().contains("no tokenizer.json");
  }

  @Test
  void malformedJsonNamesTheFile(@TempDir Path dir) throws IOException {
    write(dir.resolve("tokenizer.json"), "{\"model\": ");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BertTokenizer.fromPreset(dir));
    assertThat(e).hasMessageThat().contains(dir.resolve("tokenizer.json").toString());
    assertThat(e).hasMessageThat().contains("not valid JSON");
  }

  @Test
  void notWordPiece(@TempDir Path dir) throws IOException {
    write(dir.resolve("tokenizer.json"), "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}}}");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BertTokenizer.fromPreset(dir));
    assertThat(e).hasMessageThat().contains("BPE model, not WordPiece");
  }

  @Test
  void vocabularyIdGap(@TempDir Path dir) throws IOException {
    write(dir.resolve("tokenizer.json"), "{\"model\": {\"type\": \"WordPiece\", \"vocab\": {\"a\": 0, \"b\": 2}}, "
        + "\"pre_tokenizer\": {\"type\": \"BertPreTokenizer\"}}");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BertTokenizer.fromPreset(dir));
    assertThat(e).hasMessageThat().contains("model.vocab gives \"b\" the id 2");
  }

  @Test
  void otherKerasTokenizerClass(@TempDir Path dir) throws IOException {
    write(dir.resolve("tokenizer.json"), "{\"class_name\": \"XLMRobertaTokenizer\", \"config\": {}}");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BertTokenizer.fromPreset(dir));
    assertThat(e).hasMessageThat().contains("XLMRobertaTokenizer, not a BertTokenizer");
  }

  @Test
  void missingSpecialTokenNamesTheSource(@TempDir Path dir) throws IOException {
    write(dir.resolve("vocab.txt"), "[UNK]\nthe\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BertTokenizer.fromPreset(dir));
    assertThat(e).hasMessageThat().contains(dir.resolve("vocab.txt").toString());
    assertThat(e).hasMessageThat().contains("lacks the special token");
  }

  @Test
  void wrongTypeInConfig(@TempDir Path dir) throws IOException {
    write(dir.resolve("vocab.txt"), VOCAB);
    write(dir.resolve("tokenizer_config.json"), "{\"do_lower_case\": \"yes\"}");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TokenizerFiles.read(dir));
    assertThat(e).hasMessageThat().contains("\"do_lower_case\" is \"yes\"; it must be true or false");
  }

  @Test
  void vocabTxtLineBreaksAreTransformersUniversalNewlines(@TempDir Path dir) throws IOException {
    write(dir.resolve("vocab.txt"), "[PAD]\r\n[UNK]\r\n[CLS]\r[SEP]\n[MASK]\r\n\r\nfox \r\n");
    TokenizerFiles files = TokenizerFiles.read(dir);
    // Python's text mode turns "\r\n" and "\r" into "\n"; load_vocab then strips only the "\n".
    assertThat(files.vocabulary()).containsExactly("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "", "fox ")
        .inOrder();
  }

  @Test
  void vocabTxtThatIsNotUtf8NamesTheFile(@TempDir Path dir) throws IOException {
    Files.write(dir.resolve("vocab.txt"), new byte[] {'[', 'P', 'A', 'D', ']', '\n', (byte) 0xE9, '\n'});
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TokenizerFiles.read(dir));
    assertThat(e).hasMessageThat().contains(dir.resolve("vocab.txt") + " is not valid UTF-8");
  }

  @Test
  void tokenizerJsonWinsOverVocabTxtAsInTransformers(@TempDir Path dir) throws IOException {
    write(dir.resolve("vocab.txt"), VOCAB);
    write(dir.resolve("tokenizer.json"), "{\"normalizer\": null, \"pre_tokenizer\": {\"type\": \"BertPreTokenizer\"}, "
        + "\"model\": {\"type\": \"WordPiece\", \"vocab\": {\"[PAD]\": 0, \"[UNK]\": 1, \"[CLS]\": 2, "
        + "\"[SEP]\": 3, \"[MASK]\": 4, \"fox\": 5}}}");
    TokenizerFiles files = TokenizerFiles.read(dir);
    assertThat(files.source()).isEqualTo(dir.resolve("tokenizer.json"));
    assertThat(files.vocabularyFile()).isEqualTo(dir.resolve("tokenizer.json"));
    assertThat(files.vocabulary()).hasSize(6);
  }

  @Test
  void otherHuggingFaceTokenizerClassIsRefused(@TempDir Path dir) throws IOException {
    write(dir.resolve("vocab.txt"), VOCAB);
    write(dir.resolve("tokenizer_config.json"), "{\"tokenizer_class\": \"BertJapaneseTokenizer\"}");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TokenizerFiles.read(dir));
    assertThat(e).hasMessageThat().contains(dir.resolve("tokenizer_config.json").toString());
    assertThat(e).hasMessageThat().contains("tokenizer_class \"BertJapaneseTokenizer\" is not a BERT WordPiece "
        + "tokenizer");
  }

  @Test
  void fastTokenizerClassIsBert(@TempDir Path dir) throws IOException {
    write(dir.resolve("vocab.txt"), VOCAB);
    write(dir.resolve("tokenizer_config.json"), "{\"tokenizer_class\": \"BertTokenizerFast\"}");
    assertThat(TokenizerFiles.read(dir).vocabulary()).hasSize(9);
  }

  @Test
  void specialTokenOfAnotherTypeNamesTheKey(@TempDir Path dir) throws IOException {
    write(dir.resolve("vocab.txt"), VOCAB);
    write(dir.resolve("tokenizer_config.json"), "{\"mask_token\": 4}");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TokenizerFiles.read(dir));
    assertThat(e).hasMessageThat().contains(dir.resolve("tokenizer_config.json") + ": \"mask_token\" is 4");
  }

  @Test
  void readIfPresentIsEmptyWithoutAVocabulary(@TempDir Path dir) throws IOException {
    assertThat(TokenizerFiles.readIfPresent(dir)).isEmpty();
    write(dir.resolve("tokenizer_config.json"), "{\"do_lower_case\": false}");
    assertThat(TokenizerFiles.readIfPresent(dir)).isEmpty();
    Path keras = dir.resolve("keras");
    write(keras.resolve("assets/tokenizer/vocabulary.txt"), VOCAB);
    write(keras.resolve("tokenizer.json"), "{\"class_name\": \"BertTokenizer\", \"config\": {\"lowercase\": true}}");
    assertThat(TokenizerFiles.readIfPresent(keras).orElseThrow().vocabularyFile())
        .isEqualTo(keras.resolve("assets/tokenizer/vocabulary.txt"));
  }

  /** keras-hub's tokenizer.json says the preset has a tokenizer: without its vocabulary it is incomplete. */
  @Test
  void readIfPresentRefusesAKerasTokenizerJsonWithoutItsVocabulary(@TempDir Path dir) throws IOException {
    write(dir.resolve("tokenizer.json"), "{\"class_name\": \"BertTokenizer\", \"config\": {\"lowercase\": true}}");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TokenizerFiles.readIfPresent(dir));
    assertThat(e).hasMessageThat().contains(dir.resolve("assets/tokenizer/vocabulary.txt") + " is missing");
  }

  @Test
  void readIfPresentStillRefusesFilesItCannotUse(@TempDir Path dir) throws IOException {
    write(dir.resolve("assets/tokenizer/vocabulary.txt"), VOCAB);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TokenizerFiles.readIfPresent(dir));
    assertThat(e).hasMessageThat().contains("no tokenizer.json");
  }

  @Test
  void defaultsAreWhatFilesThatSetNothingGive(@TempDir Path dir) throws IOException {
    write(dir.resolve("vocab.txt"), VOCAB);
    assertThat(TokenizerFiles.defaults(TokenizerFlavor.HUGGING_FACE)).isEqualTo(TokenizerFiles.read(dir).config());
    Path keras = dir.resolve("keras");
    write(keras.resolve("assets/tokenizer/vocabulary.txt"), VOCAB);
    write(keras.resolve("tokenizer.json"), "{\"class_name\": \"BertTokenizer\", \"config\": {}}");
    assertThat(TokenizerFiles.defaults(TokenizerFlavor.KERAS_HUB)).isEqualTo(TokenizerFiles.read(keras).config());
  }

  @Test
  void missingSpecialTokenNamesTheVocabularyAndTheSettings(@TempDir Path dir) throws IOException {
    write(dir.resolve("assets/tokenizer/vocabulary.txt"), "[UNK]\nthe\n");
    write(dir.resolve("tokenizer.json"), "{\"class_name\": \"BertTokenizer\", \"config\": {}}");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BertTokenizer.fromPreset(dir));
    assertThat(e).hasMessageThat().contains(dir.resolve("assets/tokenizer/vocabulary.txt") + " (settings from "
        + dir.resolve("tokenizer.json") + "): the vocabulary (2 tokens) lacks the special token \"[CLS]\"");
  }
}
