package dev.bertgen.models;

/** keras-hub's {@code Task}: a backbone with a head and, optionally, a preprocessor. */
public abstract class Task {

  protected Task() {}

  /** Number of parameters of the whole task (backbone and head). */
  public abstract long parameterCount();
}
