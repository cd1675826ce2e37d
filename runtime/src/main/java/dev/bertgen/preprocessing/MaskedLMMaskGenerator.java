package dev.bertgen.preprocessing;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * keras-hub's {@code MaskedLMMaskGenerator}: chooses positions of a token sequence for masked
 * language modeling and replaces them, 80/10/10 by default ([MASK] / random id / unchanged).
 * Positions holding an unselectable id (for BERT: [CLS], [SEP], [PAD], [MASK]) are never chosen.
 *
 * <p>Two algorithms, see {@link MaskSelection}; {@link MaskSelection#EXACT_COUNT} (what keras-hub's
 * {@code fit} uses) is the default. Randomness comes from a {@link SplittableRandom}, so a seed
 * gives the same masks on every run and with any number of threads.
 *
 * <pre>{@code
 * MaskedLMMaskGenerator masker = MaskedLMMaskGenerator.builder(30522, 0.15, 103)
 *     .maskSelectionLength(96).unselectableTokenIds(0, 101, 102, 103).build();
 * MaskedTokens m = masker.mask(tokenIds, 42L);
 * }</pre>
 */
public final class MaskedLMMaskGenerator {
  private final int vocabularySize;
  private final double maskSelectionRate;
  private final int maskTokenId;
  private final Integer maskSelectionLength;
  private final int[] unselectableTokenIds;
  private final boolean[] unselectable;
  private final double maskTokenRate;
  private final double randomTokenRate;
  private final MaskSelection selection;

  /**
   * @param maskSelectionLength the number of mask slots the outputs are padded to and the most
   *     positions chosen; {@code null} for no cap and unpadded outputs
   * @param unselectableTokenIds ids never chosen (keras-hub's default is {@code [0]})
   * @throws IllegalArgumentException when the mask token id is not below the vocabulary size, a rate
   *     is outside [0, 1], or the mask and random rates add up to more than 1
   */
  public MaskedLMMaskGenerator(int vocabularySize, double maskSelectionRate, int maskTokenId,
      Integer maskSelectionLength, int[] unselectableTokenIds, double maskTokenRate, double randomTokenRate,
      MaskSelection selection) {
    if (vocabularySize < 1) {
      throw new IllegalArgumentException("vocabularySize is " + vocabularySize + "; it must be at least 1");
    }
    if (maskTokenId < 0 || maskTokenId >= vocabularySize) {
      throw new IllegalArgumentException("Mask token id should be in range [0, vocabulary_size - 1], but "
          + "received mask_token_id=" + maskTokenId + " (vocabulary_size=" + vocabularySize + ")");
    }
    checkRate("maskSelectionRate", maskSelectionRate);
    checkRate("maskTokenRate", maskTokenRate);
    checkRate("randomTokenRate", randomTokenRate);
    if (maskTokenRate + randomTokenRate > 1.0) {
      throw new IllegalArgumentException("maskTokenRate + randomTokenRate is " + (maskTokenRate + randomTokenRate)
          + "; they are shares of the chosen positions and must add up to at most 1");
    }
    if (maskSelectionLength != null && maskSelectionLength < 0) {
      throw new IllegalArgumentException("maskSelectionLength is " + maskSelectionLength + "; use null for no "
          + "cap or a count of 0 or more");
    }
    this.vocabularySize = vocabularySize;
    this.maskSelectionRate = maskSelectionRate;
    this.maskTokenId = maskTokenId;
    this.maskSelectionLength = maskSelectionLength;
    this.unselectableTokenIds = Objects.requireNonNull(unselectableTokenIds, "unselectableTokenIds").clone();
    int max = 0;
    for (int id : this.unselectableTokenIds) {
      if (id < 0) {
        throw new IllegalArgumentException("unselectable token id " + id + " is negative");
      }
      max = Math.max(max, id);
    }
    this.unselectable = new boolean[max + 1];
    for (int id : this.unselectableTokenIds) {
      unselectable[id] = true;
    }
    this.maskTokenRate = maskTokenRate;
    this.randomTokenRate = randomTokenRate;
    this.selection = Objects.requireNonNull(selection, "selection");
  }

  private static void checkRate(String name, double value) {
    if (!(value >= 0.0 && value <= 1.0)) {
      throw new IllegalArgumentException(name + " is " + value + "; it must be in [0, 1]");
    }
  }

  /**
   * A builder with keras-hub's defaults: no selection cap, unselectable {@code [0]}, mask rate 0.8,
   * random rate 0.1, {@link MaskSelection#EXACT_COUNT}.
   */
  public static Builder builder(int vocabularySize, double maskSelectionRate, int maskTokenId) {
    return new Builder(vocabularySize, maskSelectionRate, maskTokenId);
  }

  public MaskSelection selection() {
    return selection;
  }

  /** The number of mask slots, or {@code null} for unpadded outputs. */
  public Integer maskSelectionLength() {
    return maskSelectionLength;
  }

  /** Masks one sequence with randomness from {@code seed}. */
  public MaskedTokens mask(int[] tokenIds, long seed) {
    return mask(tokenIds, new SplittableRandom(seed));
  }

