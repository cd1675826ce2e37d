package dev.bertgen.hostile;

import static com.google.common.truth.Truth.assertWithMessage;

import com.google.common.collect.Range;
import dev.bertgen.dsl.TokenizerFlavor;
import dev.bertgen.models.BertMaskedLMPreprocessor;
import dev.bertgen.models.BertTokenizer;
import dev.bertgen.models.ModelState;
import dev.bertgen.preprocessing.MaskedLMBatch;
import dev.bertgen.models.PresetOptions;
import dev.bertgen.presets.PresetException;
import dev.bertgen.spec.BuiltinPresets;
import dev.bertgen.spec.PreprocessorConfig;
import dev.bertgen.testing.ReferenceFixtures;
import dev.bertgen.tokenizers.TokenizerFiles;
import dev.bertgen.tokenizers.WordPieceOptions;
import dev.bertgen.tokenizers.WordPieceTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded, time-bounded fuzzing of the WordPiece tokenizers (both flavors) and of the parsing of
 * vocabulary and tokenizer files.
 *
 * <p>Random Unicode text (lone surrogates, combining marks, control characters, very long words,
 * huge whitespace runs, special-token fragments, characters whose normalization expands) must
 * tokenize without any exception, to ids inside the vocabulary, a bounded number of them, the same
 * way twice. Randomly damaged vocabulary and tokenizer files must either load or be refused with
 * one line that names the file; nothing else may be thrown.
 *
 * <p>{@code -Dbertgen.fuzz.seconds=S} sets the time of both tests together (default 10),
 * {@code -Dbertgen.fuzz.seed=N} the seed (default fixed, so that runs repeat); a failure names the
 * seed of its case.
 */
class TokenizerFuzzTest {
  private static final long SEED = Long.getLong("bertgen.fuzz.seed", 20261204L);
  private static final double SECONDS = Double.parseDouble(System.getProperty("bertgen.fuzz.seconds", "10"));

  /** Characters whose normalization or case folding expands, or that sit on flavor differences. */
  private static final String[] TRICKY = {
    "\u0130", "\u00DF", "\uFB01", "\uFDFA", "\u03A3", "\u212B", "\u2028", "\u2029", "\u3000", "\u00A0",
    "\u200B", "\uFEFF", "\u202E", "\u200F", "\u0085", "\uFFFD", "\uFFFE", "\uFFFF", "\uE000", "\u1E9E",
    "\u0149", "\u01F0", "\u0390", "\u1F52", "\uFB03", "\u3164", "\u115F", "\u00AD", "\u034F", "\u180E",
  };

  private static final String[] SPECIAL = {
    "[MASK]", "[CLS]", "[SEP]", "[PAD]", "[UNK]", "[MAS", "K]", "##", "[", "]", "[mask]", "[MASK]]", "[[MASK]",
  };

  /** A tokenizer under test, with its name for messages. */
  private record Subject(String name, WordPieceTokenizer tokenizer) {}

  private static List<Subject> tokenizers() {
    BertTokenizer keras = BertTokenizer.bundled(BuiltinPresets.get("bert_tiny_en_uncased").tokenizer());
    BertTokenizer hf = BertTokenizer.fromPreset(ReferenceFixtures.huggingFace());
    List<String> tiny = List.of("[UNK]", "[CLS]", "[SEP]", "[PAD]", "[MASK]", "a", "b", "##a", "##b", "ab", "é",
        "##\u0301", "\u4E00", ".");
    return List.of(
        new Subject("keras-hub uncased", keras),
        new Subject("keras-hub, special tokens in strings", keras.withSpecialTokensInStrings(true)),
        new Subject("Hugging Face uncased", hf),
        new Subject("Hugging Face, no special tokens in strings", hf.withSpecialTokensInStrings(false)),
        new Subject("keras-hub cased, accents stripped, max word 5", WordPieceTokenizer.of(tiny,
            WordPieceOptions.builder().stripAccents(true).maxWordLength(5).build())),
        new Subject("Hugging Face, no split", WordPieceTokenizer.of(tiny, WordPieceOptions.builder()
            .flavor(TokenizerFlavor.HUGGING_FACE).lowercase(true).split(false).build())));
  }

