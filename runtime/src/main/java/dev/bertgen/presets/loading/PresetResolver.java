package dev.bertgen.presets.loading;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bertgen.layers.TaskHead;
import dev.bertgen.presets.PresetException;
import dev.bertgen.presets.formats.JsonFiles;
import dev.bertgen.presets.formats.KerasPresetReader;
import dev.bertgen.presets.formats.PresetFormat;
import dev.bertgen.presets.formats.SafetensorsCheckpoint;
import dev.bertgen.presets.hub.HubHttp;
import dev.bertgen.presets.hub.HubSettings;
import dev.bertgen.presets.hub.HuggingFaceFiles;
import dev.bertgen.presets.hub.KaggleFiles;
import dev.bertgen.presets.hub.KaggleHandle;
import dev.bertgen.presets.hub.PresetFiles;
import dev.bertgen.spec.BuiltinPresets;
import dev.bertgen.spec.Diagnostic;
import dev.bertgen.spec.PresetSpec;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Turns what {@code fromPreset} was given into the files of a preset, in the order of the
 * architecture: a directory path; {@code kaggle://owner/model/framework/variation[/version]}
 * (kagglehub's cache, then a download); {@code hf://org/name} (huggingface_hub's cache, then a
 * download); a built-in preset name (the Kaggle handle of its YAML).
 *
 * <p>Files are fetched as keras-hub fetches them: {@code config.json} first (so that a generated class
 * can refuse another architecture before any weight is downloaded), then, by the format it shows,
 * the tokenizer, preprocessor and task files that exist and the weights that are needed.
 */
public final class PresetResolver {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-]*");
  private static final String FORMS = "a preset directory (holding config.json), a built-in preset name ("
      + "BertMaskedLM.presets().keySet()), " + KaggleHandle.PREFIX + "{owner}/{model}/{framework}/{variation}"
      + "[/{version}] or " + HuggingFaceFiles.PREFIX + "{org}/{model}";

  private PresetResolver() {}

  /** A directory used as it is; files it lacks are reported by the readers. */
  record DirectoryFiles(Path dir, String source) implements PresetFiles {
    @Override
    public String describe() {
      return source;
    }

    @Override
    public Path directory() {
      return dir;
    }

    @Override
    public boolean fetch(String relative, boolean required) {
      return Files.exists(dir.resolve(relative));
    }
  }

  /**
   * The files of {@code source} with its {@code config.json} present.
   *
   * @throws PresetException for a malformed or unknown source, naming it and the accepted forms;
   *     and when config.json can be neither found in a cache nor downloaded, naming every place looked
   */
  static PresetFiles open(String source, java.util.function.Supplier<HubSettings> settings) {
    PresetFiles files = locate(source, settings);
    files.fetch("config.json", true);
    return files;
  }

  /** {@code settings} is asked only for a remote source (reading them may read credential files). */
  private static PresetFiles locate(String source, java.util.function.Supplier<HubSettings> settings) {
    if (source.isBlank()) {
      throw new PresetException(null, "the preset source is empty; pass " + FORMS);
    }
    int scheme = source.indexOf("://");
    if (scheme > 0) {
      String s = source.substring(0, scheme).toLowerCase(Locale.ROOT);
      switch (s) {
        case "kaggle" -> {
          return KaggleFiles.open(new HubHttp(settings.get()), KaggleHandle.parse(source), source, List.of());
        }
        case "hf" -> {
          return HuggingFaceFiles.open(new HubHttp(settings.get()), HuggingFaceFiles.parseRepoId(source), source,
              List.of());
        }
        default -> throw new PresetException(null, "cannot load preset \"" + source + "\": the " + s + ":// "
            + "scheme is not supported (keras-hub's gs:// and modelscope:// included); download the preset "
            + "and pass its directory, or pass " + FORMS);
      }
    }
    Path path;
    try {
      path = Path.of(source);
    } catch (InvalidPathException e) {
      path = null;
    }
    if (path != null) {
      if (!Files.exists(path)) {
        PresetWriter.recoverInterruptedSave(path);
      }
      if (Files.isDirectory(path)) {
        return new DirectoryFiles(path, source);
      }
      if (Files.isRegularFile(path)) {
        throw new PresetException(null, "cannot load preset \"" + source + "\": " + path.toAbsolutePath() + " is a "
            + "file, not a directory (pass the directory that holds it)");
      }
    }
    if (BuiltinPresets.exists(source)) {
      PresetSpec spec = BuiltinPresets.get(source);
      if (spec.kaggleHandle() == null) {
        throw new PresetException(null, "built-in preset " + source + " has no Kaggle handle to download it from; "
            + "pass the directory of a copy of it");
      }
      List<String> looked = new ArrayList<>();
      if (path != null) {
        looked.add("directory " + path.toAbsolutePath() + ": not there");
      }
      return KaggleFiles.open(new HubHttp(settings.get()), KaggleHandle.parse(spec.kaggleHandle()), source, looked);
    }
    String where = path == null ? "it is not a valid path" : "there is no directory " + path.toAbsolutePath();
    if (NAME.matcher(source).matches()) {
      String unknown = BuiltinPresets.unknownMessage(source).substring(Diagnostic.UNKNOWN_PRESET.tag().length() + 1);
      throw new PresetException(Diagnostic.UNKNOWN_PRESET, unknown + ". It is not a directory either ("
          + where + "). Pass " + FORMS);
    }
    throw new PresetException(null, "cannot load preset \"" + source + "\": " + where + ". Pass " + FORMS);
  }

  /**
   * Fetches what loading needs besides config.json: tokenizer and preprocessor files, the task file (and
   * a classifier's class names, see {@link #fetchTask}), and the weights when {@code loadWeights} (the task weights only when the head asked for is the one the
   * preset saved: a BertMaskedLM's, or a BertTextClassifier's read from the preset). A directory source is left as it is.
   */
  static void fetchRest(PresetFiles files, PresetFormat format, boolean loadWeights, TaskHead head) {
    if (files instanceof DirectoryFiles) {
      return;
    }
    Path dir = files.directory();
    switch (format) {
      case KERAS_HUB -> {
        if (files.fetch(KerasPresetReader.TOKENIZER, false)
            && isKerasTokenizer(dir.resolve(KerasPresetReader.TOKENIZER))) {
          files.fetch(dev.bertgen.spec.TokenizerConfig.DEFAULT_VOCABULARY_ASSET, false);
        }
        files.fetch(KerasPresetReader.PREPROCESSOR, false);
        String taskClass = fetchTask(files);
        if (loadWeights) {
          if (!files.fetch(KerasPresetReader.WEIGHTS, false) && files.fetch(KerasPresetReader.SHARDED_WEIGHTS, false)) {
            for (String shard : shards(dir.resolve(KerasPresetReader.SHARDED_WEIGHTS))) {
              files.fetch(shard, true);
            }
          }
          boolean headSaved = head.kind() == TaskHead.Kind.MASKED_LM ? KerasPresetReader.TASK_CLASS.equals(taskClass)
              : head.fromPreset() && KerasPresetReader.CLASSIFIER_CLASS.equals(taskClass);
          if (headSaved) {
            files.fetch(KerasPresetReader.TASK_WEIGHTS, false);
          }
        }
      }
      case HUGGING_FACE -> {
        boolean tokenizerJson = files.fetch("tokenizer.json", false);
        files.fetch("tokenizer_config.json", false);
        if (!tokenizerJson) {
          files.fetch("vocab.txt", false);
        }
        if (loadWeights && !files.fetch(SafetensorsCheckpoint.SINGLE, false)) {
          if (files.fetch(SafetensorsCheckpoint.INDEX, false)) {
            for (String shard : shards(dir.resolve(SafetensorsCheckpoint.INDEX))) {
              files.fetch(shard, true);
            }
          } else {
            throw new PresetException(null, files.describe() + " has no " + SafetensorsCheckpoint.SINGLE + " (nor "
                + SafetensorsCheckpoint.INDEX + "); BertGen reads safetensors weights only. If the repository "
                + "has only pytorch_model.bin, download it, convert it with torch and safetensors (safetensors."
                + "torch.save_file) and pass the directory; or load with PresetOptions.builder().loadWeights(false)"
                + " to initialize the weights instead");
          }
        }
      }
      default -> { }
    }
  }

  /**
   * Fetches a keras-hub preset's {@code task.json} and, for a text classifier, the class names BertGen
   * saves beside it ({@value KerasPresetReader#CLASS_NAMES}, absent from keras-hub's presets).
   *
   * @return the saved task's class name, or {@code ""} when the preset has no task file
   */
  static String fetchTask(PresetFiles files) {
    if (!files.fetch(KerasPresetReader.TASK, false)) {
      return "";
    }
    String taskClass;
    try {
      taskClass = JsonFiles.read(files.directory().resolve(KerasPresetReader.TASK)).path("class_name").asText();
    } catch (PresetException e) {
      return ""; // a malformed task file is reported by the reader, where the task matters
    }
    if (KerasPresetReader.CLASSIFIER_CLASS.equals(taskClass)) {
      files.fetch(KerasPresetReader.CLASS_NAMES, false);
    }
    return taskClass;
  }

  /** The shard file names of a sharded index's {@code weight_map}, each once, sorted. */
  private static Set<String> shards(Path index) {
    JsonNode map = JsonFiles.object(JsonFiles.read(index), "weight_map", index);
    Set<String> names = new TreeSet<>();
    if (map == null) {
      return names;
    }
    for (Iterator<JsonNode> it = map.elements(); it.hasNext(); ) {
      JsonNode v = it.next();
      if (v.isArray()) {
        v.forEach(x -> names.add(x.asText()));
      } else {
        names.add(v.asText());
      }
    }
    names.removeIf(n -> n.isEmpty() || n.contains("/") || n.contains("\\") || n.startsWith("."));
    return names;
  }

  private static boolean isKerasTokenizer(Path tokenizerJson) {
    Optional<JsonNode> json = JsonFiles.readIfExists(tokenizerJson);
    return json.isPresent() && json.get().has("config") && !json.get().has("model");
  }
}
