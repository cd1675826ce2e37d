package dev.bertgen.models;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.bertgen.dsl.Truncation;
import dev.bertgen.preprocessing.MaskSelection;
import dev.bertgen.preprocessing.MaskedLMBatch;
import dev.bertgen.preprocessing.MaskedLMInputs;
import dev.bertgen.preprocessing.PackedInputs;
import dev.bertgen.spec.PreprocessorConfig;
import dev.bertgen.spec.TokenizerConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** keras-hub's bert_masked_lm_preprocessor_test.py, the MLM task's derived rows, and the API. */
class BertMaskedLMPreprocessorTest {
  private static final PreprocessorConfig EVERYTHING = new PreprocessorConfig(12, Truncation.ROUND_ROBIN,
      1.0, 4, 1.0, 0.0);

  private static BertMaskedLMPreprocessor preprocessor(PreprocessorConfig config) {
    return new BertMaskedLMPreprocessor(BertTokenizerTest.tokenizer(false), config);
  }

  @Test
  void preprocessorBasics() {
    MaskedLMBatch out = preprocessor(EVERYTHING).call(List.of("the quick brown fox"));
    MaskedLMInputs x = out.inputs();
    assertThat(x.tokenIds()).isEqualTo(new int[][] {{2, 4, 4, 4, 4, 3, 0, 0, 0, 0, 0, 0}});
    assertThat(x.segmentIds()).isEqualTo(new int[][] {new int[12]});
    assertThat(x.paddingMask()).isEqualTo(new int[][] {{1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0}});
    assertThat(x.maskPositions()).isEqualTo(new int[][] {{1, 2, 3, 4}});
    assertThat(out.labels()).isEqualTo(new int[][] {{9, 10, 11, 12}});
    assertThat(out.sampleWeights()).isEqualTo(new float[][] {{1, 1, 1, 1}});
  }

  @Test
  void noMaskingZeroRate() {
    MaskedLMBatch out = preprocessor(EVERYTHING.withMaskSelectionRate(0).withMaskTokenRate(0.8)
        .withRandomTokenRate(0.1)).call(List.of("the quick brown fox"));
    assertThat(out.inputs().tokenIds()).isEqualTo(new int[][] {{2, 9, 10, 11, 12, 3, 0, 0, 0, 0, 0, 0}});
    assertThat(out.inputs().paddingMask()).isEqualTo(new int[][] {{1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0}});
    assertThat(out.inputs().segmentIds()).isEqualTo(new int[][] {new int[12]});
    assertThat(out.inputs().maskPositions()).isEqualTo(new int[][] {{0, 0, 0, 0}});
    assertThat(out.labels()).isEqualTo(new int[][] {{0, 0, 0, 0}});
    assertThat(out.sampleWeights()).isEqualTo(new float[][] {{0, 0, 0, 0}});
  }