  @Test
  void randomTextTokenizesToIdsInTheVocabularyInBothFlavors() {
    List<Subject> subjects = tokenizers();
    BertTokenizer keras = (BertTokenizer) subjects.get(0).tokenizer();
    BertMaskedLMPreprocessor preprocessor = new BertMaskedLMPreprocessor(keras,
        PreprocessorConfig.kerasHubDefaults().withSequenceLength(32).withMaskSelectionLength(5));
    List<String> vocabulary = keras.vocabulary();
    long deadline = System.nanoTime() + (long) (SECONDS * 0.6e9);
    int cases = 0;
    List<String> batch = new ArrayList<>();
    do {
      long caseSeed = SEED * 1_000_003L + cases;
      String text = randomText(new Random(caseSeed), vocabulary);
      for (Subject s : subjects) {
        check(s, text, caseSeed);
      }
      MaskedLMBatch b = preprocessor.call(List.of(text), caseSeed);
      for (int id : b.inputs().tokenIds()[0]) {
        assertWithMessage("preprocessor, case seed %s, text %s", caseSeed, shown(text))
            .that(id).isIn(Range.closedOpen(0, keras.vocabularySize()));
      }
      batch.add(text);
      if (batch.size() == 8) {
        for (Subject s : subjects) {
          int[][] together = s.tokenizer().tokenize(batch, 2);
          for (int i = 0; i < batch.size(); i++) {
            assertWithMessage("%s: batch of 8 on 2 threads, case seed %s", s.name(), caseSeed)
                .that(together[i]).isEqualTo(s.tokenizer().tokenize(batch.get(i)));
          }
        }
        batch.clear();
      }
      cases++;
    } while (System.nanoTime() < deadline);
    System.out.println("tokenizer fuzz: " + cases + " cases, seed " + SEED);
  }

  /** The invariants of one tokenizer on one text. */
  private static void check(Subject s, String text, long caseSeed) {
    WordPieceTokenizer t = s.tokenizer();
    String where = s.name() + ", case seed " + caseSeed + ", text " + shown(text);
    int[] ids;
    try {
      ids = t.tokenize(text);
    } catch (RuntimeException e) {
      throw new AssertionError(where + ": tokenize threw " + e, e);
    }
    for (int id : ids) {
      if (id < 0 || id >= t.vocabularySize()) {
        throw new AssertionError(where + ": id " + id + " is outside the vocabulary of " + t.vocabularySize());
      }
    }
    // Normalization expands one char into at most 18 (NFKC of U+FDFA); each token takes at least one.
    assertWithMessage("%s: number of tokens", where).that(ids.length).isAtMost(18 * text.length());
    assertWithMessage("%s: a second time", where).that(t.tokenize(text)).isEqualTo(ids);
    List<String> pieces = t.tokenizeToStrings(text);
    assertWithMessage("%s: pieces", where).that(pieces.size()).isEqualTo(ids.length);
    for (int i = 0; i < ids.length; i++) {
      assertWithMessage("%s: piece %s", where, i).that(pieces.get(i)).isEqualTo(t.idToToken(ids[i]));
    }
    String back = t.detokenize(ids);
    assertWithMessage("%s: detokenized", where).that(back.isEmpty()).isEqualTo(ids.length == 0);
    if (t.options().split() && text.chars().allMatch(c -> c <= 0x20 || c == 0x7F)) {
      assertWithMessage("%s: only ASCII whitespace and control characters", where).that(ids).isEmpty();
    }
  }

