package dev.bertgen.processor.gen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.bertgen.processor.model.GenerationModel;
import dev.bertgen.spec.BackboneConfig;
import dev.bertgen.spec.codegen.MatmulSource;
import java.util.Locale;
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
    int qkvWidth = 3 * h;
    MethodSpec.Builder run = MethodSpec.methodBuilder("run")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .addJavadoc("Runs on OpenCL devices; in Java-thread mode the runtime uses its generic class "
            + "(this method is too\nlarge for the JIT).\n")
        .addStatement("int g = getGlobalId(0)")
        .beginControlFlow("if (g < count)")
        .beginControlFlow("if (op == $T.DENSE_QKV)", RuntimeNames.OPS)
        .addCode(site(String.format(Locale.ROOT, "query|key|value [tokens x %d] = x [tokens x %d] . Wq|Wk|Wv "
            + "[%d x %d each] + bq|bk|bv", qkvWidth, h, h, h), "activations", "parameters", "qkv", h, qkvWidth, h, h,
            false))
        .nextControlFlow("else if (op == $T.DENSE_HIDDEN)", RuntimeNames.OPS)
        .addCode(site(String.format(Locale.ROOT, "attention output, or the MLM head's dense layer [rows x %d] = "
            + "x [rows x %d] . W [%d x %d] + b", h, h, h, h), "activations", "parameters", "dense", h, h, h, h, false))
        .nextControlFlow("else if (op == $T.DENSE_UP)", RuntimeNames.OPS)
        .addCode(site(String.format(Locale.ROOT, "feed-forward intermediate [tokens x %d] = x [tokens x %d] . "
            + "Wup [%d x %d] + b (the activation is a separate launch)", in, h, h, in), "activations", "parameters",
            "feedForward", h, in, h, in, false))
        .nextControlFlow("else if (op == $T.DENSE_DOWN)", RuntimeNames.OPS)
        .addCode(site(String.format(Locale.ROOT, "feed-forward output [tokens x %d] = intermediate [tokens x %d] "
            + ". Wdown [%d x %d] + b", h, in, in, h), "feedForward", "parameters", "dense", in, h, in, h, false))
        .nextControlFlow("else if (op == $T.LOGITS)", RuntimeNames.OPS)
        .addCode(site(String.format(Locale.ROOT, "logits [mask rows x %d] = x [mask rows x %d] . token "
            + "embedding^T [%d x %d] (a transposed copy in activations) + b", v, h, h, v), "activations",
            "activations", "logits", h, v, h, v, true))
        .nextControlFlow("else")
        .addCode(dispatch)
        .endControlFlow()
        .endControlFlow();
    type.addMethod(run.build());
    return type.build();
  }

  /**
   * {@code XGpuKernels}: the runtime's GPU kernel family ({@code GpuBertKernels}: products as tiles
   * through local memory) with this architecture's sizes as constants. The tiled product stages its
   * operands through local memory, so its strides matter less than on a CPU; the constants still reach
   * the OpenCL compiler as literals (the loop bounds of every other operation, the depth of each product).
   */
  public static TypeSpec generateGpu(GenerationModel m) {
    ClassName config = Common.className(m, m.names().config());
    BackboneConfig b = m.spec().backbone();
    TypeSpec.Builder type = TypeSpec.classBuilder(m.names().gpuKernels())
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .superclass(RuntimeNames.GPU_BERT_KERNELS)
        .addJavadoc("Aparapi kernels of {@code $L} in the GPU family (products as tiles through local memory), "
            + "with its sizes as constants:\nhidden $L, $L heads of $L, intermediate $L, vocabulary $L.\n\n<p>$L",
            m.spec().name(), b.hiddenDim(), b.numHeads(), b.headDim(), b.intermediateDim(), b.vocabularySize(),
            Common.origin(m));
    Common.annotate(type, m);
    type.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC).build());
    type.addMethod(MethodSpec.methodBuilder("run")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .addJavadoc("Runs on OpenCL devices only (barriers).\n")
        .addStatement("gpuDispatch($T.HIDDEN_DIM, $T.NUM_HEADS, $T.HEAD_DIM, $T.INTERMEDIATE_DIM, $T.VOCABULARY_SIZE)",
            config, config, config, config, config)
        .build());
    return type.build();
  }

  /** One inlined product site of {@code run()}; see {@link MatmulSource#site}. */
  private static CodeBlock site(String what, String xs, String ws, String ys, int k, int n, int ldx, int groupWidth,
      boolean rowsFastest) {
    CodeBlockSink sink = new CodeBlockSink();
    MatmulSource.site(sink, what, xs, ws, ys, k, n, ldx, groupWidth, rowsFastest);
    return sink.build();
  }
}
