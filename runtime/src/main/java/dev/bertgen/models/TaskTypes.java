package dev.bertgen.models;

import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/** The registered {@link TaskType}s, loaded once. */
final class TaskTypes {
  private TaskTypes() {}

  private static final class Holder {
    static final List<TaskType> ALL = ServiceLoader.load(TaskType.class, TaskType.class.getClassLoader()).stream()
        .map(ServiceLoader.Provider::get).toList();
  }

  /** Every registered type. */
  static List<TaskType> all() {
    return Holder.ALL;
  }

  /** The type whose keras-hub task class is {@code taskClass}. */
  static Optional<TaskType> byTaskClass(String taskClass) {
    return all().stream().filter(t -> t.taskClass().equals(taskClass)).findFirst();
  }

  /** The subclass of {@code base} for the keras-hub backbone class {@code backboneClass}. */
  static Optional<TaskType> byBackbone(Class<? extends Task> base, String backboneClass) {
    return all().stream().filter(t -> t.baseClass() == base && t.backboneClass().equals(backboneClass))
        .findFirst();
  }
}
