package dev.bertgen.tokenizers;

import static com.google.common.truth.Truth.assertWithMessage;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.bertgen.models.BertMaskedLMPreprocessor;
import dev.bertgen.models.BertTokenizer;
import dev.bertgen.spec.BuiltinPresets;
import dev.bertgen.spec.PreprocessorConfig;
import dev.bertgen.testing.ReferenceFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;

/**
 * Tokenizer and preprocessor throughput on the WordNet glosses, next to DJL's Hugging Face (Rust)
 * tokenizer on the same text, in one JVM. Not part of {@code mvn verify}; run it with
 *
 * <pre>
 * mvn -B -pl runtime -am test -Pbenchmarks
 * </pre>
 *
 * It prints a Markdown table (also written to runtime/target/benchmarks/tokenizer.md) and fails if
 * the single-threaded Hugging Face flavor is slower than DJL's single-threaded {@code encode}.
 */
class TokenizerBenchmark {
  private static final int WARMUP_ROUNDS = 2;
  private static final int ROUNDS = 5;

  record Result(String what, double sentencesPerSecond, double tokensPerSecond) {}

  @Test
  void throughput() throws Exception {
    List<String> lines = ReferenceFixtures.wordNetGlosses();
    Path tokenizerJson = ReferenceFixtures.require("hf_bert_mlm/tokenizer.json");
    BertTokenizer huggingFace = BertTokenizer.fromPreset(tokenizerJson.getParent());
    BertTokenizer kerasHub = BertTokenizer.bundled(BuiltinPresets.get("bert_tiny_en_uncased").tokenizer());
    int threads = Runtime.getRuntime().availableProcessors();
    List<Result> results = new ArrayList<>();
    try (HuggingFaceTokenizer djl = HuggingFaceTokenizer.builder().optTokenizerPath(tokenizerJson)
        .optAddSpecialTokens(false).optTruncation(false).optPadding(false).build()) {
      Result djlOne = measure("DJL HuggingFaceTokenizer.encode, 1 thread", lines, texts -> {
        long n = 0;
        for (String t : texts) {
          n += djl.encode(t, false, false).getIds().length;
        }
        return n;
      });
      Result oursOne = measure("BertTokenizer (Hugging Face flavor), 1 thread", lines, texts -> {
        long n = 0;
        for (String t : texts) {
          n += huggingFace.tokenize(t).length;
        }
        return n;
      });
      Result kerasOne = measure("BertTokenizer (keras-hub flavor), 1 thread", lines, texts -> {
        long n = 0;
        for (String t : texts) {
          n += kerasHub.tokenize(t).length;
        }
        return n;
      });
      Result djlBatch = measure("DJL HuggingFaceTokenizer.batchEncode (Rust threads)", lines, texts -> {
        long n = 0;
        for (int from = 0; from < texts.size(); from += 4096) {
          for (var e : djl.batchEncode(texts.subList(from, Math.min(texts.size(), from + 4096)), false, false)) {
            n += e.getIds().length;
          }
        }
        return n;
      });
      Result oursBatch = measure("BertTokenizer (Hugging Face flavor), " + threads + " threads", lines, texts -> {
        long n = 0;
        for (int[] ids : huggingFace.tokenize(texts, threads)) {
          n += ids.length;
        }
        return n;
      });
      results.addAll(List.of(djlOne, oursOne, kerasOne, djlBatch, oursBatch));
      for (int p : new int[] {1, threads}) {
        BertMaskedLMPreprocessor pre = new BertMaskedLMPreprocessor(kerasHub,
            PreprocessorConfig.kerasHubDefaults().withSequenceLength(128).withMaskSelectionLength(20))
            .withParallelism(p);
        results.add(measure("BertMaskedLMPreprocessor (tokenize+pack+mask, seq 128, batches of 256), " + p
            + (p == 1 ? " thread" : " threads"), lines, texts -> {
              long n = 0;
              for (int from = 0; from < texts.size(); from += 256) {
                n += pre.call(texts.subList(from, Math.min(texts.size(), from + 256))).labels().length;
              }
              return n;
            }));
      }
      String table = table(lines.size(), djl.getVersion(), results);
      System.out.println(table);
      Path out = Path.of("target", "benchmarks", "tokenizer.md");
      Files.createDirectories(out.getParent());
      Files.writeString(out, table);
      assertWithMessage("single-threaded Hugging Face flavor (%s sentences/s) is slower than DJL's encode (%s)",
          oursOne.sentencesPerSecond(), djlOne.sentencesPerSecond())
          .that(oursOne.sentencesPerSecond()).isAtLeast(djlOne.sentencesPerSecond());
    }
  }

  /** Median over {@link #ROUNDS} passes after {@link #WARMUP_ROUNDS}; the function returns a count. */
  private static Result measure(String what, List<String> lines, ToLongFunction<List<String>> pass) {
    long units = 0;
    for (int i = 0; i < WARMUP_ROUNDS; i++) {
      units = pass.applyAsLong(lines);
    }
    double[] seconds = new double[ROUNDS];
    for (int i = 0; i < ROUNDS; i++) {
      long start = System.nanoTime();
      units = pass.applyAsLong(lines);
      seconds[i] = (System.nanoTime() - start) / 1e9;
    }
    Arrays.sort(seconds);
    double median = seconds[ROUNDS / 2];
    return new Result(what, lines.size() / median, units / median);
  }

  private static String table(int lines, String djlVersion, List<Result> results) throws IOException {
    StringBuilder b = new StringBuilder();
    b.append("Corpus: ").append(lines).append(" WordNet glosses (Debian wordnet-base). JDK ")
        .append(System.getProperty("java.version")).append(", ").append(Runtime.getRuntime().availableProcessors())
        .append(" CPUs, ").append(cpuModel()).append(". DJL tokenizers ").append(djlVersion).append(". ")
        .append(LocalDate.now()).append(". Median of ").append(ROUNDS).append(" passes after ")
        .append(WARMUP_ROUNDS).append(" warm-up passes.\n\n");
    b.append("| what | sentences/s | tokens/s |\n|---|---:|---:|\n");
    for (Result r : results) {
      b.append(String.format("| %s | %,.0f | %s |%n", r.what(), r.sentencesPerSecond(),
          r.what().startsWith("BertMaskedLMPreprocessor") ? "—" : String.format("%,.0f", r.tokensPerSecond())));
    }
    return b.toString();
  }

  private static String cpuModel() throws IOException {
    Path cpuinfo = Path.of("/proc/cpuinfo");
    if (Files.isReadable(cpuinfo)) {
      for (String line : Files.readAllLines(cpuinfo)) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).strip();
        }
      }
    }
    return System.getProperty("os.arch");
  }
}
