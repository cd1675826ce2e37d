package dev.bertgen.presets.formats;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bertgen.dsl.Activation;
import dev.bertgen.dsl.TokenizerFlavor;
import dev.bertgen.dsl.Truncation;
import dev.bertgen.layers.ModelWeights;
import dev.bertgen.layers.Variable;
import dev.bertgen.presets.PresetException;
import dev.bertgen.presets.PresetLogging;
import dev.bertgen.presets.RegularFiles;
import dev.bertgen.presets.SavedTask;
import dev.bertgen.spec.BackboneConfig;
import dev.bertgen.spec.PreprocessorConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * A preset directory written by keras-hub's {@code save_to_preset}: {@code config.json} (a
 * {@code BertBackbone}), {@code model.weights.h5} (or {@code model.weights.json} with its shards),
 * optionally {@code task.json} and {@code task.weights.h5} (a {@code BertMaskedLM} whose head is
 * loaded), {@code preprocessor.json}, and the tokenizer ({@code tokenizer.json} and
 * {@code assets/tokenizer/vocabulary.txt}, read by {@link dev.bertgen.tokenizers.TokenizerFiles}).
 *
 * <p>keras-hub's numerics: tanh-approximated GELU and LayerNorm epsilon 1e-12 in the encoder, exact
 * GELU and epsilon 1e-5 in the MaskedLM head.
 */
public final class KerasPresetReader implements PresetReader {
  private static final Logger LOG = Logger.getLogger(PresetLogging.LOGGER_NAME);

  public static final String CONFIG = "config.json";
  public static final String WEIGHTS = "model.weights.h5";
  public static final String SHARDED_WEIGHTS = "model.weights.json";
  public static final String TASK = "task.json";
  public static final String TASK_WEIGHTS = "task.weights.h5";
  public static final String PREPROCESSOR = "preprocessor.json";
  public static final String TOKENIZER = "tokenizer.json";
  public static final String METADATA = "metadata.json";
  public static final String BACKBONE_CLASS = "BertBackbone";
  public static final String TASK_CLASS = "BertMaskedLM";
  public static final String PREPROCESSOR_CLASS = "BertMaskedLMPreprocessor";
  public static final String CLASSIFIER_PREPROCESSOR_CLASS = "BertTextClassifierPreprocessor";
  /** The class names of a classifier saved by BertGen (keras-hub ignores the file). */
  public static final String CLASS_NAMES = "class_names.txt";

  private final Path dir;
  private final BackboneConfig backbone;

  /**
   * Reads the architecture.
   *
   * @param configJson the parsed {@code config.json}, which has {@code registered_name}
   * @throws PresetException when the config is not a BertBackbone or lacks a size
   */
  KerasPresetReader(Path dir, JsonNode configJson) {
    this.dir = dir;
    Path file = dir.resolve(CONFIG);
    String cls = JsonFiles.optString(configJson, "class_name", "", file);
    if (!BACKBONE_CLASS.equals(cls)) {
      throw new PresetException(null, file + " describes a keras-hub " + (cls.isEmpty() ? "model without "
          + "class_name" : cls) + " (registered_name " + configJson.path("registered_name") + "); BertGen "
          + "loads BertBackbone presets, such as those of BertMaskedLM and BertTextClassifier");
    }
    JsonNode c = JsonFiles.object(configJson, "config", file);
    if (c == null) {
      throw new PresetException(null, file + " has no \"config\" object with the BertBackbone arguments");
    }
    requireFloat32Variables(c.get("dtype"), file);
    this.backbone = new BackboneConfig(
        JsonFiles.requireInt(c, "vocabulary_size", file),
        JsonFiles.requireInt(c, "num_layers", file),
        JsonFiles.requireInt(c, "num_heads", file),
        JsonFiles.requireInt(c, "hidden_dim", file),
        JsonFiles.requireInt(c, "intermediate_dim", file),
        JsonFiles.optDouble(c, "dropout", BackboneConfig.DEFAULT_DROPOUT, file),
        JsonFiles.optInt(c, "max_sequence_length", BackboneConfig.DEFAULT_MAX_SEQUENCE_LENGTH, file),
        JsonFiles.optInt(c, "num_segments", BackboneConfig.DEFAULT_NUM_SEGMENTS, file),
        Activation.GELU_APPROXIMATE, BackboneConfig.DEFAULT_LAYER_NORM_EPSILON,
        Activation.GELU, BackboneConfig.KERAS_HUB_MLM_HEAD_LAYER_NORM_EPSILON);
  }

