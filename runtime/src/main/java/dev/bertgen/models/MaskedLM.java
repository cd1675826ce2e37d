package dev.bertgen.models;

/** keras-hub's {@code MaskedLM}: a task that predicts masked tokens. */
public abstract class MaskedLM extends Task {

  protected MaskedLM() {}
}