  @Test
  void damagedVocabularyAndTokenizerFilesLoadOrAreRefusedInOneLine(@TempDir Path tmp) throws IOException {
    Path kerasSource = VocabularyFixtures.kerasPreset(tmp.resolve("keras-source"));
    List<String> tokens = VocabularyFixtures.lines(kerasSource.resolve(VocabularyFixtures.KERAS_VOCABULARY))
        .subList(0, 2000);
    VocabularyFixtures.writeLines(kerasSource.resolve(VocabularyFixtures.KERAS_VOCABULARY), tokens);
    VocabularyFixtures.editJson(kerasSource.resolve("config.json"), "/config",
        c -> c.put("vocabulary_size", tokens.size()));
    Path hfSource = VocabularyFixtures.huggingFace(tmp.resolve("hf-source"));
    Files.delete(hfSource.resolve("tokenizer.json"));
    VocabularyFixtures.writeLines(hfSource.resolve("vocab.txt"), tokens);
    VocabularyFixtures.editJson(hfSource.resolve("config.json"), "", c -> c.put("vocab_size", tokens.size()));
    Path hfJsonSource = VocabularyFixtures.huggingFace(tmp.resolve("hf-json-source"));
    String[][] targets = {
      {"keras-source", VocabularyFixtures.KERAS_VOCABULARY},
      {"keras-source", "tokenizer.json"},
      {"hf-source", "vocab.txt"},
      {"hf-source", "tokenizer_config.json"},
      {"hf-json-source", "tokenizer.json"},
    };
    long deadline = System.nanoTime() + (long) (SECONDS * 0.4e9);
    int cases = 0;
    int loaded = 0;
    do {
      long caseSeed = SEED * 7_000_003L + cases;
      Random r = new Random(caseSeed);
      String[] target = targets[r.nextInt(targets.length)];
      Path dir = tmp.resolve("case");
      deleteRecursively(dir);
      copyRecursively(tmp.resolve(target[0]), dir);
      Path file = dir.resolve(target[1]);
      byte[] original = Files.readAllBytes(file);
      byte[] mutated = mutate(original, r);
      Files.write(file, mutated);
      String where = "case seed " + caseSeed + ", " + target[1] + " mutated to " + shown(
          new String(mutated, 0, Math.min(mutated.length, 200), StandardCharsets.UTF_8));
      boolean ok;
      try {
        BertTokenizer t = BertTokenizer.fromFiles(TokenizerFiles.read(dir));
        for (int id : t.tokenize("The quick brown fox [MASK] jumps \u00E9t\u00E9 \u4E00.")) {
          assertWithMessage("%s: id", where).that(id).isIn(Range.closedOpen(0,
              t.vocabularySize()));
        }
        ok = true;
      } catch (IllegalArgumentException e) {
        requireOneLineNamingTheDirectory(e, dir, where);
        ok = false;
      } catch (RuntimeException e) {
        throw new AssertionError(where + ": TokenizerFiles / BertTokenizer threw " + e, e);
      }
      if (cases % 5 == 0) {
        try {
          ModelState.load(dir.toString(), PresetOptions.builder().loadWeights(false).build(), null, true);
          assertWithMessage("%s: the loader accepted what TokenizerFiles refused", where).that(ok).isTrue();
        } catch (PresetException e) {
          requireOneLineNamingTheDirectory(e, dir, where);
        } catch (RuntimeException e) {
          throw new AssertionError(where + ": PresetLoader threw " + e, e);
        }
      }
      loaded += ok ? 1 : 0;
      cases++;
    } while (System.nanoTime() < deadline);
    System.out.println("vocabulary file fuzz: " + cases + " cases (" + loaded + " loaded, " + (cases - loaded)
        + " refused), seed " + SEED);
  }

  private static void requireOneLineNamingTheDirectory(RuntimeException e, Path dir, String where) {
    String m = e.getMessage();
    assertWithMessage("%s: message of %s", where, e).that(m).isNotNull();
    assertWithMessage("%s: one line", where).that(m).doesNotContain("\n");
    assertWithMessage("%s: names the file", where).that(m).contains(dir.toString());
  }

