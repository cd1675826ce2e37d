package dev.bertgen.preprocessing;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.bertgen.dsl.Truncation;
import org.junit.jupiter.api.Test;

/**
 * keras-hub's multi_segment_packer_test.py. String tokens of the upstream tests are written as ids:
 * [CLS]=101, [SEP]=102, [PAD]=0, a b c = 1 2 3, x y z = 24 25 26, {@code <s>}=900, {@code </s>}=902,
 * {@code <pad>}=901.
 */
class MultiSegmentPackerTest {
  private static final int CLS = 101;
  private static final int SEP = 102;
  private static final int PAD = 0;
  private static final int[] ABC = {1, 2, 3};
  private static final int[] XYZ = {24, 25, 26};

  private static MultiSegmentPacker.Builder cls(int length) {
    return MultiSegmentPacker.builder(length).startValue(CLS).endValue(SEP);
  }

  private static void assertPacked(PackedSegments p, int[] tokens, int[] segments) {
    assertThat(p.tokenIds()).isEqualTo(tokens);
    assertThat(p.segmentIds()).isEqualTo(segments);
  }

  @Test
  void layerBasics() {
    MultiSegmentPacker packer = MultiSegmentPacker.builder(7).startValue(1).endValue(2).build();
    assertPacked(packer.pack(new int[] {10, 11, 12}, new int[] {20, 21, 22}),
        new int[] {1, 10, 11, 2, 20, 21, 2}, new int[] {0, 0, 0, 0, 1, 1, 1});
  }

  @Test
  void trimSingleInputInts() {
    int[] input = {3, 4, 5, 6, 7, 8, 9};
    for (PaddingSide side : PaddingSide.values()) {
      MultiSegmentPacker packer = MultiSegmentPacker.builder(8).startValue(1).endValue(2).paddingSide(side).build();
      assertPacked(packer.pack(input), new int[] {1, 3, 4, 5, 6, 7, 8, 2}, new int[8]);
    }
  }

  @Test
  void trimSingleInputStrings() {
    int[] abcd = {1, 2, 3, 4};
    for (PaddingSide side : PaddingSide.values()) {
      assertPacked(cls(5).paddingSide(side).build().pack(abcd), new int[] {CLS, 1, 2, 3, SEP}, new int[5]);
    }
  }

  @Test
  void trimMultipleInputsRoundRobin() {
    for (PaddingSide side : PaddingSide.values()) {
      assertPacked(cls(7).truncate(Truncation.ROUND_ROBIN).paddingSide(side).build().pack(ABC, XYZ),
          new int[] {CLS, 1, 2, SEP, 24, 25, SEP}, new int[] {0, 0, 0, 0, 1, 1, 1});
    }
  }

  @Test
  void trimMultipleInputsWaterfall() {
    for (PaddingSide side : PaddingSide.values()) {
      assertPacked(cls(7).truncate(Truncation.WATERFALL).paddingSide(side).build().pack(ABC, XYZ),
          new int[] {CLS, 1, 2, 3, SEP, 24, SEP}, new int[] {0, 0, 0, 0, 0, 1, 1});
    }
  }

  @Test
  void trimBatchedInputsWaterfall() {
    MultiSegmentPacker packer = cls(7).truncate(Truncation.WATERFALL).build();
    assertPacked(packer.pack(new int[] {1, 2}, XYZ), new int[] {CLS, 1, 2, SEP, 24, 25, SEP},
        new int[] {0, 0, 0, 0, 1, 1, 1});
  }

  @Test
  void padInputs() {
    int[] a = {1};
    int[] x = {24};
    assertPacked(cls(6).padValue(PAD).build().pack(a, x), new int[] {CLS, 1, SEP, 24, SEP, PAD},
        new int[] {0, 0, 0, 1, 1, 0});
    assertPacked(cls(6).padValue(PAD).paddingSide(PaddingSide.LEFT).build().pack(a, x),
        new int[] {PAD, CLS, 1, SEP, 24, SEP}, new int[] {0, 0, 0, 0, 1, 1});
  }

  @Test
  void padBatchedInputs() {
    MultiSegmentPacker right = cls(7).padValue(PAD).build();
    MultiSegmentPacker left = cls(7).padValue(PAD).paddingSide(PaddingSide.LEFT).build();
    assertPacked(right.pack(new int[] {1}, new int[] {24}), new int[] {CLS, 1, SEP, 24, SEP, PAD, PAD},
        new int[] {0, 0, 0, 1, 1, 0, 0});
    assertPacked(right.pack(new int[] {1}, new int[] {24, 25}), new int[] {CLS, 1, SEP, 24, 25, SEP, PAD},
        new int[] {0, 0, 0, 1, 1, 1, 0});
    assertPacked(left.pack(new int[] {1}, new int[] {24}), new int[] {PAD, PAD, CLS, 1, SEP, 24, SEP},
        new int[] {0, 0, 0, 0, 0, 1, 1});
    assertPacked(left.pack(new int[] {1}, new int[] {24, 25}), new int[] {PAD, CLS, 1, SEP, 24, 25, SEP},
        new int[] {0, 0, 0, 0, 1, 1, 1});
  }

