package dev.bertgen.preprocessing;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** keras-hub's masked_lm_mask_generator_test.py for both algorithms, and their statistics. */
class MaskedLMMaskGeneratorTest {
  // "[UNK]", "[MASK]", "[RANDOM]", "[CLS]", "[SEP]", "do", "you", "like", "machine", "learning",
  // "welcome", "to", "keras"
  private static final int VOCABULARY_SIZE = 13;
  private static final int MASK = 1;

  private static MaskedLMMaskGenerator.Builder everything(MaskSelection selection) {
    return MaskedLMMaskGenerator.builder(VOCABULARY_SIZE, 1.0, MASK).maskSelectionLength(4)
        .maskTokenRate(1).randomTokenRate(0).selection(selection);
  }

  @ParameterizedTest
  @EnumSource(MaskSelection.class)
  void layerBasics(MaskSelection selection) {
    MaskedLMMaskGenerator masker = everything(selection).build();
    MaskedTokens[] out = masker.mask(new int[][] {{5, 3, 2, 4}, {1, 2, 3, 4}}, 1L, 1);
    assertThat(out[0].tokenIds()).isEqualTo(new int[] {1, 1, 1, 1});
    assertThat(out[1].tokenIds()).isEqualTo(new int[] {1, 1, 1, 1});
    assertThat(out[0].maskPositions()).isEqualTo(new int[] {0, 1, 2, 3});
    assertThat(out[1].maskPositions()).isEqualTo(new int[] {0, 1, 2, 3});
    assertThat(out[0].maskIds()).isEqualTo(new int[] {5, 3, 2, 4});
    assertThat(out[1].maskIds()).isEqualTo(new int[] {1, 2, 3, 4});
    assertThat(out[0].maskWeights()).isEqualTo(new float[] {1, 1, 1, 1});
  }

  @ParameterizedTest
  @EnumSource(MaskSelection.class)
  void maskRagged(MaskSelection selection) {
    MaskedTokens[] out = everything(selection).build().mask(new int[][] {{5, 3, 2}, {1, 2, 3, 4}}, 2L, 1);
    assertThat(out[0].tokenIds()).isEqualTo(new int[] {1, 1, 1});
    assertThat(out[1].tokenIds()).isEqualTo(new int[] {1, 1, 1, 1});
    assertThat(out[0].maskPositions()).isEqualTo(new int[] {0, 1, 2, 0});
    assertThat(out[1].maskPositions()).isEqualTo(new int[] {0, 1, 2, 3});
    assertThat(out[0].maskIds()).isEqualTo(new int[] {5, 3, 2, 0});
    assertThat(out[0].maskWeights()).isEqualTo(new float[] {1, 1, 1, 0});
  }

  @ParameterizedTest
  @EnumSource(MaskSelection.class)
  void unbatched(MaskSelection selection) {
    MaskedTokens out = everything(selection).build().mask(new int[] {5, 3, 2, 4}, 3L);
    assertThat(out.tokenIds()).isEqualTo(new int[] {1, 1, 1, 1});
    assertThat(out.maskPositions()).isEqualTo(new int[] {0, 1, 2, 3});
    assertThat(out.maskIds()).isEqualTo(new int[] {5, 3, 2, 4});
  }

  @ParameterizedTest
  @EnumSource(MaskSelection.class)
  void randomReplacement(MaskSelection selection) {
    MaskedLMMaskGenerator masker = MaskedLMMaskGenerator.builder(10_000, 1.0, MASK).maskSelectionLength(4)
        .maskTokenRate(0).randomTokenRate(1).selection(selection).build();
    MaskedTokens out = masker.mask(new int[] {5, 3, 2, 4}, 4L);
    assertThat(out.tokenIds()).isNotEqualTo(new int[] {1, 1, 1, 1});
    assertThat(out.tokenIds()).isNotEqualTo(new int[] {5, 3, 2, 4});
    assertThat(out.maskPositions()).isEqualTo(new int[] {0, 1, 2, 3});
    assertThat(out.maskIds()).isEqualTo(new int[] {5, 3, 2, 4});
  }

