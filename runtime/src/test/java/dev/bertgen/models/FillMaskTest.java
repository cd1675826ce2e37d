package dev.bertgen.models;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.bertgen.preprocessing.MaskedLMInputs;
import java.util.List;
import org.junit.jupiter.api.Test;

/** fillMask: one or several [MASK] tokens, top-k candidates with softmax probabilities. */
class FillMaskTest {
  private final BertMaskedLM mlm = TinyTextModels.model(9);

  private int id(String token) {
    return TinyTextModels.VOCABULARY.indexOf(token);
  }

  @Test
  void severalMasksGetTheSoftmaxOfTheirLogits() {
    List<MaskPrediction> p = mlm.fillMask("the [MASK] sat on the [MASK] .", 4);
    assertThat(p).hasSize(2);
    assertThat(p.get(0).position()).isEqualTo(2);
    assertThat(p.get(1).position()).isEqualTo(6);
    // The same sequence by hand: [CLS] the [MASK] sat on the [MASK] . [SEP] [PAD]...
    int[] ids = {id("[CLS]"), id("the"), id("[MASK]"), id("sat"), id("on"), id("the"), id("[MASK]"), id("."),
        id("[SEP]"), 0, 0, 0};
    int[] mask = {1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0};
    float[][] logits = mlm.predict(new MaskedLMInputs(new int[][] {ids}, new int[][] {mask},
        new int[][] {{2, 6}}, new int[1][12]))[0];
    for (int j = 0; j < 2; j++) {
      double max = Double.NEGATIVE_INFINITY;
      for (float l : logits[j]) {
        max = Math.max(max, l);
      }
      double z = 0;
      for (float l : logits[j]) {
        z += Math.exp(l - max);
      }
      List<FillMaskCandidate> c = p.get(j).candidates();
      assertThat(c).hasSize(4);
      for (int k = 0; k < c.size(); k++) {
        FillMaskCandidate cand = c.get(k);
        assertThat(cand.token()).isEqualTo(TinyTextModels.VOCABULARY.get(cand.id()));
        assertThat(cand.probability()).isWithin(1e-6).of(Math.exp(logits[j][cand.id()] - max) / z);
        if (k > 0) {
          assertThat(cand.probability()).isAtMost(c.get(k - 1).probability());
        }
      }
      // Nothing left out is more probable than the last candidate.
      for (int v = 0; v < logits[j].length; v++) {
        final int token = v;
        if (c.stream().noneMatch(x -> x.id() == token)) {
          assertThat((double) logits[j][v]).isAtMost((double) logits[j][c.get(3).id()]);
        }
      }
    }
  }

  @Test
  void trailingPaddingCutOffGivesTheSameLogits() {
    // 9 real tokens padded to 16 (the model's longest), cut to 12
    int[] ids = new int[16];
    int[] mask = new int[16];
    int[] real = {id("[CLS]"), id("the"), id("[MASK]"), id("sat"), id("on"), id("the"), id("[MASK]"), id("."),
        id("[SEP]")};
    System.arraycopy(real, 0, ids, 0, real.length);
    java.util.Arrays.fill(mask, 0, real.length, 1);
    MaskedLMInputs padded = new MaskedLMInputs(new int[][] {ids}, new int[][] {mask}, new int[][] {{2, 6}},
        new int[1][16]);
    MaskedLMInputs cut = padded.withoutTrailingPadding(4);
    assertThat(cut.sequenceLength()).isEqualTo(12);
    assertThat(padded.withoutTrailingPadding(16)).isSameInstanceAs(padded);
    float[][] full = mlm.predict(padded)[0];
    float[][] shorter = mlm.predict(cut)[0];
    for (int j = 0; j < 2; j++) {
      for (int v = 0; v < full[j].length; v++) {
        assertThat(shorter[j][v]).isWithin(1e-5f).of(full[j][v]);
      }
    }
  }

  @Test
  void topKOfTheWholeVocabularySumsToOne() {
    List<FillMaskCandidate> all = mlm.fillMask("[MASK]", 1000).get(0).candidates();
    assertThat(all).hasSize(TinyTextModels.VOCABULARY.size());
    assertThat(all.stream().mapToDouble(FillMaskCandidate::probability).sum()).isWithin(1e-9).of(1.0);
  }

  @Test
  void batchesKeepTextOrder() {
    List<List<MaskPrediction>> p = mlm.fillMask(List.of("a [MASK] .", "the cat [MASK] on the [MASK] ."), 2);
    assertThat(p).hasSize(2);
    assertThat(p.get(0)).hasSize(1);
    assertThat(p.get(1)).hasSize(2);
    assertThat(p.get(0)).isEqualTo(mlm.fillMask("a [MASK] .", 2));
    assertThat(p.get(1)).isEqualTo(mlm.fillMask("the cat [MASK] on the [MASK] .", 2));
  }

  @Test
  void errorsNameTheTextAndTheFix() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> mlm.fillMask("the cat sat on the mat .", 3));
    assertThat(e).hasMessageThat().contains("text 0 (\"the cat sat on the mat .\") has no [MASK] token");
    e = assertThrows(IllegalArgumentException.class, () -> mlm.fillMask("", 3));
    assertThat(e).hasMessageThat().contains("has no [MASK] token");
    e = assertThrows(IllegalArgumentException.class, () -> mlm.fillMask(List.of("a [MASK] .",
        "the cat sat on the mat and the dog ran in the park [MASK] ."), 3));
    assertThat(e).hasMessageThat().contains("text 1 ");
    assertThat(e).hasMessageThat().contains("only 0 fall within the sequence length 12");
    e = assertThrows(IllegalArgumentException.class, () -> mlm.fillMask("a [MASK]", 0));
    assertThat(e).hasMessageThat().contains("topK must be at least 1");
  }
}