  @Test
  void rowSeedsMaskEachExampleAloneWhateverItsBatch() {
    // half the tokens selected, 80 % [MASK], 10 % random: masks that differ from seed to seed
    BertMaskedLMPreprocessor p = preprocessor(EVERYTHING.withMaskSelectionRate(0.5).withMaskTokenRate(0.8)
        .withRandomTokenRate(0.1));
    List<String> texts = List.of("the quick brown fox", "the fox", "quick quick brown the fox");
    long[] seeds = {11, 22, 33};
    MaskedLMBatch all = p.call(texts, seeds);
    for (int i = 0; i < texts.size(); i++) {
      MaskedLMBatch alone = p.call(List.of(texts.get(i)), new long[] {seeds[i]});
      assertThat(all.select(i)).isEqualTo(alone);
    }
    // reversed order, same seeds per example: the same rows
    MaskedLMBatch reversed = p.call(List.of(texts.get(2), texts.get(1), texts.get(0)), new long[] {33, 22, 11});
    assertThat(reversed.select(2)).isEqualTo(all.select(0));
    assertThat(p.call(texts, new long[] {12, 22, 33})).isNotEqualTo(all);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.call(texts, new long[] {1}));
    assertThat(e).hasMessageThat().contains("rowSeeds has 1 seeds for 3 texts");
  }

  @Test
  void sequenceLength17() {
    MaskedLMBatch out = preprocessor(EVERYTHING).withSequenceLength(17).call("the quick brown fox");
    assertThat(out.inputs().sequenceLength()).isEqualTo(17);
    assertThat(out.inputs().tokenIds()[0]).hasLength(17);
    assertThat(out.inputs().maskPositions()).isEqualTo(new int[][] {{1, 2, 3, 4}});
  }

  @Test
  void maskedLmTaskRows() {
    List<String> vocab = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "quick", "brown", "fox", ".");
    BertTokenizer tokenizer = new BertTokenizer(vocab, TokenizerConfig.kerasHub(false, null));
    BertMaskedLMPreprocessor p = new BertMaskedLMPreprocessor(tokenizer,
        new PreprocessorConfig(5, Truncation.ROUND_ROBIN, 1.0, 5, 1.0, 0.0));
    MaskedLMBatch out = p.call(List.of("the quick brown fox.", "the slow brown fox."));
    assertThat(p.pack(List.of("the quick brown fox.")).tokenIds()).isEqualTo(new int[][] {{2, 5, 6, 7, 3}});
    assertThat(out.inputs().tokenIds()).isEqualTo(new int[][] {{2, 4, 4, 4, 3}, {2, 4, 4, 4, 3}});
    assertThat(out.inputs().maskPositions()).isEqualTo(new int[][] {{1, 2, 3, 0, 0}, {1, 2, 3, 0, 0}});
    // "slow" is not in the vocabulary: [UNK] (1) is masked like any other token.
    assertThat(out.labels()).isEqualTo(new int[][] {{5, 6, 7, 0, 0}, {5, 1, 7, 0, 0}});
    assertThat(out.sampleWeights()).isEqualTo(new float[][] {{1, 1, 1, 0, 0}, {1, 1, 1, 0, 0}});
  }

  @Test
  void specialTokensAreNeverMasked() {
    BertMaskedLMPreprocessor p = new BertMaskedLMPreprocessor(
        BertTokenizerTest.tokenizer(false).withSpecialTokensInStrings(true),
        new PreprocessorConfig(10, Truncation.ROUND_ROBIN, 1.0, 10, 1.0, 0.0));
    MaskedLMBatch out = p.call(List.of("the [MASK] fox [PAD]"));
    // [CLS] the [MASK] fox [PAD] [SEP] [PAD]...: only "the" and "fox" can be chosen.
    assertThat(out.inputs().maskPositions()[0]).isEqualTo(new int[] {1, 3, 0, 0, 0, 0, 0, 0, 0, 0});
    // padding_mask is computed before masking, from [PAD] ids, also the one written in the text.
    assertThat(out.inputs().paddingMask()[0]).isEqualTo(new int[] {1, 1, 1, 1, 0, 1, 0, 0, 0, 0});
  }

  @Test
  void segmentPairs() {
    PreprocessorConfig config = new PreprocessorConfig(8, Truncation.ROUND_ROBIN, 0.0, 2, 0.8, 0.1);
    BertMaskedLMPreprocessor p = preprocessor(config);
    MaskedLMBatch out = p.call(List.of("the quick brown", "fox"), List.of("the fox", "the quick brown fox"));
    assertThat(out.inputs().tokenIds()).isEqualTo(new int[][] {{2, 9, 10, 11, 3, 9, 12, 3},
        {2, 12, 3, 9, 10, 11, 12, 3}});
    assertThat(out.inputs().segmentIds()).isEqualTo(new int[][] {{0, 0, 0, 0, 0, 1, 1, 1}, {0, 0, 0, 1, 1, 1, 1, 1}});
    PreprocessorConfig waterfall = config.withSequenceLength(7).withTruncate(Truncation.WATERFALL);
    assertThat(preprocessor(waterfall).pack(List.of("the quick brown fox"), List.of("the fox")).tokenIds())
        .isEqualTo(new int[][] {{2, 9, 10, 11, 12, 3, 3}});
    assertThat(preprocessor(waterfall.withTruncate(Truncation.ROUND_ROBIN))
        .pack(List.of("the quick brown fox"), List.of("the fox")).tokenIds())
        .isEqualTo(new int[][] {{2, 9, 10, 3, 9, 12, 3}});
  }

  @Test
  void segmentBatchSizesMustAgree() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> preprocessor(EVERYTHING).call(List.of("a", "b"), List.of("c")));
    assertThat(e).hasMessageThat().contains("different batch sizes");
    assertThrows(IllegalArgumentException.class, () -> preprocessor(EVERYTHING).callSegments(List.of()));
  }

  @Test
  void dynamicMaskingIsSeededAndIndependentOfThreads() {
    BertMaskedLMPreprocessor p = new BertMaskedLMPreprocessor(BertTokenizerTest.tokenizer(true),
        PreprocessorConfig.kerasHubDefaults().withSequenceLength(24).withMaskSelectionLength(6), 42L);
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      texts.add("the quick brown fox ".repeat(1 + i % 5) + "the fox");
    }
    MaskedLMBatch one = p.withParallelism(1).call(texts, 7L);
    MaskedLMBatch many = p.withParallelism(4).call(texts, 7L);
    assertThat(many).isEqualTo(one);
    assertThat(p.call(texts, 8L)).isNotEqualTo(one);
    // Successive calls draw new masks, and the same sequence of calls repeats from the seed.
    MaskedLMBatch first = p.call(texts);
    MaskedLMBatch second = p.call(texts);
    assertThat(second).isNotEqualTo(first);
    BertMaskedLMPreprocessor again = p.withSeed(42L);
    assertThat(again.call(texts)).isEqualTo(first);
    assertThat(again.call(texts)).isEqualTo(second);
  }

  @Test
  void bothMaskAlgorithms() {
    PreprocessorConfig config = PreprocessorConfig.kerasHubDefaults().withSequenceLength(40).withMaskSelectionLength(40);
    BertMaskedLMPreprocessor exact = preprocessor(config);
    BertMaskedLMPreprocessor perToken = exact.withMaskSelection(MaskSelection.PER_TOKEN);
    String text = "the quick brown fox ".repeat(5); // 20 tokens, 3 masked exactly (ceil(0.15 * 20))
    boolean perTokenVaries = false;
    for (long seed = 0; seed < 50; seed++) {
      assertThat(countWeights(exact.call(List.of(text), seed))).isEqualTo(3);
      perTokenVaries |= countWeights(perToken.call(List.of(text), seed)) != 3;
    }
    assertThat(perTokenVaries).isTrue();
  }

  private static int countWeights(MaskedLMBatch b) {
    int n = 0;
    for (float w : b.sampleWeights()[0]) {
      n += w > 0 ? 1 : 0;
    }
    return n;
  }

  @Test
  void packWithoutMasking() {
    BertMaskedLMPreprocessor p = new BertMaskedLMPreprocessor(
        BertTokenizerTest.tokenizer(true).withSpecialTokensInStrings(true),
        PreprocessorConfig.kerasHubDefaults().withSequenceLength(8));
    PackedInputs packed = p.pack(List.of("The [MASK] fox", "fox"));
    assertThat(packed.tokenIds()).isEqualTo(new int[][] {{2, 9, 4, 12, 3, 0, 0, 0}, {2, 12, 3, 0, 0, 0, 0, 0}});
    assertThat(packed.paddingMask()[1]).isEqualTo(new int[] {1, 1, 1, 0, 0, 0, 0, 0});
    assertThat(packed.positionsOf(4)).isEqualTo(new int[][] {{2}, {0}});
    MaskedLMInputs x = packed.withMaskPositions(packed.positionsOf(4));
    assertThat(x.maskSlots()).isEqualTo(1);
  }

  @Test
  void maskedLmInputsValidatesShapes() {
    int[][] ids = {{1, 2, 3}, {4, 5, 6}};
    int[][] ok = {{1, 1, 1}, {1, 1, 0}};
    int[][] positions = {{1}, {2}};
    new MaskedLMInputs(ids, ok, positions, ok);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new MaskedLMInputs(ids, new int[][] {{1, 1, 1}}, positions, ok));
    assertThat(e).hasMessageThat().contains("paddingMask has 1 rows but tokenIds has 2");
    e = assertThrows(IllegalArgumentException.class,
        () -> new MaskedLMInputs(ids, ok, positions, new int[][] {{0, 0}, {0, 0}}));
    assertThat(e).hasMessageThat().contains("segmentIds[0] has 2 columns but tokenIds has 3");
    e = assertThrows(IllegalArgumentException.class,
        () -> new MaskedLMInputs(new int[][] {{1, 2, 3}, {4}}, ok, positions, ok));
    assertThat(e).hasMessageThat().contains("tokenIds[1] has 1 columns but row 0 has 3");
    e = assertThrows(IllegalArgumentException.class,
        () -> new MaskedLMInputs(ids, ok, new int[][] {{1}, {3}}, ok));
    assertThat(e).hasMessageThat().contains("maskPositions[1][0] is 3, outside the sequence [0, 3)");
    e = assertThrows(IllegalArgumentException.class,
        () -> new MaskedLMInputs(ids, ok, new int[][] {{1}, {1, 2}}, ok));
    assertThat(e).hasMessageThat().contains("maskPositions[1] has 2 columns");
    e = assertThrows(IllegalArgumentException.class,
        () -> new MaskedLMBatch(new MaskedLMInputs(ids, ok, positions, ok), new int[][] {{1}, {2, 3}},
            new float[][] {{1}, {1}}));
    assertThat(e).hasMessageThat().contains("row 1: labels has 2");
  }
}
