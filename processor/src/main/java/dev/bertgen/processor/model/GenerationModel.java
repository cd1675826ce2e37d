package dev.bertgen.processor.model;

import dev.bertgen.spec.PresetSpec;
import java.util.Objects;

/**
 * Everything the generators need for one annotated type, free of javac types, so generation is a
 * pure function of this record.
 *
 * @param packageName package of the annotated type (and of the generated classes)
 * @param prefix prefix of the generated class names, e.g. {@code TinyBert}
 * @param sourceType qualified name of the annotated type
 * @param origin where the preset came from
 * @param spec the validated preset, with {@code @BertOverrides} applied
 * @param generatedAnnotation qualified name of the {@code @Generated} annotation to put on
 *     generated classes, or {@code null} when the target cannot read one
 */
public record GenerationModel(
    String packageName,
    String prefix,
    String sourceType,
    Origin origin,
    PresetSpec spec,
    String generatedAnnotation) {

  public GenerationModel {
    Objects.requireNonNull(packageName, "packageName");
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(sourceType, "sourceType");
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(spec, "spec");
  }

  /** Simple names of every class generated for this model, in generation order. */
  public GeneratedNames names() {
    return new GeneratedNames(prefix);
  }
}
