package dev.bertgen.processor.model;

/** Where a declaration's preset came from. */
public sealed interface Origin {

  /** For messages and Javadoc: {@code built-in preset bert_tiny_en_uncased}, ... */
  String describe();

  /** {@code @BertPreset("name")}: a preset of bertgen-presets. */
  record Builtin(String name) implements Origin {
    @Override
    public String describe() {
      return "built-in preset " + name;
    }
  }

  /** {@code @BertPreset(resource = "path")}: a YAML file of the user's. */
  record Resource(String path) implements Origin {
    @Override
    public String describe() {
      return "preset file " + path;
    }
  }

  /** {@code @BertSpec(...)}: an architecture declared in Java. */
  record JavaSpec(String typeName) implements Origin {
    @Override
    public String describe() {
      return "@BertSpec on " + typeName;
    }
  }
}
