package dev.bertgen.processor.gen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.bertgen.processor.model.GenerationModel;
import javax.lang.model.element.Modifier;

/** {@code XBackbone}: a {@code BertBackbone} bound to the generated kernel class. */
public final class BackboneGenerator {
  private BackboneGenerator() {}

  public static TypeSpec generate(GenerationModel m) {
    ClassName self = Common.className(m, m.names().backbone());
    ClassName kernels = Common.className(m, m.names().kernels());
    ClassName config = Common.className(m, m.names().config());
    // the masked LM's name only as text (messages name the class users load with): no dependency on it
    ClassName maskedLm = Common.className(m, m.names().maskedLm());
    TypeSpec.Builder type = TypeSpec.classBuilder(self)
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .superclass(RuntimeNames.BERT_BACKBONE)
        .addJavadoc("The {@code $L} backbone, running on {@link $T}.\n\n<p>$L", m.spec().name(), kernels,
            Common.origin(m));
    Common.annotate(type, m);
    type.addField(FieldSpec.builder(RuntimeNames.KERNEL_FACTORY, "KERNELS", Modifier.PUBLIC,
            Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("Makes this architecture's specialized kernel object, of the device's kernel family.\n")
        .initializer("(config, family) -> family == $T.GPU ? new $T() : new $T()", RuntimeNames.KERNEL_FAMILY,
            Common.className(m, m.names().gpuKernels()), kernels)
        .build());
    type.addField(FieldSpec.builder(RuntimeNames.SPECIALIZATION, "SPECIALIZATION", Modifier.PUBLIC,
            Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("This architecture's preset and kernels, as the runtime needs them (also\n"
            + "{@code $L.SPECIALIZATION}).\n", maskedLm.simpleName())
        .initializer("new $T($T.SPEC, $S, KERNELS)", RuntimeNames.SPECIALIZATION, config,
            maskedLm.canonicalName())
        .build());
    type.addMethod(MethodSpec.constructorBuilder()
        .addParameter(RuntimeNames.MODEL_STATE, "state")
        .addStatement("super(state, KERNELS)")
        .build());
    type.addMethod(MethodSpec.methodBuilder("create")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(self)
        .addJavadoc("A backbone initialized as keras-hub initializes it, with the default seed.\n")
        .addStatement("return create($T.DEFAULT_SEED)", RuntimeNames.PRESET_OPTIONS)
        .build());
    type.addMethod(MethodSpec.methodBuilder("create")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(self)
        .addParameter(long.class, "seed")
        .addJavadoc("A backbone initialized as keras-hub initializes it, from {@code seed}.\n")
        .addStatement("return new $T($T.initialize(SPECIALIZATION, seed, false))", self,
            RuntimeNames.MODEL_STATE)
        .build());
    return type.build();
  }
}