  // ---- random text

  private static String randomText(Random r, List<String> vocabulary) {
    StringBuilder sb = new StringBuilder();
    int parts = 1 + r.nextInt(8);
    for (int p = 0; p < parts; p++) {
      switch (r.nextInt(15)) {
        case 0 -> sb.append(asciiWord(r, 1 + r.nextInt(20)));
        case 1 -> {
          int n = r.nextInt(25) == 0 ? 1 + r.nextInt(100_000) : 1 + r.nextInt(5);
          String ws = " \t\n\r\f\u000B\u3000\u00A0\u2003";
          char c = ws.charAt(r.nextInt(r.nextBoolean() ? 4 : ws.length()));
          sb.append(String.valueOf(c).repeat(n));
        }
        case 2 -> {
          for (int i = 1 + r.nextInt(5); i > 0; i--) {
            sb.append((char) (r.nextBoolean() ? r.nextInt(0x20) : 0x7F + r.nextInt(0x21)));
          }
        }
        case 3 -> {
          if (r.nextBoolean()) {
            sb.append((char) ('a' + r.nextInt(26)));
          }
          for (int i = 1 + r.nextInt(r.nextInt(10) == 0 ? 500 : 8); i > 0; i--) {
            sb.append((char) (0x0300 + r.nextInt(0x70)));
          }
        }
        case 4 -> sb.append((char) (r.nextBoolean() ? 0xD800 + r.nextInt(0x400) : 0xDC00 + r.nextInt(0x400)));
        case 5 -> {
          int[] starts = {0x1F300, 0x1D400, 0x20000, 0x10000, 0xE0000, 0x10FFF0};
          sb.appendCodePoint(starts[r.nextInt(starts.length)] + r.nextInt(16));
        }
        case 6 -> {
          for (int i = 1 + r.nextInt(10); i > 0; i--) {
            sb.append((char) (0x4E00 + r.nextInt(0x5200)));
          }
        }
        case 7 -> {
          int n = r.nextInt(20) == 0 ? 1 + r.nextInt(50_000) : 100 + r.nextInt(400);
          sb.append(r.nextBoolean() ? String.valueOf((char) ('a' + r.nextInt(26))).repeat(n) : asciiWord(r, n));
        }
        case 8 -> sb.append(SPECIAL[r.nextInt(SPECIAL.length)]);
        case 9 -> {
          for (int i = 1 + r.nextInt(10); i > 0; i--) {
            sb.append((char) r.nextInt(0x10000));
          }
        }
        case 10 -> sb.append(TRICKY[r.nextInt(TRICKY.length)]);
        case 11 -> sb.appendCodePoint(r.nextInt(0x110000));
        case 12 -> {
          String punct = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~\u00A1\u00BF\u2014\u3002\uFF01\u2026";
          for (int i = 1 + r.nextInt(r.nextInt(10) == 0 ? 2000 : 5); i > 0; i--) {
            sb.append(punct.charAt(r.nextInt(punct.length())));
          }
        }
        case 13 -> {
          for (int i = 1 + r.nextInt(6); i > 0; i--) {
            sb.append(vocabulary.get(r.nextInt(vocabulary.size())));
            sb.append(r.nextBoolean() ? " " : "");
          }
        }
        default -> sb.append(' ');
      }
    }
    return sb.toString();
  }

