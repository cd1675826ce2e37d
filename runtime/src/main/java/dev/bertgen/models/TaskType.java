package dev.bertgen.models;

/**
 * A task BertGen can load from a preset, registered with {@link java.util.ServiceLoader} (a line in
 * {@code META-INF/services/dev.bertgen.models.TaskType}). {@link Task#fromPreset} picks the type by
 * the keras-hub class name in the preset's {@code task.json}, {@link MaskedLM#fromPreset} by the
 * backbone class, as keras-hub's {@code from_preset} does.
 */
public interface TaskType {
  /** keras-hub's class name of the task ({@code "BertMaskedLM"}), as {@code task.json} names it. */
  String taskClass();

  /** keras-hub's class name of the task's backbone ({@code "BertBackbone"}). */
  String backboneClass();

  /** The keras-hub base class the task is a subclass of ({@link MaskedLM}, {@link TextClassifier}). */
  Class<? extends Task> baseClass();

  /**
   * Loads {@code source} as this task.
   *
   * @throws dev.bertgen.presets.PresetException as the task's {@code fromPreset} does
   */
  Task fromPreset(String source, PresetOptions options);
}
