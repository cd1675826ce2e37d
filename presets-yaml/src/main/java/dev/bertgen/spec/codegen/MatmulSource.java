package dev.bertgen.spec.codegen;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Java source of BertGen's register-blocked matrix product, written in one place: the runtime's
 * {@code ProductKernels} class (helpers {@code gemmBlock} and {@code gemmBlockTransposedX}) is this
 * class's {@link #productKernels()} text (a runtime test regenerates and compares the whole file),
 * and the kernel class the processor generates for a preset inlines {@link #block} with the preset's
 * sizes as literals in its {@code run()} ({@link #site}).
 *
 * <p>Why inline with literals: Aparapi translates every Java method to an OpenCL function and the
 * OpenCL compiler does not inline large ones; PoCL compiles the 16×8 block to several times faster
 * code when it sits in the kernel entry with constant strides than as a helper with run-time strides
 * (the forward benchmark's generated and generic columns in BENCHMARKS.md).
 *
 * <p>The code names the kernel's arrays and argument fields as the runtime's
 * {@code dev.bertgen.compute.KernelArguments} declares them ({@link #PARAMETERS}, {@code i0}...).
 */
public final class MatmulSource {
  private MatmulSource() {}

  /** Rows of one register block. */
  public static final int ROWS = 16;
  /** Columns of one register block (contiguous in W and Y, so the compiler vectorizes them). */
  public static final int COLS = 8;
  /** The kernel's parameter arena (weights; the block reads its bias there). */
  public static final String PARAMETERS = "parameters";
  /** Path of the generated runtime file, relative to the runtime module. */
  public static final String PRODUCT_KERNELS_PATH = "src/main/java/dev/bertgen/compute/ProductKernels.java";

  /**
   * Statements computing one full block {@code Y = alpha·X·W + bias}; the activation, if any, is a
   * separate pass. The caller has declared {@code int x, w, y, bias} and {@code float alpha}: the
   * block's first X row, W column and Y element, and the bias of its first column in
   * {@link #PARAMETERS} (or -1). Strides and depth are Java expressions: literals where the caller
   * knows them. The block calls no method: on PoCL a call in it (even to a small activation)
   * keeps the compiler from vectorizing the block.
   */
  public static void block(CodeSink s, String xs, String ldx, String ws, String ldw, String ys, String ldy,
      String k) {
    block(s, xs, ldx, ws, ldw, ys, ldy, k, false);
  }

  /**
   * {@link #block}, or with {@code transposedX} the block of {@code Y = alpha·Xᵀ·W + bias} for X stored
   * (K×M) with row stride {@code ldx}: a weight gradient {@code dW = Xᵀ·dY} read straight from the
   * activations X (tokens×features), the block's 16 X values of one step contiguous.
   */
  public static void block(CodeSink s, String xs, String ldx, String ws, String ldw, String ys, String ldy,
      String k, boolean transposedX) {
    s.comment("acc{i}_{j}: the running sum of row i, column j of this " + ROWS + " x " + COLS + " block of Y");
    for (int i = 0; i < ROWS; i++) {
      List<String> line = new ArrayList<>();
      for (int j = 0; j < COLS; j++) {
        line.add(String.format(Locale.ROOT, "float acc%d_%d = 0f;", i, j));
      }
      s.statements(String.join(" ", line));
    }
    s.beginControlFlow("for (int kk = 0; kk < " + k + "; kk++)");
    s.comment("w{j}: W[kk][column j]; x{i}: X[row i][kk]" + (transposedX ? " (X stored transposed: X^T[kk][row i])" : ""));
    s.statement("int wi = w + kk * " + ldw);
    for (int j = 0; j < COLS; j++) {
      s.statement(String.format(Locale.ROOT, "float w%d = %s[wi + %d]", j, ws, j));
    }
    s.statement(transposedX ? "int xi = x + kk * " + ldx : "int xi = x + kk");
    for (int i = 0; i < ROWS; i++) {
      s.statement(i == 0 ? "float x0 = " + xs + "[xi]"
          : transposedX ? String.format(Locale.ROOT, "float x%d = %s[xi + %d]", i, xs, i)
          : String.format(Locale.ROOT, "float x%d = %s[xi + %d * %s]", i, xs, i, ldx));
      List<String> line = new ArrayList<>();
      for (int j = 0; j < COLS; j++) {
        line.add(String.format(Locale.ROOT, "acc%d_%d += x%d * w%d;", i, j, i, j));
      }
      s.statements(String.join(" ", line));
    }
    s.endControlFlow();
    s.comment("b{j}: the bias of column j (0 without bias)");
    List<String> biases = new ArrayList<>();
    for (int j = 0; j < COLS; j++) {
      biases.add(String.format(Locale.ROOT, "float b%d = 0f;", j));
    }
    s.statements(String.join(" ", biases));
    s.beginControlFlow("if (bias >= 0)");
    for (int j = 0; j < COLS; j++) {
      s.statement(String.format(Locale.ROOT, "b%d = %s[bias + %d]", j, PARAMETERS, j));
    }
    s.endControlFlow();
    s.comment("y{i}: where row i of the block starts in Y");
    for (int i = 0; i < ROWS; i++) {
      s.statement(i == 0 ? "int y0 = y" : String.format(Locale.ROOT, "int y%d = y + %d * %s", i, i, ldy));
      List<String> line = new ArrayList<>();
      for (int j = 0; j < COLS; j++) {
        line.add(String.format(Locale.ROOT, "%s[y%d + %d] = alpha * acc%d_%d + b%d;", ys, i, j, i, j, j));
      }
      s.statements(String.join(" ", line));
    }
  }

  /**
   * The whole text of the runtime's {@code dev.bertgen.compute.ProductKernels}: the block as the
   * helpers {@code gemmBlock} and {@code gemmBlockTransposedX}, strides and depth as parameters.
   * Regenerate the file with {@code BERTGEN_UPDATE_GOLDENS=true} and the runtime's
   * {@code MatmulSourceTest}, or with {@link #main}.
   */
  public static String productKernels() {
    JavaText t = new JavaText(2);
    block(t, "xs", "ldx", "ws", "ldw", "ys", "ldy", "k");
    String plain = t.text();
    t = new JavaText(2);
    block(t, "xs", "ldx", "ws", "ldw", "ys", "ldy", "k", true);
    String transposed = t.text();
    return "// GENERATED by dev.bertgen.spec.codegen.MatmulSource.productKernels(): do not edit by hand.\n"
        + "// Regenerate: BERTGEN_UPDATE_GOLDENS=true mvn -B -pl runtime -am test -Dtest=MatmulSourceTest\n"
        + "//   -Dsurefire.failIfNoSpecifiedTests=false (the test compares this whole file with MatmulSource).\n"
        + "package dev.bertgen.compute;\n"
        + "\n"
        + "/**\n"
        + " * The register-blocked matrix products: one " + ROWS + " x " + COLS + " block of Y per call, "
        + "with strides and depth as\n"
        + " * parameters. Generated from {@code dev.bertgen.spec.codegen.MatmulSource}, which the\n"
        + " * processor also inlines, with a preset's sizes as literals, in the {@code run()} of the kernel\n"
        + " * class it generates.\n"
        + " */\n"
        + "public abstract class ProductKernels extends KernelArguments {\n"
        + "\n"
        + "  ProductKernels() {}\n"
        + "\n"
        + "  /**\n"
        + "   * One " + ROWS + " x " + COLS + " block of {@code Y = alpha * X.W + bias}, all rows and "
        + "columns in range: X\n"
        + "   * from offset x (row stride ldx), W from offset w, the block's first column (row stride\n"
        + "   * ldw), Y from offset y (row stride ldy), bias the offset of the block's first bias in\n"
        + "   * {@link #parameters} or -1, k the depth.\n"
        + "   */\n"
        + "  protected final void gemmBlock(float[] xs, int x, int ldx, float[] ws, int w, int ldw, float[] ys, "
        + "int y,\n      int ldy, int bias, float alpha, int k) {\n"
        + plain
        + "  }\n"
        + "\n"
        + "  /**\n"
        + "   * One " + ROWS + " x " + COLS + " block of {@code Y = alpha * X^T.W + bias}, X stored (K x M) "
        + "from offset x with row\n"
        + "   * stride ldx; other arguments as for {@link #gemmBlock}.\n"
        + "   */\n"
        + "  protected final void gemmBlockTransposedX(float[] xs, int x, int ldx, float[] ws, int w, int ldw, "
        + "float[] ys,\n      int y, int ldy, int bias, float alpha, int k) {\n"
        + transposed
        + "  }\n"
        + "}\n";
  }

  /**
   * Writes {@link #productKernels()} to {@code args[0]}, by default the runtime module's
   * {@value #PRODUCT_KERNELS_PATH} under the current directory.
   */
  public static void main(String[] args) throws java.io.IOException {
    java.nio.file.Path path = java.nio.file.Path.of(args.length > 0 ? args[0] : "runtime/" + PRODUCT_KERNELS_PATH);
    java.nio.file.Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
    java.nio.file.Files.writeString(tmp, productKernels(), java.nio.charset.StandardCharsets.UTF_8);
    java.nio.file.Files.move(tmp, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * One specialized product site of {@code run()} for work-item {@code g}, starting with the comment
   * {@code what}: the launch's argument fields as named locals, then, when the work-item's block is
   * whole, the block inline with literal strides; otherwise the runtime's general {@code gemm}
   * helper. Arguments come from the kernel's fields as for {@code Ops.DENSE_FROM_HIDDEN}; the
   * activation, if any, is a separate launch.
   *
   * @param what what the product computes, in the model's terms (one line)
   * @param xs the X array ({@code activations} or {@code feedForward})
   * @param ws the W array ({@code parameters} or {@code activations})
   * @param ys the Y array, written from offset 0 (a literal base, which PoCL compiles to much faster code)
   * @param k the depth K
   * @param n the number of columns N
   * @param ldx X's row stride
   * @param groupWidth width of W's column groups (N when W is one matrix); also W's row stride
   * @param rowsFastest neighbouring work-items take the row blocks of one column block (rather than
   *     the column blocks of one row block), so a W far larger than the cache (the logits' transposed
   *     embedding, V columns) is read from memory once instead of once per row block
   */
  public static void site(CodeSink s, String what, String xs, String ws, String ys, int k, int n, int ldx,
      int groupWidth, boolean rowsFastest) {
    int colBlocks = (n + COLS - 1) / COLS;
    long groupStride = (long) k * groupWidth;
    s.comment(what);
    s.comment("the launch's arguments (see Ops.DENSE_FROM_HIDDEN)");
    s.statement("int xStart = i0");
    s.statement("int weightStart = i2");
    s.statement("int biasStart = i6");
    s.statement("int rows = i8");
    s.statement("float alpha = f0");
    if (rowsFastest) {
      s.statement("int xRowStride = i1");
      s.statement("int yStart = i4");
      s.statement("int yRowStride = i5");
    }
    s.comment("this work-item's block of Y: rows r0.., columns c0.. (column block cb)");
    if (groupWidth != n) {
      s.comment("W's columns come in groups, one matrix each: column c0 is column cIn of group grp");
    }
    if (rowsFastest) {
      s.statement("int rowBlocks = (rows + " + (ROWS - 1) + ") / " + ROWS);
      s.statement("int cb = g / rowBlocks");
      s.statement("int r0 = (g - cb * rowBlocks) * " + ROWS);
    } else {
      s.statement("int cb = g % " + colBlocks);
      s.statement("int r0 = (g / " + colBlocks + ") * " + ROWS);
    }
    s.statement("int c0 = cb * " + COLS);
    if (groupWidth == n) {
      s.statement("int grp = 0");
      s.statement("int cIn = c0");
    } else {
      s.statement("int grp = c0 / " + groupWidth);
      s.statement("int cIn = c0 - grp * " + groupWidth);
    }
    s.beginControlFlow("if (r0 + " + ROWS + " <= rows && cIn + " + COLS + " <= " + groupWidth + " && c0 + " + COLS
        + " <= " + n + ")");
    s.statement("int x = xStart + r0 * " + ldx);
    s.statement("int w = weightStart + grp * " + groupStride + " + cIn");
    s.statement("int y = r0 * " + n + " + c0");
    s.statement("int bias = -1");
    s.beginControlFlow("if (biasStart >= 0)");
    s.statement("bias = biasStart + c0");
    s.endControlFlow();
    block(s, xs, String.valueOf(ldx), ws, String.valueOf(groupWidth), ys, String.valueOf(n), String.valueOf(k));
    s.nextControlFlow("else");
    if (rowsFastest) { // gemm would map g to another block: the edge block of this r0, c0
      s.comment("a block past the last row or column: element by element");
      s.statement("gemmEdge(" + xs + ", xStart + r0 * xRowStride, " + ws + ", weightStart, " + ys
          + ", yStart + r0 * yRowStride + c0, r0, c0, " + k + ")");
    } else {
      s.comment("a block past the last row or column: the runtime's general product");
      s.statement("gemm(g, " + xs + ", " + ws + ", " + ys + ", " + k + ")");
    }
    s.endControlFlow();
  }

  /**
   * A {@link CodeSink} writing Java text, two spaces per level: the runtime's generated files, and the classes
   * the runtime specializes at load time.
   */
  public static final class JavaText implements CodeSink {
    private final StringBuilder text = new StringBuilder();
    private int depth;

    /** A sink whose first statement is indented {@code depth} levels. */
    public JavaText(int depth) {
      this.depth = depth;
    }

    /** One line as it is, at the current indentation (an empty line stays empty). */
    public void line(String code) {
      text.append(code.isEmpty() ? "" : "  ".repeat(depth)).append(code).append('\n');
    }

    @Override
    public void comment(String comment) {
      line("// " + comment);
    }

    @Override
    public void statement(String code) {
      line(code + ";");
    }

    @Override
    public void statements(String code) {
      line(code);
    }

    @Override
    public void beginControlFlow(String header) {
      line(header + " {");
      depth++;
    }

    @Override
    public void nextControlFlow(String header) {
      depth--;
      line("} " + header + " {");
      depth++;
    }

    @Override
    public void endControlFlow() {
      depth--;
      line("}");
    }

    /** The text written so far. */
    public String text() {
      return text.toString();
    }
  }
}
