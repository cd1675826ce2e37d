package dev.bertgen.processor.gen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.bertgen.processor.model.GenerationModel;
import javax.lang.model.element.Modifier;

/**
 * {@code XTextClassifier}: a {@code BertTextClassifier} whose architecture and number of classes are
 * fixed at build time. For a classifier preset it loads the preset's own head; for a backbone preset
 * asked for a classifier ({@code numClasses}) it puts a fresh head on the loaded backbone.
 */
public final class TextClassifierGenerator {
  private TextClassifierGenerator() {}

  public static TypeSpec generate(GenerationModel m) {
    ClassName self = Common.className(m, m.names().textClassifier());
    ClassName config = Common.className(m, m.names().config());
    ClassName backbone = Common.className(m, m.names().backbone());
    ClassName preprocessor = Common.className(m, m.names().textClassifierPreprocessor());
    boolean saved = m.classifierPreset();
    TypeSpec.Builder type = TypeSpec.classBuilder(self)
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .superclass(RuntimeNames.BERT_TEXT_CLASSIFIER)
        .addJavadoc("keras-hub's {@code BertTextClassifier} for {@code $L} ($L classes; $L layers, hidden $L, $L "
            + "heads).\n\n<p>$L\n\n<p>$L", m.spec().name(), m.classifierClasses(), m.spec().backbone().numLayers(),
            m.spec().backbone().hiddenDim(), m.spec().backbone().numHeads(),
            saved ? "{@code fromPreset} loads the classifier head the preset saved."
                : "{@code fromPreset} loads a preset's backbone and puts a fresh head of {@link #NUM_CLASSES} "
                    + "classes on it.",
            Common.origin(m));
    Common.annotate(type, m);
    type.addField(FieldSpec.builder(RuntimeNames.SPECIALIZATION, "SPECIALIZATION", Modifier.PUBLIC,
            Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("This class's preset and kernels, as the runtime needs them: {@link $T#SPECIALIZATION}.\n",
            backbone)
        .initializer("$T.SPECIALIZATION", backbone)
        .build());
    type.addField(FieldSpec.builder(int.class, "NUM_CLASSES", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("The number of classes.\n")
        .initializer("$L", m.classifierClasses())
        .build());
    type.addMethod(MethodSpec.constructorBuilder()
        .addModifiers(Modifier.PRIVATE)
        .addParameter(RuntimeNames.CLASSIFIER_STATE, "state")
        .addStatement("super(new $T(state.model()), state, $T.of(state.model().tokenizer()))", backbone,
            preprocessor)
        .build());
    type.addMethod(MethodSpec.methodBuilder("create")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(self)
        .addJavadoc("A new classifier initialized as keras-hub initializes it, with the default seed; no "
            + "download.\n")
        .addStatement("return create($T.DEFAULT_SEED)", RuntimeNames.PRESET_OPTIONS)
        .build());
    type.addMethod(MethodSpec.methodBuilder("create")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(self)
        .addParameter(long.class, "seed")
        .addJavadoc("A new classifier initialized as keras-hub initializes it, from {@code seed}.\n")
        .addStatement("return new $T($T.initialize(SPECIALIZATION, seed, NUM_CLASSES))", self,
            RuntimeNames.CLASSIFIER_STATE)
        .build());
    if (m.spec().kaggleHandle() != null) {
      type.addMethod(MethodSpec.methodBuilder("fromPreset")
          .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
          .returns(self)
          .addJavadoc("Loads this preset's own weights from {@link $T#KAGGLE_HANDLE}.\n", config)
          .addStatement("return fromPreset($T.KAGGLE_HANDLE)", config)
          .build());
    }
    type.addMethod(MethodSpec.methodBuilder("fromPreset")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(self)
        .addParameter(String.class, "source")
        .addJavadoc("Loads {@code source} (a directory, {@code kaggle://}, {@code hf://} or a preset name),\n"
            + "which must have this class's architecture$L.\n\n"
            + "@throws dev.bertgen.presets.PresetException when it has another architecture$L\n",
            saved ? " and be a classifier of {@link #NUM_CLASSES} classes" : "",
            saved ? ",\n    no classifier head, or a head of another number of classes" : "")
        .addStatement("return fromPreset(source, $T.defaults())", RuntimeNames.PRESET_OPTIONS)
        .build());
    MethodSpec.Builder load = MethodSpec.methodBuilder("fromPreset")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(self)
        .addParameter(String.class, "source")
        .addParameter(RuntimeNames.PRESET_OPTIONS, "options")
        .addJavadoc("Loads {@code source} with {@code options}; see {@link #fromPreset(String)}.\n");
    if (saved) {
      // The saved head's class count is known only once loaded; NUM_CLASSES must stay true of every instance.
      load.addStatement("$T state = $T.load(source, options, SPECIALIZATION, null)", RuntimeNames.CLASSIFIER_STATE,
              RuntimeNames.CLASSIFIER_STATE)
          .beginControlFlow("if (state.head().numClasses() != NUM_CLASSES)")
          .addStatement("throw new $T($T.ARCHITECTURE_MISMATCH, source + $S\n+ state.head().numClasses() + $S\n"
              + "+ NUM_CLASSES + $S + source + $S)", RuntimeNames.PRESET_EXCEPTION, RuntimeNames.DIAGNOSTIC,
              " is a classifier of ", " classes, but " + self.simpleName() + " was generated for ",
              "; load it with BertTextClassifier.fromPreset(\"", "\"), which accepts any number of classes")
          .endControlFlow()
          .addStatement("return new $T(state)", self);
    } else {
      load.addStatement("return new $T($T.load(source, options, SPECIALIZATION, NUM_CLASSES))", self,
          RuntimeNames.CLASSIFIER_STATE);
    }
    type.addMethod(load.build());
    type.addMethod(MethodSpec.methodBuilder("backbone")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(backbone)
        .addStatement("return ($T) super.backbone()", backbone)
        .build());
    return type.build();
  }
}
