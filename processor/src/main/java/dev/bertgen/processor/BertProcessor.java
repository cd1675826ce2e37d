package dev.bertgen.processor;

import com.google.auto.service.AutoService;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.TypeSpec;
import dev.bertgen.processor.diag.Reporter;
import dev.bertgen.processor.gen.BackboneGenerator;
import dev.bertgen.processor.gen.Common;
import dev.bertgen.processor.gen.ConfigGenerator;
import dev.bertgen.processor.gen.KernelsGenerator;
import dev.bertgen.processor.gen.MaskedLmGenerator;
import dev.bertgen.processor.gen.PreprocessorGenerator;
import dev.bertgen.processor.gen.TextClassifierGenerator;
import dev.bertgen.processor.gen.TextClassifierPreprocessorGenerator;
import dev.bertgen.processor.model.Declaration;
import dev.bertgen.processor.model.GenerationModel;
import dev.bertgen.processor.parse.DeclarationReader;
import dev.bertgen.processor.parse.PresetSources;
import dev.bertgen.spec.Diagnostic;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;

/**
 * Generates {@code XConfig}, {@code XBackbone}, {@code XPreprocessor}, {@code XMaskedLM} and
 * {@code XKernels} for every type annotated with {@code @BertPreset} or {@code @BertSpec}.
 *
 * <p>Each type is read into an immutable model and validated first; a type with errors generates
 * nothing, and the others are still processed. Every generated file has the annotated type as its
 * only originating element (Gradle: isolating).
 *
 * <p>Options: {@code -Abertgen.verbose=true} prints a note per generated type;
 * {@code -Abertgen.generatedAnnotation=false} leaves out {@code @javax.annotation.processing.Generated}
 * (for modules that do not read {@code java.compiler}).
 */
@AutoService(Processor.class)
public final class BertProcessor extends AbstractProcessor {
  static final String OPTION_VERBOSE = "bertgen.verbose";
  static final String OPTION_GENERATED_ANNOTATION = "bertgen.generatedAnnotation";
  private static final String JAVAX_GENERATED = "javax.annotation.processing.Generated";

  private Reporter reporter;
  private DeclarationReader reader;
  /** Generated class name → the declaration it was generated for, over all rounds. */
  private final Map<String, String> generatedSoFar = new HashMap<>();

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return Set.of(DeclarationReader.BERT_PRESET, DeclarationReader.BERT_SPEC, DeclarationReader.BERT_OVERRIDES);
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public Set<String> getSupportedOptions() {
    return Set.of(OPTION_VERBOSE, OPTION_GENERATED_ANNOTATION);
  }

  @Override
  public synchronized void init(ProcessingEnvironment env) {
    super.init(env);
    boolean verbose = Boolean.parseBoolean(env.getOptions().getOrDefault(OPTION_VERBOSE, "false"));
    String generatedOption = env.getOptions().getOrDefault(OPTION_GENERATED_ANNOTATION, "true");
    reporter = new Reporter(env.getMessager(), verbose);
    if (!generatedOption.equals("true") && !generatedOption.equals("false")) {
      env.getMessager().printMessage(javax.tools.Diagnostic.Kind.WARNING, "[BertGen] -A"
          + OPTION_GENERATED_ANNOTATION + "=" + generatedOption + " is neither true nor false; using true");
    }
    boolean wantGenerated = !generatedOption.equals("false");
    String generated = wantGenerated && env.getSourceVersion().compareTo(SourceVersion.RELEASE_8) > 0
        && env.getElementUtils().getTypeElement(JAVAX_GENERATED) != null ? JAVAX_GENERATED : null;
    reader = new DeclarationReader(env.getElementUtils(), reporter, new PresetSources(env.getFiler()), generated);
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    // every annotated type once, in a stable order
    Map<String, TypeElement> types = new java.util.TreeMap<>();
    for (TypeElement annotation : annotations) {
      for (Element e : round.getElementsAnnotatedWith(annotation)) {
        if (e instanceof TypeElement te) {
          types.put(te.getQualifiedName().toString(), te);
        }
      }
    }
    List<Declaration> declarations = new ArrayList<>();
    for (TypeElement type : types.values()) {
      try {
        reader.read(type).ifPresent(declarations::add);
      } catch (RuntimeException | Error e) {
        reporter.exception(type, e);
      }
    }
    for (Declaration d : withoutNameClashes(declarations)) {
      try {
        generate(d);
      } catch (RuntimeException | Error e) {
        reporter.exception(d.type(), e);
      }
    }
    return false;
  }

