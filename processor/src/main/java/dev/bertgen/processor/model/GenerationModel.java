package dev.bertgen.processor.model;

import dev.bertgen.spec.PresetSpec;
import dev.bertgen.spec.TaskConfig;
import java.util.ArrayList;
import java.util.List;
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
 * @param classifierClasses classes of the text classifier to generate, or 0 for none
 */
public record GenerationModel(
    String packageName,
    String prefix,
    String sourceType,
    Origin origin,
    PresetSpec spec,
    String generatedAnnotation,
    int classifierClasses) {

  public GenerationModel {
    Objects.requireNonNull(packageName, "packageName");
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(sourceType, "sourceType");
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(spec, "spec");
    if (classifierClasses < 0) {
      throw new IllegalArgumentException("classifierClasses " + classifierClasses);
    }
  }

  /** The model without a text classifier (as before {@code numClasses} existed). */
  public GenerationModel(String packageName, String prefix, String sourceType, Origin origin, PresetSpec spec,
      String generatedAnnotation) {
    this(packageName, prefix, sourceType, origin, spec, generatedAnnotation, 0);
  }

  /** Whether a text classifier is generated; it is for a classifier preset, whose head it loads. */
  public boolean hasClassifier() {
    return classifierClasses > 0;
  }

  /** Whether the preset itself is a text classifier (its saved head is loaded). */
  public boolean classifierPreset() {
    return spec.task().kind() == TaskConfig.Kind.TEXT_CLASSIFIER;
  }

  /** Simple names of every class generated for this model, the classifier's included. */
  public List<String> generatedNames() {
    List<String> all = new ArrayList<>(names().all());
    if (hasClassifier()) {
      all.add(names().textClassifierPreprocessor());
      all.add(names().textClassifier());
    }
    return all;
  }

  /** Simple names of every class generated for this model, in generation order. */
  public GeneratedNames names() {
    return new GeneratedNames(prefix);
  }
}
