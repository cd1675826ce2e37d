package dev.bertgen.models;

import dev.bertgen.dsl.Truncation;
import dev.bertgen.preprocessing.MultiSegmentPacker;
import dev.bertgen.preprocessing.PackedInputs;
import dev.bertgen.preprocessing.PackedSegments;
import dev.bertgen.preprocessing.ParallelRows;
import dev.bertgen.preprocessing.TextClassifierBatch;
import java.util.List;
import java.util.Objects;

/**
 * keras-hub's {@code BertTextClassifierPreprocessor}: tokenizes each segment and packs them as
 * {@code [CLS] a [SEP] b [SEP] [PAD]...} ({@link MultiSegmentPacker}, truncating with
 * {@code round_robin} or {@code waterfall}), segment ids 0 for [CLS], the first segment and its
 * [SEP], 1 for the second; {@code padding_mask = token_ids != [PAD]}. No masking; labels pass through.
 *
 * <pre>{@code
 * BertTextClassifierPreprocessor p = new BertTextClassifierPreprocessor(tokenizer, 128, Truncation.ROUND_ROBIN);
 * PackedInputs x = p.call(List.of("a great movie", "a boring film"));
 * PackedInputs pairs = p.call(List.of("a premise"), List.of("a hypothesis"));
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 */
public class BertTextClassifierPreprocessor {
  /** keras-hub's default {@code sequence_length}. */
  public static final int DEFAULT_SEQUENCE_LENGTH = 512;

  private final BertTokenizer tokenizer;
  private final int sequenceLength;
  private final Truncation truncate;
  private final int parallelism;
  private final MultiSegmentPacker packer;

  /** keras-hub's defaults: sequence length 512, round-robin truncation. */
  public BertTextClassifierPreprocessor(BertTokenizer tokenizer) {
    this(tokenizer, DEFAULT_SEQUENCE_LENGTH, Truncation.ROUND_ROBIN);
  }

  /**
   * @param sequenceLength tokens per packed example, [CLS] and [SEP]s included
   * @param truncate how segments are shortened to fit
   * @throws IllegalArgumentException for a sequence length below 2 (no room for [CLS] and [SEP])
   */
  public BertTextClassifierPreprocessor(BertTokenizer tokenizer, int sequenceLength, Truncation truncate) {
    this(tokenizer, sequenceLength, truncate, ParallelRows.defaultParallelism());
  }

