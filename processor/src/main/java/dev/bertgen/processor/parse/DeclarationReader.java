package dev.bertgen.processor.parse;

import dev.bertgen.dsl.Activation;
import dev.bertgen.dsl.TokenizerFlavor;
import dev.bertgen.dsl.Truncation;
import dev.bertgen.processor.diag.Reporter;
import dev.bertgen.processor.model.Declaration;
import dev.bertgen.processor.model.GenerationModel;
import dev.bertgen.processor.model.Origin;
import dev.bertgen.processor.validate.FieldSites;
import dev.bertgen.spec.BackboneConfig;
import dev.bertgen.spec.BuiltinPresets;
import dev.bertgen.spec.Diagnostic;
import dev.bertgen.spec.PreprocessorConfig;
import dev.bertgen.spec.PresetSpec;
import dev.bertgen.spec.PresetYaml;
import dev.bertgen.spec.Problem;
import dev.bertgen.spec.SpecValidator;
import dev.bertgen.spec.Suggestions;
import dev.bertgen.spec.TaskConfig;
import dev.bertgen.spec.TokenizerConfig;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;

/**
 * Reads one annotated type into a {@link GenerationModel}: finds its annotations, loads the preset
 * (built-in, YAML resource or {@code @BertSpec}), applies {@code @BertOverrides}, and validates.
 * Every problem is reported on the value that caused it; the result is empty when there was any.
 */
public final class DeclarationReader {
  public static final String BERT_PRESET = "dev.bertgen.dsl.BertPreset";
  public static final String BERT_SPEC = "dev.bertgen.dsl.BertSpec";
  public static final String BERT_OVERRIDES = "dev.bertgen.dsl.BertOverrides";

  private final Elements elements;
  private final Reporter reporter;
  private final PresetSources sources;
  private final String generatedAnnotation;

  /**
   * @param generatedAnnotation the {@code @Generated} annotation to use, or {@code null}
   */
  public DeclarationReader(Elements elements, Reporter reporter, PresetSources sources,
      String generatedAnnotation) {
    this.elements = elements;
    this.reporter = reporter;
    this.sources = sources;
    this.generatedAnnotation = generatedAnnotation;
  }

  public Optional<Declaration> read(TypeElement type) {
    AnnotationSite preset = site(type, BERT_PRESET);
    AnnotationSite spec = site(type, BERT_SPEC);
    AnnotationSite overrides = site(type, BERT_OVERRIDES);
    AnnotationSite declaration = preset != null ? preset : spec;
    AnnotationSite first = declaration != null ? declaration : overrides;
    if (first == null) {
      return Optional.empty();
    }
    String annotationName = "@" + simple(first.mirror());

    if (type.getKind() != ElementKind.CLASS && type.getKind() != ElementKind.INTERFACE) {
      reporter.error(Diagnostic.WRONG_ELEMENT_KIND, type, first.mirror(), null, annotationName
          + " must be on an interface or a class, not on " + article(type.getKind()) + "; declare "
          + "for example `" + annotationName + "(...) interface " + type.getSimpleName() + "Model {}`");
      return Optional.empty();
    }
    if (preset != null && spec != null) {
      reporter.error(Diagnostic.CONFLICTING_ANNOTATIONS, type, spec.mirror(), null, "has both @BertPreset "
          + "and @BertSpec; keep @BertPreset to use a preset file, or @BertSpec to declare the "
          + "architecture in Java");
      return Optional.empty();
    }
    if (declaration == null) {
      reporter.error(Diagnostic.OVERRIDES_WITHOUT_DECLARATION, type, overrides.mirror(), null,
          "@BertOverrides changes a preset, but this type has neither @BertPreset nor @BertSpec; add "
              + "@BertPreset(\"bert_tiny_en_uncased\") or a @BertSpec(...)");
      return Optional.empty();
    }

    String prefix = declaration.string("prefix");
    if (prefix.isEmpty()) {
      prefix = defaultPrefix(type);
    } else if (!SourceVersion.isIdentifier(prefix) || SourceVersion.isKeyword(prefix)) {
      reporter.error(Diagnostic.INVALID_PREFIX, type, declaration.mirror(), declaration.explicit("prefix"),
          "prefix \"" + prefix + "\" is not a Java identifier, so " + prefix + "MaskedLM cannot be a "
              + "class name; use letters, digits and '_' only, starting with a letter, e.g. \"TinyBert\"");
      return Optional.empty();
    }

    FieldSites sites = new FieldSites(declaration, spec, overrides, elements);
    Optional<LoadedSpec> loaded = preset != null ? fromPreset(type, preset) : fromSpec(type, spec, sites);
    if (loaded.isEmpty()) {
      return Optional.empty();
    }
    PresetSpec result = loaded.get().spec();
    if (overrides != null) {
      result = result.withPreprocessor(applyOverrides(result.preprocessor(), overrides));
      boolean ok = true;
      for (Problem p : SpecValidator.validate(result)) {
        // the preset itself was valid: only what the overrides changed can be wrong now
        if (p.field().startsWith("preprocessor.")) {
          FieldSites.Site s = sites.of(p.field());
          reporter.error(p.diagnostic(), type, s.mirror(), s.value(), "with @BertOverrides, " + p.message());
          ok = false;
        }
      }
      if (!ok) {
        return Optional.empty();
      }
    }
    int classes = declaration.integer("numClasses");
    TaskConfig task = result.task();
    boolean classifierPreset = task.kind() == TaskConfig.Kind.TEXT_CLASSIFIER;
    if (classes < 0 || classes > result.backbone().vocabularySize()
        || (classifierPreset && classes != 0 && classes != task.numClasses())) {
      String why = classes < 0 ? "numClasses must be at least 1 (2 for a binary classifier), or 0 for no classifier"
          : classes > result.backbone().vocabularySize() ? "numClasses " + classes + " is more than the vocabulary_size "
              + result.backbone().vocabularySize() + " of " + result.name() + ", which bounds a classifier's logits"
          : result.name() + " is a classifier of " + task.numClasses() + " classes, so its generated classifier has "
              + task.numClasses() + "; remove numClasses (or set it to " + task.numClasses() + "), or declare a "
              + "classifier of " + classes + " classes over a backbone preset such as bert_tiny_en_uncased";
      reporter.error(Diagnostic.BAD_NUM_CLASSES, type, declaration.mirror(), declaration.explicit("numClasses"),
          "numClasses = " + classes + ": " + why);
      return Optional.empty();
    }
    if (classifierPreset) {
      classes = task.numClasses();
    }
    GenerationModel model = new GenerationModel(packageOf(type), prefix, type.getQualifiedName().toString(),
        loaded.get().origin(), result, generatedAnnotation, classes);
    return Optional.of(new Declaration(type, declaration.mirror(), declaration.explicit("prefix"), model));
  }

