package dev.bertgen.tokenizers;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.bertgen.models.BertTokenizer;
import dev.bertgen.testing.ReferenceFixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Hugging Face flavor against Hugging Face's own Rust tokenizer (DJL), on the vocabulary and
 * normalizer of the reference fixtures' hf_bert_mlm/tokenizer.json (bert-base-uncased's): every
 * gloss of WordNet, the same glosses with accents, capitals and CJK mixed in, and hand-picked hard
 * cases.
 */
class HuggingFaceFlavorTest {
  private static HuggingFaceTokenizer djl;
  private static BertTokenizer ours;

  /** Per test, so that a missing fixture marks each test skipped with the reason. */
  @BeforeEach
  void load() throws Exception {
    Path tokenizerJson = ReferenceFixtures.require("hf_bert_mlm/tokenizer.json");
    if (djl != null) {
      return;
    }
    djl = HuggingFaceTokenizer.builder()
        .optTokenizerPath(tokenizerJson)
        .optAddSpecialTokens(false)
        .optTruncation(false)
        .optPadding(false)
        .build();
    ours = BertTokenizer.fromPreset(tokenizerJson.getParent());
  }

  @AfterAll
  static void close() {
    if (djl != null) {
      djl.close();
    }
  }

  private static List<String> glossCache;

  private static synchronized List<String> glosses() {
    if (glossCache == null) {
      glossCache = ReferenceFixtures.wordNetGlosses();
    }
    return glossCache;
  }

  /** Texts whose ids differ between DJL and BertTokenizer, each with both id lists. */
  private static List<String> mismatches(List<String> texts) {
    List<String> out = new ArrayList<>();
    int batch = 8192;
    for (int from = 0; from < texts.size(); from += batch) {
      List<String> part = texts.subList(from, Math.min(texts.size(), from + batch));
      Encoding[] expected = djl.batchEncode(part, false, false);
      for (int i = 0; i < part.size(); i++) {
        int[] want = Arrays.stream(expected[i].getIds()).mapToInt(Math::toIntExact).toArray();
        int[] got = ours.tokenize(part.get(i));
        if (!Arrays.equals(want, got)) {
          out.add(escape(part.get(i)) + "\n  DJL:  " + Arrays.toString(want) + "\n  ours: " + Arrays.toString(got));
        }
      }
    }
    return out;
  }

  private static void assertSame(String corpus, List<String> texts) {
    long start = System.nanoTime();
    List<String> bad = mismatches(texts);
    System.out.printf("[HuggingFaceFlavorTest] %s: %d lines, %d mismatches with DJL %s (%.1f s)%n", corpus,
        texts.size(), bad.size(), djl.getVersion(), (System.nanoTime() - start) / 1e9);
    assertWithMessage("%s: %s of %s lines differ from Hugging Face's tokenizer; first ones:\n%s", corpus,
        bad.size(), texts.size(), String.join("\n", bad.subList(0, Math.min(10, bad.size()))))
        .that(bad).isEmpty();
  }

  @Test
  void wordNetGlosses() {
    List<String> glosses = glosses();
    assertThat(glosses.size()).isAtLeast(20_000);
    assertSame("WordNet glosses", glosses);
  }

  @Test
  void wordNetGlossesWithAccentsCapitalsAndCjk() {
    List<String> glosses = glosses();
    List<String> mixed = new ArrayList<>(glosses.size() / 3 + 1);
    for (int i = 0; i < glosses.size(); i += 3) { // a third of the lines keeps the test short
      mixed.add(mix(glosses.get(i), i));
    }
    assertSame("WordNet glosses, accented", mixed);
  }