  @Test
  void listSpecialTokens() {
    int s = 900;
    int end = 902;
    int pad = 901;
    MultiSegmentPacker right = MultiSegmentPacker.builder(8).startValue(s).endValue(end).sepValue(end, end)
        .padValue(pad).build();
    assertPacked(right.pack(new int[] {1, 2}, new int[] {24, 25}), new int[] {s, 1, 2, end, end, 24, 25, end},
        new int[] {0, 0, 0, 0, 0, 1, 1, 1});
    assertPacked(right.pack(new int[] {1, 2}, new int[] {24}), new int[] {s, 1, 2, end, end, 24, end, pad},
        new int[] {0, 0, 0, 0, 0, 1, 1, 0});
    MultiSegmentPacker left = MultiSegmentPacker.builder(8).startValue(s).endValue(end).sepValue(end, end)
        .padValue(pad).paddingSide(PaddingSide.LEFT).build();
    assertPacked(left.pack(new int[] {1, 2}, new int[] {24}), new int[] {pad, s, 1, 2, end, end, 24, end},
        new int[] {0, 0, 0, 0, 0, 0, 1, 1});
  }

  @Test
  void docExamples() {
    int[] seq1 = {1, 2, 3, 4};
    int[] seq2 = {11, 12, 13, 14};
    assertPacked(MultiSegmentPacker.builder(8).startValue(101).endValue(102).build().pack(seq1, seq2),
        new int[] {101, 1, 2, 3, 102, 11, 12, 102}, new int[] {0, 0, 0, 0, 0, 1, 1, 1});
    assertPacked(MultiSegmentPacker.builder(8).startValue(101).endValue(102).sepValue(102, 102).build()
        .pack(seq1, seq2), new int[] {101, 1, 2, 102, 102, 11, 12, 102}, new int[] {0, 0, 0, 0, 0, 1, 1, 1});
  }

  @Test
  void sequenceLengthOverride() {
    MultiSegmentPacker packer = MultiSegmentPacker.builder(8).startValue(101).endValue(102).sepValue().build();
    PackedSegments p = packer.pack(12, true, true, new int[] {1, 2, 3, 4, 5}, new int[] {6, 7, 8, 9, 10});
    assertThat(p.tokenIds()).isEqualTo(new int[] {101, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 102});
    assertThat(packer.withSequenceLength(12).pack(new int[] {1}).tokenIds()).hasLength(12);
  }

  @Test
  void noStartToken() {
    MultiSegmentPacker packer = MultiSegmentPacker.builder(7).startValue(101).endValue(102).sepValue().build();
    assertPacked(packer.pack(7, false, true, new int[] {1, 2, 3, 4}, new int[] {5, 6, 7, 8}),
        new int[] {1, 2, 3, 5, 6, 7, 102}, new int[] {0, 0, 0, 1, 1, 1, 1});
  }

  @Test
  void noEndToken() {
    MultiSegmentPacker packer = MultiSegmentPacker.builder(7).startValue(101).endValue(102).sepValue().build();
    assertPacked(packer.pack(7, true, false, new int[] {1, 2, 3, 4}, new int[] {5, 6, 7, 8}),
        new int[] {101, 1, 2, 3, 5, 6, 7}, new int[] {0, 0, 0, 0, 1, 1, 1});
  }

  @Test
  void roundRobinGivesSegmentZeroTheOddTokenAndSkipsExhaustedSegments() {
    assertThat(MultiSegmentPacker.roundRobin(new int[] {5, 5}, 5)).isEqualTo(new int[] {3, 2});
    assertThat(MultiSegmentPacker.roundRobin(new int[] {1, 9}, 6)).isEqualTo(new int[] {1, 5});
    assertThat(MultiSegmentPacker.roundRobin(new int[] {4, 1, 4}, 7)).isEqualTo(new int[] {3, 1, 3});
    assertThat(MultiSegmentPacker.roundRobin(new int[] {4, 1, 4}, 8)).isEqualTo(new int[] {4, 1, 3});
    assertThat(MultiSegmentPacker.roundRobin(new int[] {2, 3}, 0)).isEqualTo(new int[] {0, 0});
    assertThat(MultiSegmentPacker.waterfall(new int[] {4, 1, 4}, 6)).isEqualTo(new int[] {4, 1, 1});
  }

  @Test
  void roundRobinMatchesOneTokenAtATime() {
    java.util.SplittableRandom r = new java.util.SplittableRandom(7);
    for (int trial = 0; trial < 2000; trial++) {
      int n = 1 + r.nextInt(4);
      int[] lengths = new int[n];
      for (int s = 0; s < n; s++) {
        lengths[s] = r.nextInt(12);
      }
      int budget = r.nextInt(30) - 3;
      int[] slow = new int[n];
      for (int left = Math.max(0, budget); left > 0; ) {
        boolean any = false;
        for (int s = 0; s < n && left > 0; s++) {
          if (slow[s] < lengths[s]) {
            slow[s]++;
            left--;
            any = true;
          }
        }
        if (!any) {
          break;
        }
      }
      assertThat(MultiSegmentPacker.roundRobin(lengths, budget)).isEqualTo(slow);
    }
  }

  @Test
  void budgetBelowSpecialTokensTruncatesTheLayout() {
    MultiSegmentPacker packer = cls(2).build();
    assertThat(packer.pack(ABC).tokenIds()).isEqualTo(new int[] {CLS, SEP});
    assertThat(cls(1).build().pack(ABC).tokenIds()).isEqualTo(new int[] {CLS});
    assertThat(cls(1).paddingSide(PaddingSide.LEFT).build().pack(ABC).tokenIds()).isEqualTo(new int[] {SEP});
  }

  @Test
  void errors() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> cls(7).truncate(Truncation.INHERIT).build());
    assertThat(e).hasMessageThat().contains("Only ROUND_ROBIN and WATERFALL");
    assertThrows(IllegalArgumentException.class, () -> cls(0).build());
    assertThrows(IllegalArgumentException.class, () -> cls(4).build().pack());
  }
}