  /**
   * Refuses a dtype policy whose variables are not float32: keras-hub's {@code float32} and the
   * mixed policies ({@code mixed_float16}, {@code mixed_bfloat16}, whose variables are float32) are
   * read; {@code bfloat16}, {@code float16}, quantized policies ({@code DTypePolicyMap}, int8, ...) are
   * not.
   */
  static void requireFloat32Variables(JsonNode dtype, Path file) {
    if (dtype == null || dtype.isNull()) {
      return;
    }
    String name;
    if (dtype.isTextual()) {
      name = dtype.asText();
    } else if (dtype.isObject()) {
      String cls = dtype.path("class_name").asText("");
      if (!cls.equals("DTypePolicy") && !cls.equals("FloatDTypePolicy")) {
        throw new PresetException(null, file + " saves the model with a " + (cls.isEmpty() ? "dtype policy without "
            + "class_name" : cls) + " dtype policy (quantized or per-layer dtypes); BertGen reads presets whose "
            + "variables are float32. Save a float32 copy in keras-hub (from_preset(..., dtype=\"float32\") then "
            + "save_to_preset) and load that");
      }
      name = dtype.path("config").path("name").asText("");
    } else {
      throw new PresetException(null, file + ": \"dtype\" is " + dtype + ", neither a policy name nor a "
          + "DTypePolicy object");
    }
    switch (name) {
      case "float32", "mixed_float16", "mixed_bfloat16" -> { }
      default -> throw new PresetException(null, file + " saves the model with dtype policy \"" + name + "\", "
          + "whose variables are not float32; BertGen computes in float32 and reads float32 variables (policies "
          + "float32, mixed_float16 and mixed_bfloat16). Save a float32 copy in keras-hub (from_preset(..., "
          + "dtype=\"float32\") then save_to_preset) and load that");
    }
  }

  @Override
  public Path directory() {
    return dir;
  }

  @Override
  public BackboneConfig backbone() {
    return backbone;
  }

  @Override
  public TokenizerFlavor tokenizerFlavor() {
    return TokenizerFlavor.KERAS_HUB;
  }

  /**
   * From {@code preprocessor.json} when it is a BertMaskedLMPreprocessor, else from a
   * BertMaskedLMPreprocessor in {@code task.json}, else keras-hub's defaults (as keras-hub does when
   * the saved preprocessor is of another class), the sequence length capped at the backbone's
   * {@code max_sequence_length}.
   */
  @Override
  public PreprocessorConfig preprocessor() {
    return preprocessor(PREPROCESSOR_CLASS);
  }

  @Override
  public PreprocessorConfig preprocessor(String preprocessorClass) {
    PreprocessorConfig defaults = PreprocessorConfig.kerasHubDefaults();
    defaults = defaults.withSequenceLength(Math.min(defaults.sequenceLength(), backbone.maxSequenceLength()));
    Path file = dir.resolve(PREPROCESSOR);
    Optional<JsonNode> json = JsonFiles.readIfExists(file);
    if (json.isEmpty() || !preprocessorClass.equals(json.get().path("class_name").asText())) {
      Path taskFile = dir.resolve(TASK);
      json = JsonFiles.readIfExists(taskFile)
          .map(t -> t.path("config").path("preprocessor"))
          .filter(p -> preprocessorClass.equals(p.path("class_name").asText()));
      file = taskFile;
    }
    if (json.isEmpty()) {
      return defaults;
    }
    JsonNode c = json.get().path("config");
    String truncate = JsonFiles.optString(c, "truncate", "round_robin", file);
    Truncation t = switch (truncate) {
      case "round_robin" -> Truncation.ROUND_ROBIN;
      case "waterfall" -> Truncation.WATERFALL;
      default -> throw new PresetException(null, file + ": truncate \"" + truncate + "\" is neither "
          + "\"round_robin\" nor \"waterfall\"");
    };
    return new PreprocessorConfig(
        JsonFiles.optInt(c, "sequence_length", defaults.sequenceLength(), file), t,
        JsonFiles.optDouble(c, "mask_selection_rate", defaults.maskSelectionRate(), file),
        JsonFiles.optInt(c, "mask_selection_length", defaults.maskSelectionLength(), file),
        JsonFiles.optDouble(c, "mask_token_rate", defaults.maskTokenRate(), file),
        JsonFiles.optDouble(c, "random_token_rate", defaults.randomTokenRate(), file));
  }