  private static String asciiWord(Random r, int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      int k = r.nextInt(36);
      sb.append((char) (k < 26 ? (r.nextBoolean() ? 'a' : 'A') + k : '0' + k - 26));
    }
    return sb.toString();
  }

  /** {@code text} escaped and cut to 120 characters, for messages. */
  private static String shown(String text) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < text.length() && sb.length() < 120; i++) {
      char c = text.charAt(i);
      sb.append(c >= 0x20 && c < 0x7F ? String.valueOf(c) : String.format("\\u%04X", (int) c));
    }
    return sb.append(text.length() > 120 ? "...\" (" + text.length() + " chars)" : "\"").toString();
  }

  // ---- random damage to files

  private static byte[] mutate(byte[] original, Random r) {
    byte[] b = original.clone();
    switch (r.nextInt(12)) {
      case 0 -> {
        return Arrays.copyOf(b, r.nextInt(b.length + 1)); // truncated
      }
      case 1 -> {
        for (int i = 1 + r.nextInt(8); i > 0 && b.length > 0; i--) {
          b[r.nextInt(b.length)] = (byte) r.nextInt(256); // random bytes, often invalid UTF-8
        }
        return b;
      }
      case 2 -> {
        return new byte[0];
      }
      case 3 -> {
        return lines(original, r, (lines, rr) -> {
          int i = rr.nextInt(lines.size());
          lines.add(rr.nextInt(lines.size() + 1), lines.get(i)); // a line twice
        });
      }
      case 4 -> {
        return lines(original, r, (lines, rr) -> lines.remove(rr.nextInt(lines.size())));
      }
      case 5 -> {
        return lines(original, r, (lines, rr) -> {
          StringBuilder garbage = new StringBuilder();
          for (int i = rr.nextInt(rr.nextInt(10) == 0 ? 100_000 : 20); i > 0; i--) {
            garbage.appendCodePoint(rr.nextInt(4) == 0 ? rr.nextInt(0x80) : rr.nextInt(0x110000) & ~0x800);
          }
          lines.add(rr.nextInt(lines.size() + 1), garbage.toString());
        });
      }
      case 6 -> {
        return new String(b, StandardCharsets.UTF_8).replace("\n", r.nextBoolean() ? "\r\n" : "\r")
            .getBytes(StandardCharsets.UTF_8);
      }
      case 7 -> {
        byte[] out = new byte[b.length + 3];
        out[0] = (byte) 0xEF;
        out[1] = (byte) 0xBB;
        out[2] = (byte) 0xBF; // a byte-order mark
        System.arraycopy(b, 0, out, 3, b.length);
        return out;
      }
      case 8 -> {
        return "\n\n\n".repeat(1 + r.nextInt(3)).getBytes(StandardCharsets.UTF_8);
      }
      case 9 -> {
        String[] swaps = {"true", "\"yes\"", "null", "12", "-1", "2147483648", "[]", "{}", "\"[MASK]\"", "1e400"};
        String text = new String(b, StandardCharsets.UTF_8);
        String[] from = {"true", "false", "null", "\"##\"", "\"[UNK]\"", "\"WordPiece\"", "100", "\"[MASK]\""};
        String f = from[r.nextInt(from.length)];
        return text.replaceFirst(java.util.regex.Pattern.quote(f), java.util.regex.Matcher.quoteReplacement(
            swaps[r.nextInt(swaps.length)])).getBytes(StandardCharsets.UTF_8);
      }
      case 10 -> {
        return lines(original, r, (lines, rr) -> java.util.Collections.swap(lines, rr.nextInt(lines.size()),
            rr.nextInt(lines.size())));
      }
      default -> {
        byte[] out = Arrays.copyOf(b, b.length + 1 + r.nextInt(3));
        for (int i = b.length; i < out.length; i++) {
          out[i] = (byte) (0x80 + r.nextInt(0x80)); // a cut-off multi-byte sequence at the end
        }
        return out;
      }
    }
  }

  private interface LineEdit {
    void apply(List<String> lines, Random r);
  }

  private static byte[] lines(byte[] original, Random r, LineEdit edit) {
    List<String> lines = new ArrayList<>(Arrays.asList(new String(original, StandardCharsets.UTF_8).split("\n", -1)));
    if (lines.isEmpty()) {
      lines.add("");
    }
    edit.apply(lines, r);
    return String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
  }

  private static void copyRecursively(Path from, Path to) throws IOException {
    try (var files = Files.walk(from)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
