package dev.bertgen.processor.gen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.bertgen.processor.model.GenerationModel;
import javax.lang.model.element.Modifier;

/**
 * {@code XKernels}: the runtime's kernel class specialized for one architecture. Its {@code run()}
 * calls the shared {@code dispatch} with the sizes as compile-time constants, which javac inlines as
 * literals, so Aparapi's OpenCL code has constant loop bounds.
 */
public final class KernelsGenerator {
  private KernelsGenerator() {}

  public static TypeSpec generate(GenerationModel m) {
    ClassName config = Common.className(m, m.names().config());
    TypeSpec.Builder type = TypeSpec.classBuilder(m.names().kernels())
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .superclass(RuntimeNames.BERT_KERNELS)
        .addJavadoc("Aparapi kernels of {@code $L} with its sizes as constants.\n\n<p>$L",
            m.spec().name(), Common.origin(m));
    Common.annotate(type, m);
    type.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC).build());
    type.addMethod(MethodSpec.methodBuilder("run")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .addStatement("dispatch($T.HIDDEN_DIM, $T.NUM_HEADS, $T.HEAD_DIM, $T.INTERMEDIATE_DIM, "
            + "$T.VOCABULARY_SIZE)", config, config, config, config, config)
        .build());
    return type.build();
  }
}