  @Override
  public Set<String> readWeights(ModelWeights weights, boolean checkFinite) {
    Set<String> loaded = new HashSet<>();
    Map<String, List<Variable>> layers = byLayer(weights, true);
    try (Hdf5Weights h5 = openBackboneWeights(checkFinite)) {
      readLayers(h5, layers, weights, loaded);
    }
    if (weights.layout().hasMaskedLmHead()) {
      readHead(weights, loaded, checkFinite);
    }
    return loaded;
  }

  private Hdf5Weights openBackboneWeights(boolean checkFinite) {
    Path single = dir.resolve(WEIGHTS);
    if (RegularFiles.exists(single)) {
      return Hdf5Weights.open(single, checkFinite);
    }
    Path sharded = dir.resolve(SHARDED_WEIGHTS);
    if (RegularFiles.exists(sharded)) {
      return Hdf5Weights.openSharded(sharded, checkFinite);
    }
    throw new PresetException(null, dir + " has config.json but no weights: looked for " + WEIGHTS + " and "
        + SHARDED_WEIGHTS + " (sharded). Copy or download the whole preset, or load it with "
        + "PresetOptions.builder().loadWeights(false) to initialize the weights instead");
  }

  /** The head from task.weights.h5 when task.json is a BertMaskedLM; otherwise it stays to be initialized. */
  private void readHead(ModelWeights weights, Set<String> loaded, boolean checkFinite) {
    Path taskFile = dir.resolve(TASK);
    Optional<JsonNode> task = JsonFiles.readIfExists(taskFile);
    String cls = task.map(t -> t.path("class_name").asText("")).orElse("");
    if (!TASK_CLASS.equals(cls)) {
      LOG.info(() -> dir + (task.isEmpty() ? " has no " + TASK : "'s " + TASK + " is a " + cls)
          + ", so the MaskedLM head is initialized as keras-hub initializes it (fine-tune it before "
          + "using its predictions)");
      return;
    }
    Path taskWeights = dir.resolve(TASK_WEIGHTS);
    if (!RegularFiles.exists(taskWeights)) {
      LOG.warning(() -> taskFile + " is a BertMaskedLM but " + TASK_WEIGHTS + " is missing, so the "
          + "MaskedLM head is initialized as keras-hub initializes it");
      return;
    }
    try (Hdf5Weights h5 = Hdf5Weights.open(taskWeights, checkFinite)) {
      readLayers(h5, byLayer(weights, false), weights, loaded);
    }
  }

  /** keras-hub's text classifier task class. */
  public static final String CLASSIFIER_CLASS = "BertTextClassifier";