  @ParameterizedTest
  @EnumSource(MaskSelection.class)
  void numberOfMaskedPositionsCappedAtZero(MaskSelection selection) {
    MaskedLMMaskGenerator masker = MaskedLMMaskGenerator.builder(VOCABULARY_SIZE, 0.5, MASK)
        .maskSelectionLength(0).selection(selection).build();
    MaskedTokens[] out = masker.mask(new int[][] {{0, 1, 2}, {0, 1, 2, 3, 4, 5}, {0, 1, 2, 3, 4}}, 5L, 1);
    for (MaskedTokens m : out) {
      assertThat(m.maskPositions()).isEmpty();
      assertThat(m.maskedCount()).isEqualTo(0);
    }
    assertThat(out[1].tokenIds()).isEqualTo(new int[] {0, 1, 2, 3, 4, 5});
  }

  @Test
  void invalidMaskToken() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MaskedLMMaskGenerator.builder(VOCABULARY_SIZE, 0.5, VOCABULARY_SIZE).maskSelectionLength(5).build());
    assertThat(e).hasMessageThat().startsWith("Mask token id should be in range [0, vocabulary_size - 1]");
  }

  @Test
  void invalidRates() {
    assertThrows(IllegalArgumentException.class, () -> MaskedLMMaskGenerator.builder(10, 1.5, 1).build());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MaskedLMMaskGenerator.builder(10, 0.5, 1).maskTokenRate(0.8).randomTokenRate(0.3).build());
    assertThat(e).hasMessageThat().contains("at most 1");
  }

  @ParameterizedTest
  @EnumSource(MaskSelection.class)
  void unselectableTokens(MaskSelection selection) {
    int[] unselectable = {VOCABULARY_SIZE - 1, VOCABULARY_SIZE - 2};
    MaskedLMMaskGenerator masker = MaskedLMMaskGenerator.builder(VOCABULARY_SIZE, 1.0, MASK)
        .maskSelectionLength(5).unselectableTokenIds(unselectable).maskTokenRate(1).randomTokenRate(0)
        .selection(selection).build();
    MaskedTokens out = masker.mask(unselectable, 6L);
    assertThat(out.maskedCount()).isEqualTo(0);
    assertThat(out.tokenIds()).isEqualTo(unselectable);
  }

  @Test
  void withoutSelectionLengthOutputsAreNotPadded() {
    MaskedLMMaskGenerator masker = MaskedLMMaskGenerator.builder(VOCABULARY_SIZE, 1.0, MASK).build();
    MaskedTokens out = masker.mask(new int[] {5, 0, 6}, 7L); // 0 is unselectable by default
    assertThat(out.maskPositions()).isEqualTo(new int[] {0, 2});
    assertThat(out.maskIds()).isEqualTo(new int[] {5, 6});
  }

  @Test
  void exactCountChoosesCeilOfRateTimesSelectable() {
    MaskedLMMaskGenerator masker = MaskedLMMaskGenerator.builder(30522, 0.15, 103).maskSelectionLength(96)
        .unselectableTokenIds(0, 101, 102, 103).build();
    int[] ids = new int[64];
    Arrays.fill(ids, 2000);
    ids[0] = 101;
    ids[21] = 102;
    for (int seed = 0; seed < 200; seed++) {
      // 20 selectable: 0.15f * 20 = 3 exactly in float32, so 3 (not 4).
      MaskedTokens short20 = masker.mask(Arrays.copyOf(ids, 22), seed);
      assertThat(short20.maskedCount()).isEqualTo(3);
      // 62 selectable: ceil(9.3) = 10.
      int[] longer = ids.clone();
      longer[63] = 102;
      MaskedTokens m = masker.mask(longer, seed);
      assertThat(m.maskedCount()).isEqualTo(10);
      int[] used = Arrays.copyOf(m.maskPositions(), 10);
      assertThat(used).asList().isInOrder();
      assertThat(used).asList().containsNoDuplicates();
      assertThat(used).asList().containsNoneOf(0, 21, 63);
    }
    // At least one when the rate is above 0.
    assertThat(masker.mask(new int[] {101, 2000, 102}, 1L).maskedCount()).isEqualTo(1);
  }

  @Test
  void exactCountIsUniformAndReplacesEightyTenTen() {
    MaskedLMMaskGenerator masker = MaskedLMMaskGenerator.builder(1000, 0.25, 3).maskSelectionLength(8)
        .unselectableTokenIds(0).build();
    int[] ids = new int[20];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = 500 + i;
    }
    int[] hits = new int[20];
    int masked = 0;
    int random = 0;
    int kept = 0;
    int trials = 20_000;
    MaskedTokens[] out = masker.mask(repeat(ids, trials), 11L, 2);
    for (MaskedTokens m : out) {
      for (int k = 0; k < 5; k++) {
        int pos = m.maskPositions()[k];
        hits[pos]++;
        int t = m.tokenIds()[pos];
        if (t == 3) {
          masked++;
        } else if (t == ids[pos]) {
          kept++;
        } else {
          random++;
        }
      }
    }
    for (int h : hits) {
      assertThat((double) h / trials).isWithin(0.02).of(0.25); // 5 of 20 positions each time
    }
    double total = 5.0 * trials;
    assertThat(masked / total).isWithin(0.01).of(0.8);
    assertThat(random / total).isWithin(0.01).of(0.1);
    assertThat(kept / total).isWithin(0.01).of(0.1);
  }

  @Test
  void perTokenSelectsEachPositionWithTheRate() {
    MaskedLMMaskGenerator masker = MaskedLMMaskGenerator.builder(1000, 0.25, 3).maskSelectionLength(20)
        .selection(MaskSelection.PER_TOKEN).build();
    int[] ids = new int[20];
    Arrays.fill(ids, 7);
    int trials = 10_000;
    int[] counts = new int[21];
    for (MaskedTokens m : masker.mask(repeat(ids, trials), 12L, 1)) {
      counts[m.maskedCount()]++;
    }
    // Binomial(20, 0.25): the count varies (exact count would always be 5).
    assertThat((double) counts[5] / trials).isWithin(0.02).of(0.2023);
    assertThat((double) counts[2] / trials).isWithin(0.02).of(0.0669);
  }

  @Test
  void perTokenCapsAtSelectionLength() {
    MaskedLMMaskGenerator masker = MaskedLMMaskGenerator.builder(1000, 1.0, 3).maskSelectionLength(3)
        .maskTokenRate(1).randomTokenRate(0).selection(MaskSelection.PER_TOKEN).build();
    MaskedTokens m = masker.mask(new int[] {10, 11, 12, 13, 14, 15}, 13L);
    assertThat(m.maskedCount()).isEqualTo(3);
    assertThat(m.maskPositions()).asList().isInStrictOrder();
    int threes = 0;
    for (int t : m.tokenIds()) {
      threes += t == 3 ? 1 : 0;
    }
    assertThat(threes).isEqualTo(3);
  }

  @Test
  void seededAndIndependentOfThreads() {
    MaskedLMMaskGenerator masker = MaskedLMMaskGenerator.builder(30522, 0.15, 103).maskSelectionLength(20).build();
    int[][] batch = new int[300][];
    for (int b = 0; b < batch.length; b++) {
      batch[b] = new int[32 + b % 40];
      for (int i = 0; i < batch[b].length; i++) {
        batch[b][i] = 1000 + (b * 31 + i * 7) % 20000;
      }
    }
    MaskedTokens[] one = masker.mask(batch, 99L, 1);
    MaskedTokens[] four = masker.mask(batch, 99L, 4);
    assertThat(four).isEqualTo(one);
    assertThat(masker.mask(batch, 99L, 1)).isEqualTo(one);
    assertThat(masker.mask(batch, 100L, 1)).isNotEqualTo(one);
  }

  private static int[][] repeat(int[] row, int times) {
    int[][] out = new int[times][];
    Arrays.fill(out, row);
    return out;
  }
}