  /** Reports declarations whose generated names collide, and returns the others. */
  private List<Declaration> withoutNameClashes(List<Declaration> declarations) {
    Map<String, List<Declaration>> byName = new LinkedHashMap<>();
    for (Declaration d : declarations) {
      for (String simple : d.model().generatedNames()) {
        byName.computeIfAbsent(d.model().packageName() + "." + simple, k -> new ArrayList<>()).add(d);
      }
    }
    Set<Declaration> clashing = new java.util.LinkedHashSet<>();
    for (Map.Entry<String, List<Declaration>> e : byName.entrySet()) {
      String name = e.getKey();
      List<Declaration> ds = e.getValue();
      String earlier = generatedSoFar.get(name);
      Optional<String> existing = existingNotOurs(name, ds.get(0));
      if (ds.size() > 1 || earlier != null || existing.isPresent()) {
        Set<String> others = new TreeSet<>();
        ds.forEach(d -> others.add(d.type().getQualifiedName().toString()));
        if (earlier != null) {
          others.add(earlier);
        }
        existing.ifPresent(others::add);
        for (Declaration d : ds) {
          if (clashing.add(d)) {
            Set<String> rest = new TreeSet<>(others);
            rest.remove(d.type().getQualifiedName().toString());
            String with = existing.isPresent() && rest.equals(Set.of(existing.get()))
                ? "the existing class " + existing.get()
                : String.join(" and ", rest);
            reporter.error(Diagnostic.DUPLICATE_CLASS_NAME, d.type(), d.annotation(), d.prefixValue(),
                "would generate " + name + ", which clashes with " + with + "; give one of them another "
                    + "prefix, e.g. prefix = \"" + d.model().prefix() + "2\"");
          }
        }
      }
    }
    List<Declaration> ok = new ArrayList<>(declarations);
    ok.removeAll(clashing);
    ok.sort(Comparator.comparing(d -> d.type().getQualifiedName().toString()));
    return ok;
  }

  /** A type named {@code name} that the user wrote, or that BertGen generated for another declaration. */
  private Optional<String> existingNotOurs(String name, Declaration d) {
    TypeElement existing = processingEnv.getElementUtils().getTypeElement(name);
    if (existing == null) {
      return Optional.empty();
    }
    for (AnnotationMirror m : existing.getAnnotationMirrors()) {
      if (((TypeElement) m.getAnnotationType().asElement()).getQualifiedName()
          .contentEquals("dev.bertgen.dsl.BertGenerated")) {
        for (Map.Entry<? extends ExecutableElement, ? extends Object> v : m.getElementValues().entrySet()) {
          if (v.getKey().getSimpleName().contentEquals("source")
              && String.valueOf(((javax.lang.model.element.AnnotationValue) v.getValue()).getValue())
                  .equals(d.type().getQualifiedName().toString())) {
            return Optional.empty(); // generated for this very declaration by an earlier compilation
          }
        }
      }
    }
    return Optional.of(name);
  }

  private void generate(Declaration d) {
    GenerationModel m = d.model();
    List<TypeSpec> types = new ArrayList<>(List.of(
        ConfigGenerator.generate(m),
        BackboneGenerator.generate(m),
        PreprocessorGenerator.generate(m),
        MaskedLmGenerator.generate(m),
        KernelsGenerator.generate(m),
        KernelsGenerator.generateGpu(m)));
    if (m.hasClassifier()) {
      types.add(TextClassifierPreprocessorGenerator.generate(m));
      types.add(TextClassifierGenerator.generate(m));
    }
    List<String> written = new ArrayList<>();
    for (TypeSpec t : types) {
      JavaFile file = Common.file(m, t.toBuilder().addOriginatingElement(d.type()).build());
      try {
        file.writeTo(processingEnv.getFiler());
        generatedSoFar.put(m.packageName() + "." + t.name(), d.type().getQualifiedName().toString());
        written.add(m.packageName() + "." + t.name());
      } catch (IOException e) {
        reporter.error(Diagnostic.PROCESSOR_EXCEPTION, d.type(), d.annotation(), null, "cannot write "
            + m.packageName() + "." + t.name() + ": " + e.getMessage() + "; check that the generated "
            + "sources folder is writable and that no other processor writes the same class");
      }
    }
    reporter.note(d.type(), "wrote " + String.join(", ", written));
  }
}
