package dev.bertgen.models;

import dev.bertgen.preprocessing.MaskSelection;
import dev.bertgen.preprocessing.MaskedLMBatch;
import dev.bertgen.preprocessing.MaskedLMInputs;
import dev.bertgen.preprocessing.MaskedLMMaskGenerator;
import dev.bertgen.preprocessing.MaskedTokens;
import dev.bertgen.preprocessing.MultiSegmentPacker;
import dev.bertgen.preprocessing.PackedInputs;
import dev.bertgen.preprocessing.PackedSegments;
import dev.bertgen.preprocessing.ParallelRows;
import dev.bertgen.spec.PreprocessorConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * keras-hub's {@code BertMaskedLMPreprocessor}: tokenizes each segment, packs them as
 * {@code [CLS] a [SEP] b [SEP]} with {@code [PAD]} padding ({@link MultiSegmentPacker}), sets
 * {@code padding_mask = token_ids != [PAD]} before masking, and masks with
 * {@link MaskedLMMaskGenerator} ([CLS], [SEP], [PAD] and [MASK] are never masked; [UNK] can be).
 *
 * <pre>{@code
 * BertMaskedLMPreprocessor p = new BertMaskedLMPreprocessor(tokenizer,
 *     PreprocessorConfig.kerasHubDefaults().withSequenceLength(128));
 * MaskedLMBatch batch = p.call(List.of("The quick brown fox.", "I forgot my homework."));
 * batch.inputs();        // tokenIds, paddingMask, maskPositions, segmentIds
 * batch.labels();        // original ids at the mask positions
 * batch.sampleWeights(); // 1 per used mask slot
 * }</pre>
 *
 * <p>Masks are drawn from a seed: each call takes the next seed of the preprocessor's own sequence
 * (so repeated calls give new masks, the same ones on every run), or the seed passed to it. Rows
 * get independent random streams split from that seed in row order, and batches are processed on
 * up to {@link #parallelism()} threads, so results do not depend on the number of threads.
 * Instances are thread-safe.
 */
public class BertMaskedLMPreprocessor {
  /** Seed of the call-seed sequence when none is given. */
  public static final long DEFAULT_SEED = 0x5EEDL;

  private final BertTokenizer tokenizer;
  private final PreprocessorConfig config;
  private final long seed;
  private final MaskSelection selection;
  private final int parallelism;
  private final MultiSegmentPacker packer;
  private final MaskedLMMaskGenerator masker;
  private final SplittableRandom callSeeds;

  /** keras-hub's preprocessor with {@code config}'s settings, seeded with {@link #DEFAULT_SEED}. */
  public BertMaskedLMPreprocessor(BertTokenizer tokenizer, PreprocessorConfig config) {
    this(tokenizer, config, DEFAULT_SEED);
  }

  /** keras-hub's preprocessor with {@code config}'s settings and a seed for its masks. */
  public BertMaskedLMPreprocessor(BertTokenizer tokenizer, PreprocessorConfig config, long seed) {
    this(tokenizer, config, seed, MaskSelection.EXACT_COUNT, ParallelRows.defaultParallelism());
  }

  private BertMaskedLMPreprocessor(BertTokenizer tokenizer, PreprocessorConfig config, long seed,
      MaskSelection selection, int parallelism) {
    this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
    this.config = Objects.requireNonNull(config, "config");
    this.seed = seed;
    this.selection = Objects.requireNonNull(selection, "selection");
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism is " + parallelism + "; use 1 for the calling thread only");
    }
    this.parallelism = parallelism;
    this.packer = MultiSegmentPacker.builder(config.sequenceLength())
        .startValue(tokenizer.clsId())
        .endValue(tokenizer.sepId())
        .padValue(tokenizer.padId())
        .truncate(config.truncate())
        .build();
    this.masker = MaskedLMMaskGenerator.builder(tokenizer.vocabularySize(), config.maskSelectionRate(),
            tokenizer.maskId())
        .maskSelectionLength(config.maskSelectionLength())
        .unselectableTokenIds(tokenizer.specialTokenIds())
        .maskTokenRate(config.maskTokenRate())
        .randomTokenRate(config.randomTokenRate())
        .selection(selection)
        .build();
    this.callSeeds = new SplittableRandom(seed);
  }

  /**
   * keras-hub's {@code BertMaskedLMPreprocessor.from_preset}: the tokenizer and settings of any
   * source {@link BertMaskedLM#fromPreset(String)} accepts (its {@code preprocessor.json}, else
   * keras-hub's defaults up to the model's {@code max_sequence_length}); no weights are read.
   *
   * @throws dev.bertgen.presets.PresetException naming the source and the fix when it cannot be had
   *     or has no vocabulary
   */
  public static BertMaskedLMPreprocessor fromPreset(String source) {
    return fromPreset(source, PresetOptions.defaults());
  }

  /** {@link #fromPreset(String)} with options (hub settings; a sequence length override). */
  public static BertMaskedLMPreprocessor fromPreset(String source, PresetOptions options) {
    dev.bertgen.presets.loading.PresetLoader.Preprocessing<BertTokenizer> p =
        dev.bertgen.presets.loading.PresetLoader.loadPreprocessing(source, options.hub(),
            dev.bertgen.layers.TaskHead.Kind.MASKED_LM, BertTokenizer::fromFiles);
    PreprocessorConfig c = p.preprocessor();
    if (options.sequenceLength() != null) {
      c = c.withSequenceLength(options.sequenceLength());
    }
    return new BertMaskedLMPreprocessor(p.tokenizer(), c.withSequenceLength(Math.min(c.sequenceLength(),
        p.config().maxSequenceLength())));
  }

  /** The tokenizer every segment goes through. */
  public BertTokenizer tokenizer() {
    return tokenizer;
  }

  /** keras-hub's preprocessor arguments (sequence length, truncation, mask rates). */
  public PreprocessorConfig config() {
    return config;
  }

  /** The packer built from the tokenizer's [CLS], [SEP], [PAD] and the config. */
  public MultiSegmentPacker packer() {
    return packer;
  }

  /** The mask generator built from the tokenizer and the config. */
  public MaskedLMMaskGenerator maskGenerator() {
    return masker;
  }

  /** The seed of this preprocessor's call-seed sequence. */
  public long seed() {
    return seed;
  }

  /** Threads a batch may use. */
  public int parallelism() {
    return parallelism;
  }

  /** A copy with another sequence length (keras-hub: setting {@code sequence_length}). */
  public BertMaskedLMPreprocessor withSequenceLength(int sequenceLength) {
    return new BertMaskedLMPreprocessor(tokenizer, config.withSequenceLength(sequenceLength), seed, selection,
        parallelism);
  }

  /**
   * A copy with another number of mask slots per sequence (keras-hub: {@code mask_selection_length}); with a
   * shorter sequence length, fewer slots keep the masked-LM head's work in proportion.
   */
  public BertMaskedLMPreprocessor withMaskSelectionLength(int maskSelectionLength) {
    return new BertMaskedLMPreprocessor(tokenizer, config.withMaskSelectionLength(maskSelectionLength), seed,
        selection, parallelism);
  }

  /** A copy whose call seeds start again from {@code value}. */
  public BertMaskedLMPreprocessor withSeed(long value) {
    return new BertMaskedLMPreprocessor(tokenizer, config, value, selection, parallelism);
  }

  /** A copy choosing mask positions with the other keras-hub algorithm. */
  public BertMaskedLMPreprocessor withMaskSelection(MaskSelection value) {
    return new BertMaskedLMPreprocessor(tokenizer, config, seed, value, parallelism);
  }

  /** A copy using up to {@code value} threads per batch (1: the calling thread only). */
  public BertMaskedLMPreprocessor withParallelism(int value) {
    return new BertMaskedLMPreprocessor(tokenizer, config, seed, selection, value);
  }

  /** One example. */
  public MaskedLMBatch call(String text) {
    return call(List.of(Objects.requireNonNull(text, "text")));
  }

  /** A batch of single-segment examples. */
  public MaskedLMBatch call(List<String> texts) {
    return callSegments(List.of(texts));
  }

  /** A batch of segment pairs: row i is {@code first[i]} and {@code second[i]}. */
  public MaskedLMBatch call(List<String> first, List<String> second) {
    return callSegments(List.of(first, second));
  }

  /** A batch given as segments, keras-hub's tuple of segment batches, with the next call seed. */
  public MaskedLMBatch callSegments(List<List<String>> segments) {
    return callSegments(segments, nextCallSeed());
  }

  /**
   * A batch given as segments (each a list with one text per row), masked with randomness from
   * {@code seed}: the same arguments and seed always give the same batch.
   */
  public MaskedLMBatch callSegments(List<List<String>> segments, long seed) {
    return mask(segments, MaskedLMMaskGenerator.rowRandoms(seed, checkSegments(segments)));
  }

  /**
   * A batch of single-segment examples, row {@code i} masked with randomness from
   * {@code rowSeeds[i]} alone: an example gets the same masks in whatever batch, and beside whatever
   * other examples, it is called (data-parallel training relies on it).
   */
  public MaskedLMBatch call(List<String> texts, long[] rowSeeds) {
    Objects.requireNonNull(rowSeeds, "rowSeeds");
    List<List<String>> segments = List.of(texts);
    int rows = checkSegments(segments);
    if (rowSeeds.length != rows) {
      throw new IllegalArgumentException("rowSeeds has " + rowSeeds.length + " seeds for " + rows
          + " texts; give one seed per text");
    }
    SplittableRandom[] randoms = new SplittableRandom[rows];
    for (int i = 0; i < rows; i++) {
      randoms[i] = new SplittableRandom(rowSeeds[i]);
    }
    return mask(segments, randoms);
  }

  private MaskedLMBatch mask(List<List<String>> segments, SplittableRandom[] randoms) {
    int rows = randoms.length;
    int[][] tokenIds = new int[rows][];
    int[][] paddingMask = new int[rows][];
    int[][] segmentIds = new int[rows][];
    int[][] positions = new int[rows][];
    int[][] labels = new int[rows][];
    float[][] weights = new float[rows][];
    int pad = tokenizer.padId();
    ParallelRows.forEach(rows, parallelism, i -> {
      PackedSegments packed = packRow(segments, i);
      paddingMask[i] = paddingMask(packed.tokenIds(), pad);
      MaskedTokens masked = masker.mask(packed.tokenIds(), randoms[i]);
      tokenIds[i] = masked.tokenIds();
      segmentIds[i] = packed.segmentIds();
      positions[i] = masked.maskPositions();
      labels[i] = masked.maskIds();
      weights[i] = masked.maskWeights();
    });
    return new MaskedLMBatch(new MaskedLMInputs(tokenIds, paddingMask, positions, segmentIds), labels, weights);
  }

  /** One call with an explicit seed. */
  public MaskedLMBatch call(List<String> texts, long seed) {
    return callSegments(List.of(texts), seed);
  }

  /** Tokenizes and packs one example without masking. */
  public PackedInputs pack(String text) {
    return pack(List.of(Objects.requireNonNull(text, "text")));
  }

  /** Tokenizes and packs a batch without masking (for prediction and fill-mask). */
  public PackedInputs pack(List<String> texts) {
    return packSegments(List.of(texts));
  }

  /** Tokenizes and packs a batch of segment pairs without masking. */
  public PackedInputs pack(List<String> first, List<String> second) {
    return packSegments(List.of(first, second));
  }

  /** Tokenizes and packs a batch given as segments without masking. */
  public PackedInputs packSegments(List<List<String>> segments) {
    int rows = checkSegments(segments);
    int[][] tokenIds = new int[rows][];
    int[][] paddingMask = new int[rows][];
    int[][] segmentIds = new int[rows][];
    int pad = tokenizer.padId();
    ParallelRows.forEach(rows, parallelism, i -> {
      PackedSegments packed = packRow(segments, i);
      tokenIds[i] = packed.tokenIds();
      paddingMask[i] = paddingMask(packed.tokenIds(), pad);
      segmentIds[i] = packed.segmentIds();
    });
    return new PackedInputs(tokenIds, paddingMask, segmentIds);
  }

  private PackedSegments packRow(List<List<String>> segments, int row) {
    int[][] ids = new int[segments.size()][];
    for (int s = 0; s < ids.length; s++) {
      String text = segments.get(s).get(row);
      if (text == null) {
        throw new IllegalArgumentException("segment " + s + ", row " + row + " is null; pass a string "
            + "(\"\" for an empty segment)");
      }
      ids[s] = tokenizer.tokenize(text);
    }
    return packer.pack(ids);
  }

  private static int[] paddingMask(int[] tokenIds, int pad) {
    int[] mask = new int[tokenIds.length];
    for (int j = 0; j < mask.length; j++) {
      mask[j] = tokenIds[j] != pad ? 1 : 0;
    }
    return mask;
  }

  /** The batch size of {@code segments}, which must be non-empty lists of one size. */
  static int checkSegments(List<List<String>> segments) {
    Objects.requireNonNull(segments, "segments");
    if (segments.isEmpty()) {
      throw new IllegalArgumentException("no segments given; pass at least one list of texts");
    }
    int rows = -1;
    List<Integer> sizes = new ArrayList<>();
    for (List<String> s : segments) {
      Objects.requireNonNull(s, "segment list");
      sizes.add(s.size());
      if (rows < 0) {
        rows = s.size();
      } else if (s.size() != rows) {
        throw new IllegalArgumentException("the segments have different batch sizes " + sizes + " (so far); "
            + "each segment list needs one text per example");
      }
    }
    return rows;
  }

  private long nextCallSeed() {
    synchronized (callSeeds) {
      return callSeeds.nextLong();
    }
  }
}