  /**
   * Deterministically decorates a gloss: accented vowels, capitals, a CJK word, a non-breaking
   * space, and a zero-width space, so that every line takes the non-ASCII path.
   */
  static String mix(String line, int seed) {
    String[] accents = {"àáâäå", "èéêë", "ìíîï", "òóôöø", "ùúûü"};
    String vowels = "aeiou";
    StringBuilder b = new StringBuilder(line.length() + 16);
    int word = 0;
    for (int k = 0; k < line.length(); k++) {
      char c = line.charAt(k);
      if (c == ' ') {
        word++;
        b.append(word % 7 == 3 ? '\u00a0' : word % 11 == 5 ? '\u3000' : ' ');
        continue;
      }
      int v = vowels.indexOf(c);
      if (v >= 0 && (word + seed) % 3 == 0) {
        c = accents[v].charAt((k + seed) % accents[v].length());
      }
      b.append((word + seed) % 5 == 0 ? Character.toUpperCase(c) : c);
      if (k == line.length() / 2) {
        b.append(seed % 2 == 0 ? "魔法部" : "\u200b").append(seed % 3 == 0 ? "Ⅻ" : "");
      }
    }
    return b.toString();
  }

  @Test
  void handPickedCases() {
    List<String> cases = new ArrayList<>(List.of(
        "", " ", "   \t\n ", "Über-fast café naïve résumé", "CAFÉ", "İstanbul", "ΟΔΟΣ οδος", "Straße ẞ",
        "ﬁsh ﬀ ﬃ", "e\u0301 a\u0300 n\u0303", "The Ministry of Magic (魔法部)", "日本語のテキスト", "한국어 텍스트",
        "ภาษาไทย", "Привет, мир!", "مرحبا بالعالم", "שלום", "हिन्दी", "I ❤️ NY 🗽🦊👨‍👩‍👧 👍🏽", "fox🦊fox",
        "a\u0000b", "a\u0001b\u0007c\u001fd\u007fe", "tab\there\nnewline\r\nend", "\u000b\u000cx",
        "zero\u200bwidth\u200cnon\u200djoiner\ufeffbom", "non\u00a0breaking\u202fnarrow\u2007figure",
        "ideographic\u3000space", "next\u0085line", "line\u2028para\u2029end", "bad\ufffdchar", "co\u00adoperate",
        "a".repeat(100), "a".repeat(101), "é".repeat(100), "é".repeat(101), "x".repeat(250),
        "supercalifragilisticexpialidocious".repeat(4), "pneumonoultramicroscopicsilicovolcanoconiosis",
        "[CLS] hello [MASK] world [SEP] [PAD]", "[mask] [Mask]", "[MASK][MASK]", "a[UNK]b", "[CLS",
        "ＨＥＬＬＯ ｗｏｒｌｄ", "∑ x² ≤ ½", "Ⅻ ① ②", "＠＃！", "¡¿«»—–…“”‘’", "$100 & 50% off #1 @home ~ ^_^",
        "https://example.com/a?b=c&d=e", "1,234.56", "\ue000private use", "𝐇𝐞𝐥𝐥𝐨 𝕨𝕠𝕣𝕝𝕕", "\u0378unassigned",
        "ᲐᲑᲒ Georgian", "ᏣᎳᎩ Cherokee", "ı dotless", "Ǆ ǅ ǆ", "ᾼ ᾳ", "ŉ", "Ω Å K", "\ud86e\udc20 ext-E",
        "\ud83e\udd8a\ufe0f", "\u0301leading mark", "tēst ŧest ţest", "Zürich Ελλάδα Ísland Ørsted"));
    // Every word-length around the limit, in characters and bytes.
    for (int n = 95; n <= 105; n++) {
      cases.add("a".repeat(n) + " " + "ü".repeat(n) + " " + "🦊".repeat(n / 2));
    }
    assertSame("hand-picked", cases);
  }

  @Test
  void specialTokensAreFoundInStrings() {
    assertThat(ours.tokenize("hello [MASK] world")).asList()
        .containsExactly(7592, 103, 2088).inOrder();
    assertThat(ours.withSpecialTokensInStrings(false).tokenizeToStrings("[MASK]"))
        .containsExactly("[", "mask", "]").inOrder();
  }

  private static String escape(String s) {
    StringBuilder b = new StringBuilder();
    s.codePoints().forEach(c -> {
      if (c >= 0x20 && c < 0x7f) {
        b.append((char) c);
      } else {
        b.append(String.format("\\u{%x}", c));
      }
    });
    return b.toString();
  }
}
