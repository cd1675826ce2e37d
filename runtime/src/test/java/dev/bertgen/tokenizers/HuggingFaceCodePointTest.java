package dev.bertgen.tokenizers;

import static com.google.common.truth.Truth.assertWithMessage;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.bertgen.dsl.TokenizerFlavor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every code point of the planes in use (BMP, SMP, SIP, TIP, the tag and variation-selector plane,
 * the start of the private-use planes), written between two letters, tokenized by the Hugging Face
 * flavor and by Hugging Face's Rust tokenizer (DJL) over a vocabulary holding every one of those
 * code points as a piece: the ids show each normalization step (clean_text, CJK spacing, NFD and
 * accent stripping, lowercase, the punctuation split) character by character.
 */
class HuggingFaceCodePointTest {
  private static List<Integer> codePoints;
  private static List<String> vocabulary;
  private static List<String> texts;

  @BeforeAll
  static void build() {
    codePoints = new ArrayList<>(SingleCharacterVocabulary.codePoints(0, 0x3FFFF));
    codePoints.addAll(SingleCharacterVocabulary.codePoints(0xE0000, 0xE0FFF));
    codePoints.addAll(SingleCharacterVocabulary.codePoints(0xF0000, 0xF00FF));
    codePoints.addAll(SingleCharacterVocabulary.codePoints(0x10FF00, 0x10FFFF));
    vocabulary = SingleCharacterVocabulary.vocabulary(codePoints);
    texts = new ArrayList<>(codePoints.size());
    for (int c : codePoints) {
      texts.add("x" + new String(Character.toChars(c)) + "y");
    }
  }

  @ParameterizedTest(name = "lowercase={0}, strip_accents={1}")
  @CsvSource({"true, null", "false, false", "true, false"})
  void everyCodePointMatchesHuggingFace(boolean lowercase, String stripAccents, @TempDir Path dir)
      throws Exception {
    Path json = SingleCharacterVocabulary.writeTokenizerJson(dir, vocabulary, lowercase, stripAccents);
    boolean strip = stripAccents.equals("null") ? lowercase : Boolean.parseBoolean(stripAccents);
    WordPieceTokenizer ours = WordPieceTokenizer.of(vocabulary, WordPieceOptions.builder()
        .flavor(TokenizerFlavor.HUGGING_FACE).lowercase(lowercase).stripAccents(strip).build());
    List<String> bad = new ArrayList<>();
    try (HuggingFaceTokenizer djl = SingleCharacterVocabulary.djl(json)) {
      int batch = 65536;
      for (int from = 0; from < texts.size(); from += batch) {
        List<String> part = texts.subList(from, Math.min(texts.size(), from + batch));
        Encoding[] expected = djl.batchEncode(part, false, false);
        for (int i = 0; i < part.size(); i++) {
          int[] want = Arrays.stream(expected[i].getIds()).mapToInt(Math::toIntExact).toArray();
          int[] got = ours.tokenize(part.get(i));
          if (!Arrays.equals(want, got)) {
            bad.add(String.format("U+%04X: DJL %s, ours %s", codePoints.get(from + i), pieces(want),
                pieces(got)));
          }
        }
      }
    }
    System.out.printf("[HuggingFaceCodePointTest] lowercase=%s strip_accents=%s: %d code points, %d mismatches%n",
        lowercase, stripAccents, texts.size(), bad.size());
    assertWithMessage("%s of %s code points normalize differently from Hugging Face; first ones:\n%s",
        bad.size(), texts.size(), String.join("\n", bad.subList(0, Math.min(20, bad.size()))))
        .that(bad).isEmpty();
  }

  private static String pieces(int[] ids) {
    StringBuilder b = new StringBuilder("[");
    for (int id : ids) {
      String t = vocabulary.get(id);
      b.append(b.length() > 1 ? " " : "");
      t.codePoints().forEach(c -> b.append(c > 0x20 && c < 0x7f ? String.valueOf((char) c)
          : String.format("\\u{%x}", c)));
    }
    return b.append(']').toString();
  }
}