  private record LoadedSpec(PresetSpec spec, Origin origin) {}

  private Optional<LoadedSpec> fromPreset(TypeElement type, AnnotationSite preset) {
    String name = preset.string("value");
    String resource = preset.string("resource");
    if (name.isEmpty() == resource.isEmpty()) {
      String what = name.isEmpty()
          ? "names no preset; write @BertPreset(\"bert_tiny_en_uncased\") for a built-in preset or "
              + "@BertPreset(resource = \"presets/my_bert.yaml\") for a file of your own. Built-in: "
              + String.join(", ", BuiltinPresets.names())
          : "sets both a built-in name (\"" + name + "\") and a resource (\"" + resource + "\"); keep one";
      reporter.error(Diagnostic.PRESET_SOURCE, type, preset.mirror(), null, "@BertPreset " + what);
      return Optional.empty();
    }
    if (!name.isEmpty()) {
      if (!BuiltinPresets.exists(name)) {
        reporter.error(Diagnostic.UNKNOWN_PRESET, type, preset.mirror(), preset.explicit("value"),
            "unknown preset \"" + name + "\"" + Suggestions.didYouMean(name, BuiltinPresets.names())
                + " Known presets: " + String.join(", ", BuiltinPresets.names())
                + ". For an architecture of your own use @BertPreset(resource = \"...yaml\") or @BertSpec.");
        return Optional.empty();
      }
      return Optional.of(new LoadedSpec(BuiltinPresets.get(name), new Origin.Builtin(name)));
    }
    if (resource.contains("..") || resource.contains("\\")) {
      reporter.error(Diagnostic.RESOURCE_NOT_FOUND, type, preset.mirror(), preset.explicit("resource"),
          "resource \"" + resource + "\" must be a class-path path with '/' separators and no '..', "
              + "such as \"presets/my_bert.yaml\"");
      return Optional.empty();
    }
    PresetSources.Result found = sources.find(resource);
    if (found instanceof PresetSources.NotFound nf) {
      reporter.error(Diagnostic.RESOURCE_NOT_FOUND, type, preset.mirror(), preset.explicit("resource"),
          "cannot find preset file \"" + resource + "\" (looked in " + String.join(", ", nf.looked())
              + "); put it under src/main/resources/" + stripSlash(resource) + " (Maven copies "
              + "resources to the class output before compiling) or in a jar on the compile class path");
      return Optional.empty();
    }
    PresetSources.Found f = (PresetSources.Found) found;
    PresetYaml.Result r = PresetYaml.parse(stripSlash(resource), f.text());
    if (!r.ok()) {
      for (Problem p : r.problems()) {
        reporter.error(p.diagnostic(), type, preset.mirror(), preset.explicit("resource"),
            p.location() + p.message());
      }
      return Optional.empty();
    }
    return Optional.of(new LoadedSpec(r.spec(), new Origin.Resource(stripSlash(resource))));
  }

