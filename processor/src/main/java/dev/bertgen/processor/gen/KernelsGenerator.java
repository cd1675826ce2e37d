package dev.bertgen.processor.gen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.bertgen.processor.model.GenerationModel;
import dev.bertgen.spec.BackboneConfig;
import dev.bertgen.spec.codegen.MatmulSource;
import javax.lang.model.element.Modifier;

/**
 * {@code XKernels}: the runtime's kernel class specialized for one architecture. Its {@code run()}
 * inlines the register-blocked product of {@link MatmulSource} for the fixed-shape products of the
 * encoder and head, with this architecture's strides and depths as literals, and hands every other
 * operation to the runtime's shared {@code dispatch}, also with the sizes as literals. It serves
 * OpenCL devices; Java-thread mode runs the runtime's generic class.
 */
public final class KernelsGenerator {
  private KernelsGenerator() {}

  public static TypeSpec generate(GenerationModel m) {
    ClassName config = Common.className(m, m.names().config());
    BackboneConfig b = m.spec().backbone();
    int h = b.hiddenDim();
    int in = b.intermediateDim();
    int v = b.vocabularySize();
    TypeSpec.Builder type = TypeSpec.classBuilder(m.names().kernels())
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .superclass(RuntimeNames.BERT_KERNELS)
        .addJavadoc("Aparapi kernels of {@code $L} with its sizes as constants: hidden $L, $L heads of $L, "
            + "intermediate $L, vocabulary $L.\n\n<p>$L", m.spec().name(), h, b.numHeads(), b.headDim(), in, v,
            Common.origin(m));
    Common.annotate(type, m);
    type.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC).build());

    CodeBlock dispatch = CodeBlock.of("dispatch($T.HIDDEN_DIM, $T.NUM_HEADS, $T.HEAD_DIM, $T.INTERMEDIATE_DIM, "
        + "$T.VOCABULARY_SIZE);\n", config, config, config, config, config);
    MethodSpec.Builder run = MethodSpec.methodBuilder("run")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .addJavadoc("Runs on OpenCL devices; in Java-thread mode the runtime uses its generic class "
            + "(this method is too\nlarge for the JIT).\n")
        .addStatement("int g = getGlobalId(0)")
        .beginControlFlow("if (g < count)")
        .beginControlFlow("if (op == $T.DENSE_QKV)", RuntimeNames.OPS)
        .addCode(MatmulSource.siteBody("a", "p", "q", h, 3 * h, h, h))
        .nextControlFlow("else if (op == $T.DENSE_HIDDEN)", RuntimeNames.OPS)
        .addCode(MatmulSource.siteBody("a", "p", "d", h, h, h, h))
        .nextControlFlow("else if (op == $T.DENSE_UP)", RuntimeNames.OPS)
        .addCode(MatmulSource.siteBody("a", "p", "f", h, in, h, in))
        .nextControlFlow("else if (op == $T.DENSE_DOWN)", RuntimeNames.OPS)
        .addCode(MatmulSource.siteBody("f", "p", "d", in, h, in, h))
        .nextControlFlow("else if (op == $T.LOGITS)", RuntimeNames.OPS)
        .addCode(MatmulSource.siteBody("a", "a", "l", h, v, h, v, true))
        .nextControlFlow("else")
        .addCode(dispatch)
        .endControlFlow()
        .endControlFlow();
    type.addMethod(run.build());
    return type.build();
  }
}
