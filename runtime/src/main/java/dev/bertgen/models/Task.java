package dev.bertgen.models;

import dev.bertgen.presets.hub.HubSettings;
import dev.bertgen.presets.loading.PresetCatalog;
import dev.bertgen.presets.PresetException;
import dev.bertgen.presets.PresetInfo;
import java.util.Map;
import java.util.Optional;

/** keras-hub's {@code Task}: a backbone with a head and, optionally, a preprocessor. */
public abstract class Task {

  protected Task() {}

  /** Number of parameters of the whole task (backbone and head). */
  public abstract long parameterCount();

  /**
   * The built-in presets with their metadata (parameters, description, Kaggle handle, task) and
   * whether each is in kagglehub's cache; keras-hub's {@code Task.presets}. Every BERT task lists
   * the same presets, as in keras-hub.
   */
  public static Map<String, PresetInfo> presets() {
    return PresetCatalog.builtin(HubSettings.fromEnvironment());
  }

  /** {@link #presets()} with the cache of {@code settings}. */
  public static Map<String, PresetInfo> presets(HubSettings settings) {
    return PresetCatalog.builtin(settings);
  }

  /**
   * Loads a preset as the task it was saved as (its {@code task.json}; a Hugging Face
   * {@code config.json}'s {@code architectures}; a built-in preset's YAML): a {@code BertMaskedLM}
   * preset gives a {@link BertMaskedLM}, a {@code BertTextClassifier} preset (such as
   * {@code bert_tiny_en_uncased_sst2}) a {@link BertTextClassifier} with its saved head. The task is the registered {@link TaskType}
   * of that keras-hub class name. keras-hub refuses
   * {@code Task.from_preset}; BertGen infers the subclass where the preset names it.
   *
   * @throws PresetException for a preset that saved only a backbone (no task.json: call
   *     {@link MaskedLM#fromPreset(String)} or {@link TextClassifier#fromPreset(String, int)}), a task
   *     BertGen does not have, and as {@link BertMaskedLM#fromPreset(String)} does
   */
  public static Task fromPreset(String source) {
    return fromPreset(source, PresetOptions.defaults());
  }

  /** {@link #fromPreset(String)} with options. */
  public static Task fromPreset(String source, PresetOptions options) {
    Optional<String> saved = PresetCatalog.savedTask(source,
        () -> options.hub() != null ? options.hub() : HubSettings.fromEnvironment());
    if (saved.isEmpty()) {
      throw new PresetException(null, source + " saves only a backbone (it has no task.json), so the task cannot "
          + "be inferred; call the task class you want, for example MaskedLM.fromPreset(\"" + source + "\") or "
          + "TextClassifier.fromPreset(\"" + source + "\", 2) (keras-hub: Task.from_preset() is not called directly)");
    }
    Optional<TaskType> type = TaskTypes.byTaskClass(saved.get());
    if (type.isEmpty()) {
      throw new PresetException(null, source + " is a keras-hub " + saved.get() + " preset; BertGen has "
          + "the BertMaskedLM and BertTextClassifier tasks. Load its backbone with a fresh head with "
          + "BertMaskedLM.fromPreset(\"" + source + "\") or TextClassifier.fromPreset(\"" + source + "\", numClasses) "
          + "if it is a BERT model");
    }
    return type.get().fromPreset(source, options);
  }
}