  private Optional<LoadedSpec> fromSpec(TypeElement type, AnnotationSite spec, FieldSites sites) {
    AnnotationSite tok = spec.nested("tokenizer", elements);
    String name = spec.string("presetName");
    if (name.isEmpty()) {
      name = snake(type.getSimpleName().toString());
    }
    String description = spec.string("description");
    if (description.isEmpty()) {
      description = "BERT masked LM declared with @BertSpec on " + type.getQualifiedName();
    }
    BackboneConfig backbone = new BackboneConfig(
        spec.integer("vocabularySize"), spec.integer("numLayers"), spec.integer("numHeads"),
        spec.integer("hiddenDim"), spec.integer("intermediateDim"), spec.real("dropout"),
        spec.integer("maxSequenceLength"), spec.integer("numSegments"),
        Activation.valueOf(spec.enumConstant("hiddenActivation")), spec.real("layerNormEpsilon"),
        Activation.valueOf(spec.enumConstant("mlmHeadActivation")), spec.real("mlmHeadLayerNormEpsilon"));
    String bundled = tok.string("bundledVocabulary");
    TokenizerConfig tokenizer = new TokenizerConfig(
        TokenizerFlavor.valueOf(tok.enumConstant("flavor")), tok.bool("lowercase"), tok.bool("stripAccents"),
        tok.bool("split"), tok.bool("splitOnCjk"), tok.string("suffixIndicator"), tok.string("oovToken"),
        tok.string("clsToken"), tok.string("sepToken"), tok.string("padToken"), tok.string("maskToken"),
        TokenizerConfig.DEFAULT_VOCABULARY_ASSET, bundled.isEmpty() ? null : bundled);
    PresetSpec result = new PresetSpec(name, description, null, null, TaskConfig.maskedLm(), backbone,
        tokenizer, PreprocessorConfig.kerasHubDefaults());
    List<Problem> problems = SpecValidator.validate(result);
    for (Problem p : problems) {
      if (p.field().startsWith("preprocessor.")) {
        continue; // defaults are valid on their own; with overrides they are checked afterwards
      }
      FieldSites.Site s = sites.of(p.field());
      reporter.error(p.diagnostic(), type, s.mirror(), s.value(), p.message());
    }
    if (problems.stream().anyMatch(p -> !p.field().startsWith("preprocessor."))) {
      return Optional.empty();
    }
    return Optional.of(new LoadedSpec(result, new Origin.JavaSpec(type.getQualifiedName().toString())));
  }

  private static PreprocessorConfig applyOverrides(PreprocessorConfig p, AnnotationSite o) {
    if (o.integer("sequenceLength") != -1) {
      p = p.withSequenceLength(o.integer("sequenceLength"));
    }
    Truncation t = Truncation.valueOf(o.enumConstant("truncate"));
    if (t != Truncation.INHERIT) {
      p = p.withTruncate(t);
    }
    if (o.real("maskSelectionRate") != -1) {
      p = p.withMaskSelectionRate(o.real("maskSelectionRate"));
    }
    if (o.integer("maskSelectionLength") != -1) {
      p = p.withMaskSelectionLength(o.integer("maskSelectionLength"));
    }
    if (o.real("maskTokenRate") != -1) {
      p = p.withMaskTokenRate(o.real("maskTokenRate"));
    }
    if (o.real("randomTokenRate") != -1) {
      p = p.withRandomTokenRate(o.real("randomTokenRate"));
    }
    return p;
  }

  private AnnotationSite site(TypeElement type, String annotation) {
    for (AnnotationMirror m : type.getAnnotationMirrors()) {
      Element e = m.getAnnotationType().asElement();
      if (e instanceof TypeElement te && te.getQualifiedName().contentEquals(annotation)) {
        return new AnnotationSite(m, elements);
      }
    }
    return null;
  }

  /** {@code Outer_Inner} for nested types, the simple name otherwise. */
  static String defaultPrefix(TypeElement type) {
    StringBuilder sb = new StringBuilder(type.getSimpleName());
    Element e = type.getEnclosingElement();
    while (e instanceof TypeElement outer) {
      sb.insert(0, outer.getSimpleName() + "_");
      e = outer.getEnclosingElement();
    }
    return sb.toString();
  }

  private static String packageOf(Element e) {
    while (!(e instanceof PackageElement)) {
      e = e.getEnclosingElement();
    }
    return ((PackageElement) e).getQualifiedName().toString();
  }

  /** {@code SmallBert} → {@code small_bert}. */
  static String snake(String camel) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < camel.length(); i++) {
      char c = camel.charAt(i);
      if (Character.isUpperCase(c) && i > 0 && !Character.isUpperCase(camel.charAt(i - 1))) {
        sb.append('_');
      }
      sb.append(Character.toLowerCase(c));
    }
    return sb.toString();
  }

  private static String simple(AnnotationMirror m) {
    return m.getAnnotationType().asElement().getSimpleName().toString();
  }

  private static String stripSlash(String path) {
    return path.startsWith("/") ? path.substring(1) : path;
  }

  private static String article(ElementKind kind) {
    return switch (kind) {
      case ENUM -> "an enum";
      case ANNOTATION_TYPE -> "an annotation type";
      case RECORD -> "a record";
      default -> "a " + kind.name().toLowerCase(Locale.ROOT);
    };
  }
}