  /** Masks one sequence, drawing from {@code random}. */
  public MaskedTokens mask(int[] tokenIds, SplittableRandom random) {
    Objects.requireNonNull(tokenIds, "tokenIds");
    Objects.requireNonNull(random, "random");
    int n = tokenIds.length;
    int[] selectable = new int[n];
    int count = 0;
    for (int i = 0; i < n; i++) {
      int id = tokenIds[i];
      if (id < 0 || id >= unselectable.length || !unselectable[id]) {
        selectable[count++] = i;
      }
    }
    int cap = maskSelectionLength == null ? Integer.MAX_VALUE : maskSelectionLength;
    int chosen = selection == MaskSelection.EXACT_COUNT
        ? chooseExactCount(selectable, count, cap, random)
        : choosePerToken(selectable, count, cap, random);
    Arrays.sort(selectable, 0, chosen);

    int slots = maskSelectionLength == null ? chosen : maskSelectionLength;
    int[] out = tokenIds.clone();
    int[] positions = new int[slots];
    int[] ids = new int[slots];
    float[] weights = new float[slots];
    for (int k = 0; k < chosen; k++) {
      int pos = selectable[k];
      positions[k] = pos;
      ids[k] = tokenIds[pos];
      weights[k] = 1f;
      out[pos] = replacement(tokenIds[pos], random);
    }
    return new MaskedTokens(out, positions, ids, weights);
  }

  /**
   * Masks each row with its own random stream, split in row order from {@code seed}, on up to
   * {@code parallelism} threads; the result does not depend on the number of threads.
   */
  public MaskedTokens[] mask(int[][] tokenIds, long seed, int parallelism) {
    Objects.requireNonNull(tokenIds, "tokenIds");
    SplittableRandom[] randoms = rowRandoms(seed, tokenIds.length);
    MaskedTokens[] out = new MaskedTokens[tokenIds.length];
    ParallelRows.forEach(tokenIds.length, parallelism, i -> out[i] = mask(tokenIds[i], randoms[i]));
    return out;
  }

  /** Independent random streams for {@code rows} rows, split in order from {@code seed}. */
  public static SplittableRandom[] rowRandoms(long seed, int rows) {
    SplittableRandom root = new SplittableRandom(seed);
    SplittableRandom[] out = new SplittableRandom[rows];
    for (int i = 0; i < rows; i++) {
      out[i] = root.split();
    }
    return out;
  }

  /**
   * tf-text's RandomItemSelector: {@code min(ceil(selectable · rate), cap)} positions (computed in
   * float32, as TensorFlow does), uniformly without replacement; they end up first in
   * {@code selectable}.
   */
  private int chooseExactCount(int[] selectable, int count, int cap, SplittableRandom random) {
    int k = (int) Math.min(Math.ceil((float) count * (float) maskSelectionRate), cap);
    k = Math.min(k, count);
    for (int i = 0; i < k; i++) {
      int j = i + random.nextInt(count - i);
      int t = selectable[i];
      selectable[i] = selectable[j];
      selectable[j] = t;
    }
    return k;
  }

  /** keras-hub's eager path: each position with probability rate, then a random subset up to cap. */
  private int choosePerToken(int[] selectable, int count, int cap, SplittableRandom random) {
    int chosen = 0;
    for (int i = 0; i < count; i++) {
      if (random.nextDouble() < maskSelectionRate) {
        selectable[chosen++] = selectable[i];
      }
    }
    if (chosen > cap) {
      for (int i = chosen - 1; i > 0; i--) { // shuffle, then keep the first cap
        int j = random.nextInt(i + 1);
        int t = selectable[i];
        selectable[i] = selectable[j];
        selectable[j] = t;
      }
      chosen = cap;
    }
    return chosen;
  }

  private int replacement(int original, SplittableRandom random) {
    double u = random.nextDouble();
    if (u < maskTokenRate) {
      return maskTokenId;
    }
    boolean randomToken = selection == MaskSelection.EXACT_COUNT
        ? u > maskTokenRate && u < maskTokenRate + randomTokenRate
        : u < maskTokenRate + randomTokenRate;
    return randomToken ? random.nextInt(vocabularySize) : original;
  }

  /** Builder of {@link MaskedLMMaskGenerator}, starting from keras-hub's defaults. */
  public static final class Builder {
    private final int vocabularySize;
    private final double maskSelectionRate;
    private final int maskTokenId;
    private Integer maskSelectionLength;
    private int[] unselectableTokenIds = {0};
    private double maskTokenRate = 0.8;
    private double randomTokenRate = 0.1;
    private MaskSelection selection = MaskSelection.EXACT_COUNT;

    private Builder(int vocabularySize, double maskSelectionRate, int maskTokenId) {
      this.vocabularySize = vocabularySize;
      this.maskSelectionRate = maskSelectionRate;
      this.maskTokenId = maskTokenId;
    }

    /** Cap and padded width of the mask outputs; {@code null} for none. */
    public Builder maskSelectionLength(Integer value) {
      this.maskSelectionLength = value;
      return this;
    }

    public Builder unselectableTokenIds(int... value) {
      this.unselectableTokenIds = value;
      return this;
    }

    public Builder maskTokenRate(double value) {
      this.maskTokenRate = value;
      return this;
    }

    public Builder randomTokenRate(double value) {
      this.randomTokenRate = value;
      return this;
    }

    public Builder selection(MaskSelection value) {
      this.selection = value;
      return this;
    }

    public MaskedLMMaskGenerator build() {
      return new MaskedLMMaskGenerator(vocabularySize, maskSelectionRate, maskTokenId, maskSelectionLength,
          unselectableTokenIds, maskTokenRate, randomTokenRate, selection);
    }
  }
}
