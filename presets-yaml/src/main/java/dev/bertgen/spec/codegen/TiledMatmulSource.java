package dev.bertgen.spec.codegen;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Java source of the GPU kernel family's matrix product, written in one place: the runtime's
 * {@code TiledProductKernels} class is this class's {@link #tiledProductKernels()} text (a runtime test
 * regenerates and compares the whole file).
 *
 * <p>One work-group of {@value #GROUP} work-items ({@value #SIDE}×{@value #SIDE}) computes one tile of
 * Y. Per step of the depth it stages a slab of X (tile rows × depth step) and of W (depth step × tile
 * columns) in local memory, double-buffered: while the group multiplies the slab in one buffer, each
 * work-item has already loaded its share of the next slab into registers, which it stores into the
 * other buffer afterwards; one barrier per step. Each work-item keeps a register block of the tile
 * (rows {@code ty + 16·i}, columns {@code tx + 16·j}: neighbouring work-items read neighbouring
 * local-memory words and write neighbouring elements of Y) in unrolled scalar accumulators, which is
 * what makes register blocking work through Aparapi (it has no private arrays the compiler keeps in
 * registers).
 *
 * <p>Two tile shapes: {@link #LARGE} (128×128, 8×8 per work-item, depth step 8) for products with
 * enough tiles to fill the device, {@link #SMALL} (64×64, 4×4, depth step 16) otherwise. Both stage
 * 1,024 values of X and of W per step (four loads per work-item each), so they share the same local
 * arrays. Rows, columns and depth need not be multiples of anything: loads past the edge read zero and
 * stores past it are skipped.
 */
public final class TiledMatmulSource {
  private TiledMatmulSource() {}

  /** Work-items of one work-group. */
  public static final int GROUP = 256;
  /** Work-items per side of the group's square. */
  public static final int SIDE = 16;
  /** Floats of one local staging buffer (per matrix, per buffer). */
  public static final int SLAB = 1024;
  /** Path of the generated runtime file, relative to the runtime module. */
  public static final String TILED_PRODUCT_KERNELS_PATH = "src/main/java/dev/bertgen/compute/TiledProductKernels.java";

  /** A tile shape: per-work-item rows and columns, and the depth step. */
  public record Shape(int name, int perRow, int perCol, int depthStep) {
    /** Tile rows. */
    public int rows() {
      return SIDE * perRow;
    }

    /** Tile columns. */
    public int cols() {
      return SIDE * perCol;
    }
  }

  /** 128×128 tiles, 8×8 per work-item, depth step 8 (variant 0). */
  public static final Shape LARGE = new Shape(0, 8, 8, 8);
  /** 64×64 tiles, 4×4 per work-item, depth step 16 (variant 1). */
  public static final Shape SMALL = new Shape(1, 4, 4, 16);

  /** The body computing one tile of {@code shape}; see {@link #tiledProductKernels()} for the names in scope. */
  static void tile(CodeSink s, Shape sh) {
    int bm = sh.rows();
    int bn = sh.cols();
    int bk = sh.depthStep();
    int loads = SLAB / GROUP; // values of X (and of W) each work-item stages per step
    s.comment("this group's tile: rows r0.., columns c0.. of matrix bt of the batch");
    s.statement("int tilesN = (i9 + " + (bn - 1) + ") / " + bn);
    s.statement("int tilesM = (i8 + " + (bm - 1) + ") / " + bm);
    s.statement("int tn = grp % tilesN");
    s.statement("int tt = grp / tilesN");
    s.statement("int tm = tt % tilesM");
    s.statement("int bt = tt / tilesM");
    s.statement("int outer = bt / i10");
    s.statement("int inner = bt - outer * i10");
    s.statement("int r0 = tm * " + bm);
    s.statement("int c0 = tn * " + bn);
    s.statement("int xStart = i0 + outer * i11 + inner * i12");
    s.statement("int wStart = i2 + outer * i13 + inner * i14");
    s.statement("int yStart = i4 + outer * i15 + inner * i16");
    s.comment("what this work-item stages: X values (row xr + j·xrStep, depth xk + j·xkStep), j < " + loads
        + "; consecutive work-items read consecutive addresses of X in both layouts");
    s.statement("int xr = lid / " + bk);
    s.statement("int xk = lid % " + bk);
    s.statement("int xrStep = " + (GROUP / bk));
    s.statement("int xkStep = 0");
    s.statement("int xRowStride = i1");
    s.statement("int xDepthStride = 1");
    s.beginControlFlow("if (transposedX != 0)");
    s.comment("X stored (K x M): rows contiguous");
    s.statement("xr = lid % " + bm);
    s.statement("xk = lid / " + bm);
    s.statement("xrStep = 0");
    s.statement("xkStep = " + (GROUP / bm));
    s.statement("xRowStride = 1");
    s.statement("xDepthStride = i1");
    s.endControlFlow();
    for (int j = 0; j < loads; j++) {
      s.statement(String.format(Locale.ROOT, "int xRow%d = r0 + xr + %d * xrStep", j, j));
      s.statement(String.format(Locale.ROOT, "int xAt%d = xStart + xRow%d * xRowStride + (xk + %d * xkStep) * "
          + "xDepthStride", j, j, j));
    }
    s.comment("and W values (depth wk + j·" + (GROUP / bn) + ", column c0 + wc): one column, so one address");
    s.statement("int wc = lid % " + bn);
    s.statement("int wk = lid / " + bn);
    s.statement("int wCol = c0 + wc");
    s.statement("int wGroup = wCol / i17");
    s.statement("int wAt = wStart + wGroup * i18 + (wCol - wGroup * i17)");
    s.comment("acc{i}_{j}: row ty + " + SIDE + "·i, column tx + " + SIDE + "·j of the tile");
    for (int i = 0; i < sh.perRow(); i++) {
      List<String> line = new ArrayList<>();
      for (int j = 0; j < sh.perCol(); j++) {
        line.add(String.format(Locale.ROOT, "float acc%d_%d = 0f;", i, j));
      }
      s.statements(String.join(" ", line));
    }
    s.statement("int steps = (k + " + (bk - 1) + ") / " + bk);
    s.comment("stage the first slab in buffer 0");
    stage(s, sh, "0", "0");
    s.statement("localBarrier()");
    s.beginControlFlow("for (int t = 0; t < steps; t++)");
    s.statement("int cur = (t % 2) * " + SLAB);
    s.statement("int kb = (t + 1) * " + bk);
    s.comment("load the next slab into registers (zeros past the last step)");
    load(s, sh, "kb", "t + 1 < steps");
    s.comment("multiply the current slab");
    s.beginControlFlow("for (int kk = 0; kk < " + bk + "; kk++)");
    s.statement("int xo = cur + kk * " + bm + " + ty");
    s.statement("int wo = cur + kk * " + bn + " + tx");
    for (int i = 0; i < sh.perRow(); i++) {
      s.statement(String.format(Locale.ROOT, "float a%d = tileX[xo + %d]", i, SIDE * i));
    }
    for (int j = 0; j < sh.perCol(); j++) {
      s.statement(String.format(Locale.ROOT, "float b%d = tileW[wo + %d]", j, SIDE * j));
    }
    for (int i = 0; i < sh.perRow(); i++) {
      List<String> line = new ArrayList<>();
      for (int j = 0; j < sh.perCol(); j++) {
        line.add(String.format(Locale.ROOT, "acc%d_%d += a%d * b%d;", i, j, i, j));
      }
      s.statements(String.join(" ", line));
    }
    s.endControlFlow();
    s.beginControlFlow("if (t + 1 < steps)");
    store(s, sh, SLAB + " - cur");
    s.endControlFlow();
    s.statement("localBarrier()");
    s.endControlFlow();
    s.comment("write the tile: Y = alpha * acc + bias, inside Y only");
    for (int j = 0; j < sh.perCol(); j++) {
      s.statement(String.format(Locale.ROOT, "int col%d = c0 + tx + %d", j, SIDE * j));
      s.statement(String.format(Locale.ROOT, "float bias%d = 0f", j));
      s.beginControlFlow(String.format(Locale.ROOT, "if (i6 >= 0 && col%d < i9)", j));
      s.statement(String.format(Locale.ROOT, "bias%d = parameters[i6 + col%d]", j, j));
      s.endControlFlow();
    }
    for (int i = 0; i < sh.perRow(); i++) {
      s.statement(String.format(Locale.ROOT, "int row%d = r0 + ty + %d", i, SIDE * i));
      s.beginControlFlow(String.format(Locale.ROOT, "if (row%d < i8)", i));
      s.statement(String.format(Locale.ROOT, "int y%d = yStart + row%d * i5", i, i));
      for (int j = 0; j < sh.perCol(); j++) {
        s.beginControlFlow(String.format(Locale.ROOT, "if (col%d < i9)", j));
        s.statement(String.format(Locale.ROOT, "ys[y%d + col%d] = f0 * acc%d_%d + bias%d", i, j, i, j, j));
        s.endControlFlow();
      }
      s.endControlFlow();
    }
  }

  /** Declares px{j}, pw{j} and loads the slab starting at depth {@code kb} when {@code when}. */
  private static void load(CodeSink s, Shape sh, String kb, String when) {
    int loads = SLAB / GROUP;
    int wkStep = GROUP / sh.cols();
    for (int j = 0; j < loads; j++) {
      s.statement(String.format(Locale.ROOT, "float px%d = 0f", j));
      s.statement(String.format(Locale.ROOT, "float pw%d = 0f", j));
    }
    s.beginControlFlow("if (" + when + ")");
    for (int j = 0; j < loads; j++) {
      s.statement(String.format(Locale.ROOT, "int xd%d = %s + xk + %d * xkStep", j, kb, j));
      s.beginControlFlow(String.format(Locale.ROOT, "if (xRow%d < i8 && xd%d < k)", j, j));
      s.statement(String.format(Locale.ROOT, "px%d = xs[xAt%d + %s * xDepthStride]", j, j, kb));
      s.endControlFlow();
      s.statement(String.format(Locale.ROOT, "int wd%d = %s + wk + %d", j, kb, j * wkStep));
      s.beginControlFlow(String.format(Locale.ROOT, "if (wCol < i9 && wd%d < k)", j));
      s.statement(String.format(Locale.ROOT, "pw%d = ws[wAt + wd%d * i3]", j, j));
      s.endControlFlow();
    }
    s.endControlFlow();
  }

  /** Stores px{j}, pw{j} into the local buffer at {@code buf}. */
  private static void store(CodeSink s, Shape sh, String buf) {
    int loads = SLAB / GROUP;
    int wkStep = GROUP / sh.cols();
    for (int j = 0; j < loads; j++) {
      s.statement(String.format(Locale.ROOT, "tileX[%s + (xk + %d * xkStep) * %d + xr + %d * xrStep] = px%d", buf, j,
          sh.rows(), j, j));
      s.statement(String.format(Locale.ROOT, "tileW[%s + (wk + %d) * %d + wc] = pw%d", buf, j * wkStep, sh.cols(), j));
    }
  }

  /** Loads and stores the first slab. */
  private static void stage(CodeSink s, Shape sh, String kb, String buf) {
    s.beginControlFlow("if (steps > 0)");
    load(s, sh, kb, "steps > 0");
    store(s, sh, buf);
    s.endControlFlow();
  }

  /**
   * The whole text of the runtime's {@code dev.bertgen.compute.TiledProductKernels}: the local staging
   * arrays and {@code tiledProduct}, which computes the tile of the calling work-group in the shape the
   * launch's {@code i7} selects (0 {@link #LARGE}, 1 {@link #SMALL}).
   */
  public static String tiledProductKernels() {
    MatmulSource.JavaText large = new MatmulSource.JavaText(3);
    tile(large, LARGE);
    MatmulSource.JavaText small = new MatmulSource.JavaText(3);
    tile(small, SMALL);
    return "// GENERATED by dev.bertgen.spec.codegen.TiledMatmulSource.tiledProductKernels(): do not edit by hand.\n"
        + "// Regenerate: BERTGEN_UPDATE_GOLDENS=true mvn -B -pl runtime -am test -Dtest=MatmulSourceTest\n"
        + "//   -Dsurefire.failIfNoSpecifiedTests=false (the test compares this whole file with TiledMatmulSource).\n"
        + "package dev.bertgen.compute;\n"
        + "\n"
        + "/**\n"
        + " * The GPU kernel family's matrix product: one tile of {@code Y = alpha * X.W + bias} (or\n"
        + " * {@code X^T.W}) per work-group of " + GROUP + ", staged through local memory, double-buffered,\n"
        + " * each work-item accumulating a register block. Generated from\n"
        + " * {@code dev.bertgen.spec.codegen.TiledMatmulSource}, which documents the scheme.\n"
        + " */\n"
        + "public abstract class TiledProductKernels extends BertKernels {\n"
        + "\n"
        + "  /** Work-items of the work-group a tiled product runs in. */\n"
        + "  public static final int GROUP = " + GROUP + ";\n"
        + "  /** Rows and columns of a tile of shape 0 (8 x 8 per work-item, depth step 8). */\n"
        + "  public static final int LARGE_TILE = " + LARGE.rows() + ";\n"
        + "  /** Rows and columns of a tile of shape 1 (4 x 4 per work-item, depth step 16). */\n"
        + "  public static final int SMALL_TILE = " + SMALL.rows() + ";\n"
        + "\n"
        + "  /** Staged X values: two buffers of " + SLAB + " ([depth][tile row]). */\n"
        + "  @Local protected float[] tileX = new float[" + 2 * SLAB + "];\n"
        + "  /** Staged W values: two buffers of " + SLAB + " ([depth][tile column]). */\n"
        + "  @Local protected float[] tileW = new float[" + 2 * SLAB + "];\n"
        + "\n"
        + "  TiledProductKernels() {}\n"
        + "\n"
        + "  /**\n"
        + "   * This work-group's tile of the product the launch describes (arguments as for\n"
        + "   * {@link Ops#DENSE_FROM_HIDDEN}; i7 the tile shape), X from xs (stored K x M when transposedX is 1),\n"
        + "   * W from ws, Y into ys, k the depth. Every work-item of the group must call it (barriers).\n"
        + "   */\n"
        + "  protected final void tiledProduct(float[] xs, float[] ws, float[] ys, int k, int transposedX) {\n"
        + "    int lid = getLocalId(0);\n"
        + "    int grp = getGroupId(0);\n"
        + "    int tx = lid % " + SIDE + ";\n"
        + "    int ty = lid / " + SIDE + ";\n"
        + "    if (i7 == 0) {\n"
        + large.text()
        + "    } else {\n"
        + small.text()
        + "    }\n"
        + "  }\n"
        + "}\n";
  }
}
