package dev.bertgen.presets.loading;

import dev.bertgen.presets.PresetException;
import dev.bertgen.presets.PresetInfo;
import dev.bertgen.presets.SavedTask;
import dev.bertgen.spec.TaskConfig;
import dev.bertgen.presets.formats.KerasPresetReader;
import dev.bertgen.presets.formats.PresetFormat;
import dev.bertgen.presets.hub.HubSettings;
import dev.bertgen.presets.hub.KaggleFiles;
import dev.bertgen.presets.hub.KaggleHandle;
import dev.bertgen.presets.hub.PresetFiles;
import dev.bertgen.spec.BuiltinPresets;
import dev.bertgen.spec.PresetSpec;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The built-in presets with their metadata and cache state, for {@code presets()}. */
public final class PresetCatalog {
  private PresetCatalog() {}

  /** Every built-in preset, in keras-hub's order, with whether it is cached under {@code settings}. */
  public static Map<String, PresetInfo> builtin(HubSettings settings) {
    Map<String, PresetInfo> out = new LinkedHashMap<>();
    for (String name : BuiltinPresets.names()) {
      PresetSpec spec = BuiltinPresets.get(name);
      String handle = spec.kaggleHandle();
      boolean cached = false;
      Path dir = null;
      if (handle != null) {
        KaggleHandle h = KaggleHandle.parse(handle);
        dir = KaggleFiles.modelDir(settings, h).resolve(String.valueOf(h.version()));
        cached = h.isVersioned() && KaggleFiles.cached(settings, h, "config.json").isPresent()
            && (KaggleFiles.cached(settings, h, KerasPresetReader.WEIGHTS).isPresent()
                || KaggleFiles.cached(settings, h, KerasPresetReader.SHARDED_WEIGHTS).isPresent());
      }
      long params = spec.params() != null ? spec.params() : spec.backbone().parameterCount();
      out.put(name, new PresetInfo(name, spec.description(), params, handle, spec.task().kind().className(),
          cached, dir));
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * keras-hub's task class a preset was saved as, such as {@code BertMaskedLM} or
   * {@code BertTextClassifier}: for a built-in name from its YAML (no download), otherwise from the
   * preset's {@code task.json}; empty when the preset saved only a backbone.
   *
   * @throws PresetException as {@code fromPreset} does when the preset cannot be found or fetched
   */
  public static Optional<String> savedTask(String source, java.util.function.Supplier<HubSettings> settings) {
    return savedTaskDetails(source, settings).map(SavedTask::taskClass);
  }

  /**
   * The task a preset was saved as, with a classifier's number of classes, activation, dropout and
   * class names: for a built-in name from its YAML (no download), otherwise from the preset's
   * {@code task.json} (keras-hub) or {@code config.json} (Hugging Face); empty when the preset saved
   * only a backbone.
   *
   * @throws PresetException as {@code fromPreset} does when the preset cannot be found or fetched
   */
  public static Optional<SavedTask> savedTaskDetails(String source,
      java.util.function.Supplier<HubSettings> settings) {
    // a built-in name is plain ASCII, so always a valid path; a directory of that name comes first
    if (BuiltinPresets.exists(source) && !java.nio.file.Files.isDirectory(Path.of(source))) {
      TaskConfig task = BuiltinPresets.get(source).task();
      String cls = "Bert" + task.kind().className();
      return Optional.of(task.kind() == TaskConfig.Kind.TEXT_CLASSIFIER
          ? new SavedTask(cls, task.numClasses(), "linear", 0.1, java.util.List.of()) : SavedTask.maskedLm(cls));
    }
    PresetFiles files = PresetResolver.open(source, settings);
    if (PresetFormat.open(files.directory()) instanceof KerasPresetReader) {
      PresetResolver.fetchTask(files);
    }
    return Optional.ofNullable(PresetFormat.open(files.directory()).savedTask());
  }
}
