package dev.bertgen.processor.gen;

import com.palantir.javapoet.CodeBlock;
import dev.bertgen.spec.codegen.CodeSink;

/**
 * Feeds {@link dev.bertgen.spec.codegen.MatmulSource}'s code into a JavaPoet {@link CodeBlock}, which
 * indents it with the generated file's own indentation ({@code $>}/{@code $<} in its control flow).
 */
final class CodeBlockSink implements CodeSink {
  private final CodeBlock.Builder code = CodeBlock.builder();

  @Override
  public void comment(String text) {
    code.add("// $L\n", text);
  }

  @Override
  public void statement(String statement) {
    code.addStatement("$L", statement);
  }

  @Override
  public void statements(String statements) {
    code.add("$L\n", statements);
  }

  @Override
  public void beginControlFlow(String header) {
    code.beginControlFlow("$L", header);
  }

  @Override
  public void nextControlFlow(String header) {
    code.nextControlFlow("$L", header);
  }

  @Override
  public void endControlFlow() {
    code.endControlFlow();
  }

  CodeBlock build() {
    return code.build();
  }
}
