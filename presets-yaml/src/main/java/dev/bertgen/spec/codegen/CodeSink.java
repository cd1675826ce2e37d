package dev.bertgen.spec.codegen;

/**
 * Receives Java code statement by statement from {@link MatmulSource}; the receiver owns the
 * indentation. The runtime's generated {@code ProductKernels} file is written as plain text with
 * two spaces per level; the processor feeds a JavaPoet {@code CodeBlock.Builder}, which indents the
 * sites of a generated {@code run()} with its own control flow.
 */
public interface CodeSink {

  /** A line comment, {@code // text}. */
  void comment(String text);

  /** One statement; the sink adds the {@code ;}. */
  void statement(String code);

  /** Several short statements kept on one line, each already ending in {@code ;}. */
  void statements(String code);

  /** Opens a block: the header, e.g. {@code for (int kk = 0; kk < k; kk++)}, and an opening brace. */
  void beginControlFlow(String header);

  /** Closes a block and opens the next with the header, e.g. {@code else}. */
  void nextControlFlow(String header);

  /** Closes a block. */
  void endControlFlow();
}