  @Override
  public SavedTask savedTask() {
    Path file = dir.resolve(TASK);
    Optional<JsonNode> task = JsonFiles.readIfExists(file);
    if (task.isEmpty()) {
      return null;
    }
    String cls = task.get().path("class_name").asText("");
    if (cls.isEmpty()) {
      throw new PresetException(null, file + " has no class_name; it is not a keras-hub task file (save the "
          + "preset again with save_to_preset, or delete " + TASK + " to load the backbone only)");
    }
    if (!CLASSIFIER_CLASS.equals(cls)) {
      return SavedTask.maskedLm(cls);
    }
    JsonNode c = task.get().path("config");
    int classes = JsonFiles.requireInt(c, "num_classes", file);
    if (classes < 1) {
      throw new PresetException(null, file + ": num_classes is " + classes + "; a classifier has at least 1 class");
    }
    JsonNode a = c.path("activation");
    String activation;
    if (a.isMissingNode() || a.isNull()) {
      activation = "linear";
    } else if (a.isTextual()) {
      activation = a.asText();
    } else {
      throw new PresetException(null, file + ": activation " + a + " is not a name such as \"linear\" or "
          + "\"softmax\"; BertGen supports those two");
    }
    if (!activation.equals("linear") && !activation.equals("softmax")) {
      throw new PresetException(null, file + ": activation \"" + activation + "\" is not supported; BertGen's "
          + "classifier outputs logits (\"linear\") or probabilities (\"softmax\")");
    }
    double dropout = JsonFiles.optDouble(c, "dropout", 0.1, file);
    return new SavedTask(cls, classes, activation, dropout, classNames(classes));
  }

  /** BertGen's {@code class_names.txt}, one name per class, when the preset has it; empty otherwise. */
  private List<String> classNames(int classes) {
    Path file = dir.resolve(CLASS_NAMES);
    if (!RegularFiles.exists(file)) {
      return List.of();
    }
    List<String> names;
    try {
      names = java.nio.file.Files.readAllLines(file, java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new PresetException(null, "cannot read " + file + ": " + e, e);
    }
    while (!names.isEmpty() && names.get(names.size() - 1).isEmpty()) {
      names = names.subList(0, names.size() - 1);
    }
    if (names.size() != classes) {
      throw new PresetException(null, file + " has " + names.size() + " class names but " + dir.resolve(TASK)
          + " says num_classes " + classes + "; give one name per line for each class, or delete the file");
    }
    return List.copyOf(names);
  }

  @Override
  public Set<String> readClassifierHead(ModelWeights weights, boolean checkFinite) {
    SavedTask task = savedTask();
    if (task == null || !task.isTextClassifier()) {
      throw new PresetException(null, dir + (task == null ? " has no " + TASK : "'s " + TASK + " is a "
          + task.taskClass()) + ", not a " + CLASSIFIER_CLASS + ", so it has no classifier head to load; pass "
          + "numClasses to put a fresh head on its backbone, e.g. BertTextClassifier.fromPreset(source, 2)");
    }
    Path taskWeights = dir.resolve(TASK_WEIGHTS);
    if (!RegularFiles.exists(taskWeights)) {
      throw new PresetException(null, dir.resolve(TASK) + " is a " + CLASSIFIER_CLASS + " but " + TASK_WEIGHTS
          + " is missing, so its head cannot be loaded; copy or download the whole preset again, or pass "
          + "numClasses to put a fresh head on its backbone");
    }
    Set<String> loaded = new HashSet<>();
    try (Hdf5Weights h5 = Hdf5Weights.open(taskWeights, checkFinite)) {
      readLayers(h5, byLayer(weights, false), weights, loaded);
    }
    return loaded;
  }

  /** Each layer's variables, in creation order, for the backbone or the head. */
  private static Map<String, List<Variable>> byLayer(ModelWeights weights, boolean backbone) {
    Map<String, List<Variable>> out = new LinkedHashMap<>();
    for (Variable v : weights.layout().variables()) {
      if (v.backbone() == backbone) {
        out.computeIfAbsent(KerasH5Paths.layerOf(v.path()), k -> new ArrayList<>()).add(v);
      }
    }
    return out;
  }

  private static void readLayers(Hdf5Weights h5, Map<String, List<Variable>> layers, ModelWeights weights,
      Set<String> loaded) {
    for (Map.Entry<String, List<Variable>> layer : layers.entrySet()) {
      List<String> groups = KerasH5Paths.groups(layer.getKey());
      List<Variable> vars = layer.getValue();
      for (int i = 0; i < vars.size(); i++) {
        Variable v = vars.get(i);
        h5.readInto(groups, i, v.shape(), v.path(), weights.arena(), v.offset()); // straight into the arena
        loaded.add(v.path());
      }
    }
  }
}
