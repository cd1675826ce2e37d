package dev.bertgen.presets.loading;

import dev.bertgen.presets.PresetException;
import dev.bertgen.presets.PresetInfo;
import dev.bertgen.presets.formats.JsonFiles;
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
    // a built-in name is plain ASCII, so always a valid path; a directory of that name comes first
    if (BuiltinPresets.exists(source) && !java.nio.file.Files.isDirectory(Path.of(source))) {
      return Optional.of("Bert" + BuiltinPresets.get(source).task().kind().className());
    }
    PresetFiles files = PresetResolver.open(source, settings);
    PresetFormat.open(files.directory());
    if (!files.fetch(KerasPresetReader.TASK, false)) {
      return Optional.empty();
    }
    String cls = JsonFiles.read(files.directory().resolve(KerasPresetReader.TASK)).path("class_name").asText("");
    return cls.isEmpty() ? Optional.empty() : Optional.of(cls);
  }
}
