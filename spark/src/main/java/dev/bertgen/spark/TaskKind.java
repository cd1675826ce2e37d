package dev.bertgen.spark;

import java.util.Locale;

/** What a data-parallel run trains. */
public enum TaskKind {
  /** keras-hub's {@code BertMaskedLM} on plain text, one example per line. */
  MASKED_LM("masked-lm"),
  /** keras-hub's {@code BertTextClassifier} on {@code label<TAB>text} (or {@code label<TAB>first<TAB>second}) lines. */
  CLASSIFIER("classifier");

  private final String id;

  TaskKind(String id) {
    this.id = id;
  }

  /** The name on the command line and in {@code training_state.json}. */
  public String id() {
    return id;
  }

  /** Parses {@link #id()}; {@code null} (checkpoints written before classifiers ran on Spark) is the masked LM. */
  public static TaskKind of(String id) {
    if (id == null) {
      return MASKED_LM;
    }
    for (TaskKind k : values()) {
      if (k.id.equals(id.toLowerCase(Locale.ROOT))) {
        return k;
      }
    }
    throw new IllegalArgumentException("task " + id + " is not one of masked-lm, classifier");
  }
}