  private BertTextClassifierPreprocessor(BertTokenizer tokenizer, int sequenceLength, Truncation truncate,
      int parallelism) {
    this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
    this.truncate = Objects.requireNonNull(truncate, "truncate");
    if (sequenceLength < 2) {
      throw new IllegalArgumentException("sequenceLength must be at least 2 ([CLS] and [SEP]), got "
          + sequenceLength + " (keras-hub's default is " + DEFAULT_SEQUENCE_LENGTH + ")");
    }
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism is " + parallelism + "; use 1 for the calling thread only");
    }
    this.sequenceLength = sequenceLength;
    this.parallelism = parallelism;
    this.packer = MultiSegmentPacker.builder(sequenceLength)
        .startValue(tokenizer.clsId())
        .endValue(tokenizer.sepId())
        .padValue(tokenizer.padId())
        .truncate(truncate)
        .build();
  }

  /**
   * keras-hub's {@code BertTextClassifierPreprocessor.from_preset}: the tokenizer of any source
   * {@link BertTextClassifier#fromPreset(String)} accepts, with the preset's sequence length and
   * truncation ({@code preprocessor.json}, else 512 and round robin, at most the model's
   * {@code max_sequence_length}); no weights are read.
   *
   * @throws dev.bertgen.presets.PresetException naming the source and the fix when it cannot be had
   *     or has no vocabulary
   */
  public static BertTextClassifierPreprocessor fromPreset(String source) {
    return fromPreset(source, PresetOptions.defaults());
  }

  /** {@link #fromPreset(String)} with options (hub settings; a sequence length override). */
  public static BertTextClassifierPreprocessor fromPreset(String source, PresetOptions options) {
    dev.bertgen.presets.loading.PresetLoader.Preprocessing<BertTokenizer> p =
        dev.bertgen.presets.loading.PresetLoader.loadPreprocessing(source, options.hub(),
            dev.bertgen.layers.TaskHead.Kind.TEXT_CLASSIFIER, BertTokenizer::fromFiles);
    int length = options.sequenceLength() != null ? options.sequenceLength() : p.preprocessor().sequenceLength();
    return new BertTextClassifierPreprocessor(p.tokenizer(), Math.min(length, p.config().maxSequenceLength()),
        p.preprocessor().truncate());
  }

  /** The tokenizer every segment goes through. */
  public BertTokenizer tokenizer() {
    return tokenizer;
  }

  /** Tokens per packed example. */
  public int sequenceLength() {
    return sequenceLength;
  }

  /** How segments are truncated to fit. */
  public Truncation truncate() {
    return truncate;
  }

  /** Threads a batch is tokenized on. */
  public int parallelism() {
    return parallelism;
  }

  /** This preprocessor with another sequence length. */
  public BertTextClassifierPreprocessor withSequenceLength(int value) {
    return new BertTextClassifierPreprocessor(tokenizer, value, truncate, parallelism);
  }

  /** This preprocessor with another truncation. */
  public BertTextClassifierPreprocessor withTruncate(Truncation value) {
    return new BertTextClassifierPreprocessor(tokenizer, sequenceLength, value, parallelism);
  }

  /** This preprocessor tokenizing on up to {@code value} threads. */
  public BertTextClassifierPreprocessor withParallelism(int value) {
    return new BertTextClassifierPreprocessor(tokenizer, sequenceLength, truncate, value);
  }

  /** One single-segment example. */
  public PackedInputs call(String text) {
    return call(List.of(Objects.requireNonNull(text, "text")));
  }

  /** A batch of single-segment examples. */
  public PackedInputs call(List<String> texts) {
    return callSegments(List.of(texts));
  }

  /** A batch of segment pairs: row i is {@code first[i]} and {@code second[i]}. */
  public PackedInputs call(List<String> first, List<String> second) {
    return callSegments(List.of(first, second));
  }

  /** Single-segment examples with their labels (keras-hub's {@code (x, y)}), each of weight 1. */
  public TextClassifierBatch call(List<String> texts, int[] labels) {
    return new TextClassifierBatch(call(texts), labels);
  }

  /** Segment pairs with their labels. */
  public TextClassifierBatch call(List<String> first, List<String> second, int[] labels) {
    return new TextClassifierBatch(call(first, second), labels);
  }

  /** A batch given as segments, keras-hub's tuple of segment batches (each a list with one text per row). */
  public PackedInputs callSegments(List<List<String>> segments) {
    int rows = BertMaskedLMPreprocessor.checkSegments(segments);
    int[][] tokenIds = new int[rows][];
    int[][] paddingMask = new int[rows][];
    int[][] segmentIds = new int[rows][];
    int pad = tokenizer.padId();
    ParallelRows.forEach(rows, parallelism, i -> {
      int[][] ids = new int[segments.size()][];
      for (int s = 0; s < ids.length; s++) {
        String text = segments.get(s).get(i);
        if (text == null) {
          throw new IllegalArgumentException("segment " + s + ", row " + i + " is null; pass a string "
              + "(\"\" for an empty segment)");
        }
        ids[s] = tokenizer.tokenize(text);
      }
      PackedSegments packed = packer.pack(ids);
      tokenIds[i] = packed.tokenIds();
      segmentIds[i] = packed.segmentIds();
      int[] mask = new int[tokenIds[i].length];
      for (int j = 0; j < mask.length; j++) {
        mask[j] = tokenIds[i][j] != pad ? 1 : 0;
      }
      paddingMask[i] = mask;
    });
    return new PackedInputs(tokenIds, paddingMask, segmentIds);
  }
}
