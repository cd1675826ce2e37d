package dev.bertgen.presets;

import dev.bertgen.layers.Initializers;
import dev.bertgen.layers.ModelWeights;
import dev.bertgen.layers.Variable;
import dev.bertgen.layers.VariableLayout;
import dev.bertgen.models.BertTokenizer;
import dev.bertgen.models.ModelState;
import dev.bertgen.models.PresetOptions;
import dev.bertgen.models.Specialization;
import dev.bertgen.spec.BackboneConfig;
import dev.bertgen.spec.BuiltinPresets;
import dev.bertgen.spec.PresetSpec;
import dev.bertgen.spec.Problem;
import dev.bertgen.spec.SpecValidator;
import dev.bertgen.spec.TaskConfig;
import dev.bertgen.spec.TokenizerConfig;
import dev.bertgen.tokenizers.TokenizerFiles;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Finds a preset and reads its architecture, weights and tokenizer.
 *
 * <p>Sources read so far: a local directory holding a keras-hub preset ({@code save_to_preset}) or a
 * Hugging Face BERT checkpoint ({@code save_pretrained}); see {@link PresetFormat}. The architecture
 * takes the numeric flavor of its format (keras-hub: tanh GELU in the encoder, exact GELU and LayerNorm
 * epsilon 1e-5 in the MaskedLM head; Hugging Face: the configured GELU and {@code layer_norm_eps}
 * everywhere). The tokenizer is read by {@link TokenizerFiles}, as {@link BertTokenizer#fromPreset}
 * reads it, and takes the flavor of its files.
 *
 * <p>Notes and warnings (a pooler or head that had to be initialized, a decoder that is not tied, a
 * vocabulary whose size differs from the model's) go to the {@code java.util.logging} logger
 * {@value #LOGGER_NAME}.
 */
public final class PresetLoader {
  /** Name of the logger the loader reports to. */
  public static final String LOGGER_NAME = "dev.bertgen.presets";

  private static final Logger LOG = Logger.getLogger(LOGGER_NAME);

  private PresetLoader() {}

  /**
   * Loads {@code source}.
   *
   * @param source a preset directory (keras-hub or Hugging Face)
   * @param options whether to read the weights or initialize them from a seed
   * @param specialization the generated class asking, whose architecture the source must have; or
   *     {@code null} for any architecture
   * @param withMaskedLmHead also load (or initialize) keras-hub's MaskedLMHead
   * @throws PresetException when the source is not a directory, is not a preset BertGen reads, has
   *     another architecture than {@code specialization}, or has missing, misshapen or truncated weights
   */
  public static ModelState load(String source, PresetOptions options, Specialization specialization,
      boolean withMaskedLmHead) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(options, "options");
    Path dir = directoryOf(source);
    PresetReader reader = PresetFormat.open(dir);
    BackboneConfig config = reader.backbone();
    requireValid(dir, config);
    if (specialization != null) {
      specialization.requireSameArchitecture(config, source);
    }
    Optional<TokenizerFiles> files = tokenizerFiles(dir);
    BertTokenizer tokenizer = files.map(f -> tokenizer(f, config)).orElse(null);
    if (files.isEmpty()) {
      LOG.info(() -> dir + " has no vocabulary, so the model has no tokenizer; pass token ids, or add the "
          + "vocabulary (keras-hub: " + TokenizerFiles.TOKENIZER_JSON + " and "
          + TokenizerConfig.DEFAULT_VOCABULARY_ASSET + "; Hugging Face: " + TokenizerFiles.VOCAB_TXT + " or "
          + TokenizerFiles.TOKENIZER_JSON + ")");
    }
    TokenizerConfig tokenizerConfig = files.map(TokenizerFiles::config)
        .orElseGet(() -> TokenizerFiles.defaults(reader.tokenizerFlavor()));
    Specialization spec = specialization != null ? specialization
        : Specialization.generic(presetSpec(reader, config, tokenizerConfig));

    VariableLayout layout = withMaskedLmHead ? VariableLayout.maskedLm(config) : VariableLayout.backbone(config);
    ModelWeights weights = ModelWeights.zeros(layout);
    Set<String> loaded = options.loadWeights() ? reader.readWeights(weights) : Set.of();
    for (Variable v : layout.variables()) {
      if (!loaded.contains(v.path())) {
        Initializers.fill(weights.arena(), v, options.seed());
      }
    }
    return new ModelState(spec, config, weights, tokenizer, source);
  }

  /** The directory {@code source} names, or an error saying what is supported so far. */
  private static Path directoryOf(String source) {
    Path path;
    try {
      path = source.contains("://") ? null : Path.of(source);
    } catch (InvalidPathException e) {
      path = null;
    }
    if (path != null && Files.isDirectory(path)) {
      return path;
    }
    String what;
    if (source.startsWith("kaggle://")) {
      what = "it is a Kaggle handle";
    } else if (source.startsWith("hf://")) {
      what = "it is a Hugging Face Hub repository";
    } else if (path == null) {
      what = "it is a URL";
    } else if (Files.isRegularFile(path)) {
      what = path.toAbsolutePath() + " is a file, not a directory (pass the directory that holds it)";
    } else if (BuiltinPresets.exists(source)) {
      what = "it is a built-in preset name and there is no directory " + path.toAbsolutePath();
    } else {
      what = "there is no directory " + path.toAbsolutePath();
    }
    throw new PresetException(null, "cannot load preset \"" + source + "\": " + what + ". So far "
        + "BertGen loads presets only from local directories (kaggle:// handles, hf:// repositories and "
        + "built-in preset names come later); download the preset and pass the directory that holds its "
        + "config.json");
  }

  /** Refuses sizes no BERT can have (zero layers, heads that do not divide the hidden size, ...). */
  private static void requireValid(Path dir, BackboneConfig config) {
    List<Problem> problems = SpecValidator.validateBackbone(config);
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

  /** The tokenizer of {@code files}, with a warning when its vocabulary and the model's differ in size. */
  private static BertTokenizer tokenizer(TokenizerFiles files, BackboneConfig config) {
    int size = files.vocabulary().size();
    if (size != config.vocabularySize()) {
      LOG.warning(() -> files.vocabularyFile() + " has " + size + " tokens but the model's vocabulary_size is "
          + config.vocabularySize() + "; token ids at or above " + config.vocabularySize() + " have no embedding");
    }
    try {
      return BertTokenizer.fromFiles(files);
    } catch (IllegalArgumentException e) {
      throw new PresetException(null, e.getMessage(), e);
    }
  }

  /** The spec of a preset known only from its files, named after its directory. */
  private static PresetSpec presetSpec(PresetReader reader, BackboneConfig config, TokenizerConfig tc) {
    Path name = reader.directory().toAbsolutePath().normalize().getFileName();
    String safe = name == null ? "" : name.toString().replaceAll("[^A-Za-z0-9_.\\-]", "_");
    if (safe.isEmpty() || !Character.isLetterOrDigit(safe.charAt(0))) {
      safe = "preset" + safe;
    }
    PresetSpec spec = new PresetSpec(safe, "loaded from " + reader.directory(), config.parameterCount(), null,
        TaskConfig.maskedLm(), config, tc, reader.preprocessor());
    List<Problem> problems = SpecValidator.validate(spec);
    if (!problems.isEmpty()) {
      throw new PresetException(problems.get(0).diagnostic(), reader.directory() + " cannot be used: "
          + problems.stream().map(p -> p.field() + ": " + p.message()).collect(Collectors.joining("; ")));
    }
    return spec;
  }
}
