package dev.bertgen.processor.gen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.bertgen.processor.model.GenerationModel;
import javax.lang.model.element.Modifier;

/**
 * {@code XMaskedLM}: a {@code BertMaskedLM} whose architecture is fixed at build time, with
 * {@code create()} and {@code fromPreset(...)} that refuse presets of another architecture.
 */
public final class MaskedLmGenerator {
  private MaskedLmGenerator() {}

  public static TypeSpec generate(GenerationModel m) {
    ClassName self = Common.className(m, m.names().maskedLm());
    ClassName config = Common.className(m, m.names().config());
    ClassName backbone = Common.className(m, m.names().backbone());
    ClassName preprocessor = Common.className(m, m.names().preprocessor());
    TypeSpec.Builder type = TypeSpec.classBuilder(self)
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .superclass(RuntimeNames.BERT_MASKED_LM)
        .addJavadoc("keras-hub's {@code BertMaskedLM} for {@code $L} ($L layers, hidden $L, $L heads, "
            + "$L parameters).\n\n<p>$L", m.spec().name(), m.spec().backbone().numLayers(),
            m.spec().backbone().hiddenDim(), m.spec().backbone().numHeads(),
            m.spec().backbone().parameterCount() + m.spec().backbone().maskedLmHeadParameterCount(),
            Common.origin(m));
    Common.annotate(type, m);
    type.addField(FieldSpec.builder(RuntimeNames.SPECIALIZATION, "SPECIALIZATION", Modifier.PUBLIC,
            Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("This class's preset and kernels, as the runtime needs them: {@link $T#SPECIALIZATION}.\n",
            backbone)
        .initializer("$T.SPECIALIZATION", backbone)
        .build());
    type.addMethod(MethodSpec.constructorBuilder()
        .addModifiers(Modifier.PRIVATE)
        .addParameter(RuntimeNames.MODEL_STATE, "state")
        .addStatement("super(new $T(state), state, $T.of(state.tokenizer()))", backbone, preprocessor)
        .build());
    type.addMethod(MethodSpec.methodBuilder("create")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(self)
        .addJavadoc("A new model initialized as keras-hub initializes it, with the default seed; no "
            + "download.\n")
        .addStatement("return create($T.DEFAULT_SEED)", RuntimeNames.PRESET_OPTIONS)
        .build());
    type.addMethod(MethodSpec.methodBuilder("create")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(self)
        .addParameter(long.class, "seed")
        .addJavadoc("A new model initialized as keras-hub initializes it, from {@code seed}.\n")
        .addStatement("return new $T($T.initialize(SPECIALIZATION, seed, true))", self, RuntimeNames.MODEL_STATE)
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
        .addJavadoc("Loads {@code source} (a directory, {@code kaggle://}, {@code hf://} or a preset "
            + "name),\nwhich must have this class's architecture.\n\n"
            + "@throws dev.bertgen.presets.PresetException when it has another architecture, naming "
            + "both\n")
        .addStatement("return fromPreset(source, $T.defaults())", RuntimeNames.PRESET_OPTIONS)
        .build());
    type.addMethod(MethodSpec.methodBuilder("fromPreset")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(self)
        .addParameter(String.class, "source")
        .addParameter(RuntimeNames.PRESET_OPTIONS, "options")
        .addJavadoc("Loads {@code source} with {@code options}; see {@link #fromPreset(String)}.\n")
        .addStatement("return new $T($T.load(source, options, SPECIALIZATION, true))", self,
            RuntimeNames.PRESET_LOADER)
        .build());
    type.addMethod(MethodSpec.methodBuilder("backbone")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(backbone)
        .addStatement("return ($T) super.backbone()", backbone)
        .build());
    return type.build();
  }
}
