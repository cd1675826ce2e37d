package dev.bertgen.presets.loading;

import dev.bertgen.layers.Initializers;
import dev.bertgen.layers.ModelWeights;
import dev.bertgen.layers.TaskHead;
import dev.bertgen.layers.Variable;
import dev.bertgen.layers.VariableLayout;
import dev.bertgen.presets.PresetException;
import dev.bertgen.presets.PresetLogging;
import dev.bertgen.presets.SavedTask;
import dev.bertgen.presets.formats.HuggingFaceReader;
import dev.bertgen.presets.formats.KerasPresetReader;
import dev.bertgen.presets.formats.PresetFormat;
import dev.bertgen.presets.formats.PresetReader;
import dev.bertgen.presets.hub.HubSettings;
import dev.bertgen.presets.hub.KaggleFiles;
import dev.bertgen.presets.hub.PresetFiles;
import dev.bertgen.spec.BackboneConfig;
import dev.bertgen.spec.Diagnostic;
import dev.bertgen.spec.PreprocessorConfig;
import dev.bertgen.spec.PresetSpec;
import dev.bertgen.spec.Problem;
import dev.bertgen.spec.SpecValidator;
import dev.bertgen.spec.TaskConfig;
import dev.bertgen.spec.TokenizerConfig;
import dev.bertgen.tokenizers.TokenizerFiles;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.NumberFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Finds a preset and reads its architecture, weights and tokenizer.
 *
 * <p>Sources: a local directory holding a keras-hub preset ({@code save_to_preset}) or a Hugging
 * Face BERT checkpoint ({@code save_pretrained}), see {@link PresetFormat}; a built-in preset name,
 * a {@code kaggle://} handle or an {@code hf://} repository, found in (or downloaded into) the caches
 * Python's kagglehub and huggingface_hub use, see {@link HubSettings}. The architecture
 * takes the numeric flavor of its format (keras-hub: tanh GELU in the encoder, exact GELU and LayerNorm
 * epsilon 1e-5 in the MaskedLM head; Hugging Face: the configured GELU and {@code layer_norm_eps}
 * everywhere). The tokenizer is read by {@link TokenizerFiles}, as {@code BertTokenizer.fromPreset}
 * reads it, and takes the flavor of its files.
 *
 * <p>The result is plain data ({@link LoadedPreset}); {@code ModelState.load} makes a model's state of it.
 *
 * <p>Notes and warnings (a pooler or head that had to be initialized, a decoder that is not tied, a
 * preset without tokenizer) go to the {@code java.util.logging} logger {@value #LOGGER_NAME}. A
 * vocabulary whose size differs from the model's {@code vocabulary_size} is refused.
 */
public final class PresetLoader {
  /** Name of the logger the loader reports to. */
  public static final String LOGGER_NAME = PresetLogging.LOGGER_NAME;

  private static final Logger LOG = Logger.getLogger(LOGGER_NAME);

  private PresetLoader() {}

  /**
   * What the caller of {@link #load} requires of the preset: the architecture and fixed sequence length
   * of a generated class. Both are checked before any weight is downloaded.
   */
  public interface Expectation {
    /**
     * Refuses a preset (loaded from {@code source}) whose architecture is not the expected one.
     *
     * @throws PresetException naming both architectures
     */
    void requireSameArchitecture(BackboneConfig loaded, String source);

    /**
     * Refuses a sequence length override (at most the preset's {@code max_sequence_length}) the
     * caller cannot apply.
     *
     * @throws PresetException saying what to do instead
     */
    void requireSequenceLength(int length);
  }

  /**
   * How to load.
   *
   * @param hub caches, endpoints and credentials, or {@code null} for {@link HubSettings#fromEnvironment()}
   * @param loadWeights read the weights (true) or initialize them from {@code seed} (false)
   * @param seed seed of the initializers (and of a head the preset lacks)
   * @param checkFinite refuse weights that are NaN or infinite
   * @param sequenceLength the preprocessor's sequence length instead of the preset's, or {@code null}
   * @param head the task head to load (or initialize) with the backbone
   * @param expected what a generated class requires, or {@code null} for any architecture (the loaded
   *     preset then has a spec made from its files)
   */
  public record Request(HubSettings hub, boolean loadWeights, long seed, boolean checkFinite,
      Integer sequenceLength, TaskHead head, Expectation expected) {

    public Request {
      Objects.requireNonNull(head, "head");
    }
  }

  /**
   * Loads {@code source}.
   *
   * @param source a preset directory (keras-hub or Hugging Face), a built-in preset name,
   *     {@code kaggle://owner/model/framework/variation[/version]} or {@code hf://org/name}; remote
   *     presets are taken from kagglehub's and huggingface_hub's caches, or downloaded into them
   * @param request whether to read the weights or initialize them from a seed, the sequence length, the
   *     hub settings, the head, and what the caller expects
   * @param tokenizer makes the caller's tokenizer of the preset's tokenizer files; an
   *     {@link IllegalArgumentException} it throws is reported as a {@link PresetException}
   * @param <T> the tokenizer's type
   * @throws PresetException when the source is malformed, unknown or cannot be had (naming every place
   *     looked), is not a preset BertGen reads, is not what {@code request.expected()} expects (checked
   *     before any weight is downloaded), or has missing, misshapen or truncated weights
   */
  public static <T> LoadedPreset<T> load(String source, Request request, Function<TokenizerFiles, T> tokenizer) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(tokenizer, "tokenizer");
    PresetFiles files = PresetResolver.open(source,
        () -> request.hub() != null ? request.hub() : HubSettings.fromEnvironment());
    Path dir = files.directory();
    PresetReader reader = PresetFormat.open(dir);
    BackboneConfig config = reader.backbone();
    requireValid(dir, config, reader instanceof HuggingFaceReader ? HF_KEYS : Map.of());
    Expectation expected = request.expected();
    if (expected != null) {
      expected.requireSameArchitecture(config, source);
    }
    Integer sequenceLength = request.sequenceLength();
    if (sequenceLength != null) {
      requireSequenceLength(sequenceLength, config, files.describe(), expected);
    }
    PresetResolver.fetchRest(files, reader instanceof KerasPresetReader ? PresetFormat.KERAS_HUB
        : PresetFormat.HUGGING_FACE, request.loadWeights(), request.head());
    SavedTask savedTask = reader.savedTask();
    TaskHead head = request.head();
    if (head.fromPreset()) {
      requireSavedClassifier(savedTask, head.numClasses(), files.describe());
    }
    Optional<TokenizerFiles> tokenizerFiles = tokenizerFiles(dir);
    boolean keras = reader instanceof KerasPresetReader;
    T made = tokenizerFiles.map(f -> tokenizer(tokenizer, f, config, dir, keras)).orElse(null);
    if (tokenizerFiles.isEmpty()) {
      Path preprocessorJson = dir.resolve(KerasPresetReader.PREPROCESSOR);
      if (keras && Files.isRegularFile(preprocessorJson)) {
        throw new PresetException(null, preprocessorJson + " describes a preprocessor, whose tokenizer "
            + "keras-hub loads from " + TokenizerFiles.TOKENIZER_JSON + " and "
            + TokenizerConfig.DEFAULT_VOCABULARY_ASSET + ", but " + dir + " has no " + TokenizerFiles.TOKENIZER_JSON
            + "; copy both from the preset (download or copy the whole preset again), or delete "
            + KerasPresetReader.PREPROCESSOR + " to use the model with token ids only");
      }
      LOG.info(() -> files.describe() + " has no vocabulary, so the model has no tokenizer; pass token ids, or add "
          + "the vocabulary (keras-hub: " + TokenizerFiles.TOKENIZER_JSON + " and "
          + TokenizerConfig.DEFAULT_VOCABULARY_ASSET + "; Hugging Face: " + TokenizerFiles.VOCAB_TXT + " or "
          + TokenizerFiles.TOKENIZER_JSON + ")");
    }
    TokenizerConfig tokenizerConfig = tokenizerFiles.map(TokenizerFiles::config)
        .orElseGet(() -> TokenizerFiles.defaults(reader.tokenizerFlavor()));
    PresetSpec spec = expected != null ? null
        : presetSpec(reader, files, config, tokenizerConfig, sequenceLength, request.head());

    VariableLayout layout = VariableLayout.of(config, request.head());
    ModelWeights weights = ModelWeights.zeros(layout);
    Set<String> loaded = new java.util.HashSet<>();
    if (request.loadWeights()) {
      loaded.addAll(reader.readWeights(weights, request.checkFinite()));
      if (head.fromPreset()) {
        loaded.addAll(reader.readClassifierHead(weights, request.checkFinite()));
      }
    }
    for (Variable v : layout.variables()) {
      if (!loaded.contains(v.path())) {
        Initializers.fill(weights.arena(), v, request.seed());
      }
    }
    String described = files instanceof PresetResolver.DirectoryFiles ? source : files.describe();
    return new LoadedPreset<>(spec, config, weights, made, described, savedTask);
  }

  /** A saved classifier head must exist and have the number of classes asked for. */
  private static void requireSavedClassifier(SavedTask saved, int numClasses, String source) {
    if (saved == null || !saved.isTextClassifier()) {
      throw new PresetException(null, source + (saved == null ? " saved only a backbone" : " is a "
          + saved.taskClass() + " preset") + ", so it has no classifier head to load; pass numClasses to put a "
          + "fresh head on its backbone, e.g. BertTextClassifier.fromPreset(source, 2)");
    }
    if (saved.numClasses() != numClasses) {
      throw new PresetException(null, source + " is a classifier of " + saved.numClasses() + " classes, not "
          + numClasses + "; load it without numClasses to keep its head, or pass numClasses for a fresh head");
    }
  }

  /**
   * What a preprocessor needs of a preset, without its weights: the tokenizer, the preprocessor
   * settings of its {@code preprocessor.json} (or the format's defaults) and the architecture.
   *
   * @param tokenizer the caller's tokenizer of the preset's tokenizer files
   * @param preprocessor sequence length, truncation and masking settings
   * @param config the architecture (its {@code max_sequence_length} bounds the sequence length)
   * @param source where it came from, for messages
   * @param <T> the tokenizer's type
   */
  public record Preprocessing<T>(T tokenizer, PreprocessorConfig preprocessor, BackboneConfig config,
      String source) {}

  /**
   * Reads only what a tokenizer or a preprocessor needs of {@code source} (any source
   * {@link #load} accepts; a remote preset's weights are not downloaded).
   *
   * @throws PresetException when the source cannot be had, is not a preset, or has no tokenizer
   *     (naming where the loader looked)
   */
  public static <T> Preprocessing<T> loadPreprocessing(String source, HubSettings hub, TaskHead.Kind task,
      Function<TokenizerFiles, T> tokenizer) {
    Objects.requireNonNull(source, "source");
    PresetFiles files = PresetResolver.open(source, () -> hub != null ? hub : HubSettings.fromEnvironment());
    Path dir = files.directory();
    PresetReader reader = PresetFormat.open(dir);
    BackboneConfig config = reader.backbone();
    PresetResolver.fetchRest(files, reader instanceof KerasPresetReader ? PresetFormat.KERAS_HUB
        : PresetFormat.HUGGING_FACE, false, TaskHead.none());
    TokenizerFiles tf = tokenizerFiles(dir).orElseThrow(() -> new PresetException(null, files.describe()
        + " has no vocabulary (looked for " + TokenizerFiles.TOKENIZER_JSON + ", " + TokenizerFiles.VOCAB_TXT + " and "
        + TokenizerConfig.DEFAULT_VOCABULARY_ASSET + "); copy the preset's tokenizer files there"));
    T made = tokenizer(tokenizer, tf, config, dir, reader instanceof KerasPresetReader);
    String described = files instanceof PresetResolver.DirectoryFiles ? source : files.describe();
    return new Preprocessing<>(made, reader.preprocessor(preprocessorClass(new TaskHead(task,
        task == TaskHead.Kind.TEXT_CLASSIFIER ? 1 : 0, false))), config, described);
  }

  /** keras-hub's preprocessor class of a task head's task. */
  private static String preprocessorClass(TaskHead head) {
    return head.kind() == TaskHead.Kind.TEXT_CLASSIFIER ? KerasPresetReader.CLASSIFIER_PREPROCESSOR_CLASS
        : KerasPresetReader.PREPROCESSOR_CLASS;
  }

  /** A sequence length override must fit the position embedding; a generated preprocessor fixes its own. */
  private static void requireSequenceLength(int length, BackboneConfig config, String source,
      Expectation expected) {
    if (length > config.maxSequenceLength()) {
      throw new PresetException(Diagnostic.SEQUENCE_LENGTH_ABOVE_MAX, "sequenceLength " + length + " is above the "
          + "max_sequence_length " + config.maxSequenceLength() + " of " + source + " (its position embedding has "
          + config.maxSequenceLength() + " rows); use PresetOptions.builder().sequenceLength(n) with n <= "
          + config.maxSequenceLength());
    }
    if (expected != null) {
      expected.requireSequenceLength(length);
    }
  }

  /** Hugging Face's config.json names of keras-hub's BertBackbone arguments, for messages. */
  private static final Map<String, String> HF_KEYS = Map.of(
      "vocabulary_size", "vocab_size",
      "num_layers", "num_hidden_layers",
      "num_heads", "num_attention_heads",
      "hidden_dim", "hidden_size",
      "intermediate_dim", "intermediate_size",
      "max_sequence_length", "max_position_embeddings",
      "num_segments", "type_vocab_size",
      "dropout", "hidden_dropout_prob",
      "layer_norm_epsilon", "layer_norm_eps",
      "mlm_head_layer_norm_epsilon", "layer_norm_eps");

  /**
   * Refuses sizes no BERT can have (zero layers, heads that do not divide the hidden size, tensors
   * beyond one Java array, ...), naming the keys as the file names them ({@code keys}: keras-hub's
   * argument name to the file's).
   */
  private static void requireValid(Path dir, BackboneConfig config, Map<String, String> keys) {
    List<Problem> problems = SpecValidator.validateBackbone(config, k -> keys.getOrDefault(k, k));
    if (!problems.isEmpty()) {
      throw new PresetException(problems.get(0).diagnostic(), dir.resolve("config.json") + " describes an "
          + "architecture BertGen cannot build: " + problems.stream().map(Problem::message)
              .collect(Collectors.joining("; ")));
    }
  }

  /** The tokenizer files of {@code dir}, or empty when it has no vocabulary. */
  private static Optional<TokenizerFiles> tokenizerFiles(Path dir) {
    try {
      return TokenizerFiles.readIfPresent(dir);
    } catch (IllegalArgumentException | UncheckedIOException e) {
      throw new PresetException(null, e.getMessage(), e);
    }
  }

  /**
   * The tokenizer of {@code files}, whose vocabulary must have as many tokens as the token embedding
   * has rows (checked after the special tokens, the more specific error).
   */
  private static <T> T tokenizer(Function<TokenizerFiles, T> factory, TokenizerFiles files, BackboneConfig config,
      Path dir, boolean keras) {
    T tokenizer;
    try {
      tokenizer = factory.apply(files);
    } catch (IllegalArgumentException e) {
      throw new PresetException(null, e.getMessage(), e);
    }
    int padTo = files.options().sequenceLength();
    if (padTo > config.maxSequenceLength()) {
      throw new PresetException(Diagnostic.SEQUENCE_LENGTH_ABOVE_MAX, files.source() + ": the tokenizer's "
          + "sequence_length " + grouped(padTo) + " is above the model's max_sequence_length "
          + grouped(config.maxSequenceLength()) + " (its tokenizer would pad every text to that length); set it "
          + "to null, as keras-hub saves it, or to at most " + grouped(config.maxSequenceLength()));
    }
    int size = files.vocabulary().size();
    int rows = config.vocabularySize();
    if (size != rows) {
      String key = keras ? "vocabulary_size" : "vocab_size";
      String head = files.vocabularyFile() + " has " + grouped(size) + " tokens but " + dir.resolve("config.json")
          + " says " + key + " " + grouped(rows) + " (the rows of the token embedding)";
      throw new PresetException(null, size > rows
          ? head + ", so token id " + grouped(rows) + " would have no embedding: the vocabulary belongs to "
              + "another model or has extra lines; use the preset's own vocabulary (" + grouped(rows) + " tokens)"
          : head + ": the vocabulary is incomplete or belongs to another model; use the preset's own vocabulary ("
              + grouped(rows) + " tokens), or, if the model pads its embedding beyond its vocabulary, append "
              + grouped(rows - size) + " distinct placeholder tokens (such as [unused" + size + "]) to it");
    }
    return tokenizer;
  }

  private static String grouped(long n) {
    return NumberFormat.getIntegerInstance(Locale.ROOT).format(n);
  }

  /** The spec of a preset known only from its files, named after its directory or handle. */
  private static PresetSpec presetSpec(PresetReader reader, PresetFiles files, BackboneConfig config,
      TokenizerConfig tc, Integer sequenceLength, TaskHead head) {
    String safe = files.name().replaceAll("[^A-Za-z0-9_.\\-]", "_");
    if (safe.isEmpty() || !Character.isLetterOrDigit(safe.charAt(0))) {
      safe = "preset" + safe;
    }
    PreprocessorConfig pre = reader.preprocessor(preprocessorClass(head));
    if (sequenceLength != null) {
      pre = pre.withSequenceLength(sequenceLength);
    }
    String handle = files instanceof KaggleFiles k ? k.handle().toString() : null;
    PresetSpec spec = new PresetSpec(safe, "loaded from " + files.describe(), config.parameterCount(), handle,
        TaskConfig.maskedLm(), config, tc, pre);
    List<Problem> problems = SpecValidator.validate(spec);
    if (!problems.isEmpty()) {
      throw new PresetException(problems.get(0).diagnostic(), files.describe() + " cannot be used: "
          + problems.stream().map(p -> p.field() + ": " + p.message()).collect(Collectors.joining("; ")));
    }
    return spec;
  }
}
