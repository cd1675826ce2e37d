package dev.bertgen.compute;

/**
 * Builds and launches the batched matrix products of {@link BertKernels}: {@code Y = act(alpha·X·W
 * + bias)} for row-major {@code X[M][K]}, {@code W[K][N]}, {@code Y[M][N]}, optionally repeated over
 * an (outer, inner) batch such as (sequence, head). The activation is a second, elementwise launch.
 */
public final class Matmul {
  private final int op;
  private int x;
  private int ldx;
  private int w;
  private int ldw;
  private int y;
  private int ldy;
  private int bias = -1;
  private int act = Ops.ACT_NONE;
  private float alpha = 1f;
  private int m;
  private int n;
  private int k;
  private int outer = 1;
  private int inner = 1;
  private int xOuter;
  private int xInner;
  private int wOuter;
  private int wInner;
  private int yOuter;
  private int yInner;
  private int groupWidth = -1;
  private int groupStride;

  private Matmul(int op) {
    this.op = op;
  }

  /** A product of the given {@link Ops} kind ({@code DENSE_FROM_HIDDEN}, {@code DENSE_UP}, ...). */
  public static Matmul of(int op) {
    return new Matmul(op);
  }

  /** X at {@code offset} with row stride {@code ld}. */
  public Matmul x(int offset, int ld) {
    this.x = offset;
    this.ldx = ld;
    return this;
  }

  /** W at {@code offset} with row stride {@code ld}. */
  public Matmul w(int offset, int ld) {
    this.w = offset;
    this.ldw = ld;
    return this;
  }

  /** Y at {@code offset} with row stride {@code ld}. */
  public Matmul y(int offset, int ld) {
    this.y = offset;
    this.ldy = ld;
    return this;
  }

  /** M×N outputs over K (K only matters for {@link Ops#ATTENTION_CONTEXT}; the others fix it). */
  public Matmul size(int rows, int cols, int depth) {
    this.m = rows;
    this.n = cols;
    this.k = depth;
    return this;
  }

  /** Bias [p] added per column. */
  public Matmul bias(int offset) {
    this.bias = offset;
    return this;
  }

  public Matmul activation(int code) {
    this.act = code;
    return this;
  }

  public Matmul alpha(float value) {
    this.alpha = value;
    return this;
  }

  /** W's columns come from matrices {@code width} columns wide, {@code stride} apart. */
  public Matmul columnGroups(int width, int stride) {
    this.groupWidth = width;
    this.groupStride = stride;
    return this;
  }

  /** Repeats the product over {@code outerCount × innerCount} batches with these offsets. */
  public Matmul batch(int outerCount, int innerCount, int xo, int xi, int wo, int wi, int yo, int yi) {
    this.outer = outerCount;
    this.inner = innerCount;
    this.xOuter = xo;
    this.xInner = xi;
    this.wOuter = wo;
    this.wInner = wi;
    this.yOuter = yo;
    this.yInner = yi;
    return this;
  }

  /** Number of work-items. */
  int workItems() {
    long blocks = (long) ((m + BertKernels.BLOCK_ROWS - 1) / BertKernels.BLOCK_ROWS)
        * ((n + BertKernels.BLOCK_COLS - 1) / BertKernels.BLOCK_COLS) * outer * inner;
    if (blocks > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("matrix product too large for one launch");
    }
    return (int) blocks;
  }

  public void launch(Launcher l) {
    boolean fixed = op == Ops.DENSE_QKV || op == Ops.DENSE_HIDDEN || op == Ops.DENSE_UP || op == Ops.DENSE_DOWN
        || op == Ops.LOGITS;
    if (fixed && (y != 0 || outer * inner != 1)) {
      throw new IllegalStateException(Ops.name(op) + " writes its own array from offset 0, unbatched");
    }
    l.launch(op, workItems(), alpha, 0f, x, ldx, w, ldw, y, ldy, bias, 0, m, n, inner,
        xOuter, xInner, wOuter, wInner, yOuter, yInner, groupWidth < 0 ? n : groupWidth, groupStride, k);
    if (act != Ops.ACT_NONE) {
      // a separate pass: on PoCL any call inside the product's block slows it 3x
      int activateOp = switch (op) {
        case Ops.DENSE_UP -> Ops.ACTIVATE_INTERMEDIATE;
        case Ops.DENSE_HIDDEN, Ops.DENSE_DOWN -> Ops.ACTIVATE_DENSE;
        case Ops.DENSE_FROM_HIDDEN -> Ops.ACTIVATE;
        default -> throw new IllegalStateException("no activation after " + Ops.name(op));
      };
      if (outer * inner != 1) {
        throw new IllegalStateException("activations of batched products are not supported");
      }
      activate(l, activateOp, y, ldy, m, n, act);
    }
  }

  /**
   * An activation in place over {@code rows × cols} values (row stride {@code ld}) at {@code offset}
   * of the array {@code op} works on ({@link Ops#ACTIVATE} [a], {@code ACTIVATE_INTERMEDIATE} [f],
   * {@code ACTIVATE_DENSE} [d]).
   */
  public static void activate(Launcher l, int op, int offset, int ld, int rows, int cols, int act) {
    if (act == Ops.ACT_NONE) {
      return;
    }
    int runs = (cols + BertKernels.ACTIVATE_RUN - 1) / BertKernels.ACTIVATE_RUN;
    l.launch(op, Math.toIntExact((long) rows * runs), 0f, 0f, offset, ld, cols, act);
  }

  /** A batched transpose {@code Y[n][m] = X[m][n]} ({@link Ops#TRANSPOSE_KEYS} or {@code TRANSPOSE_PARAMETERS}). */
  public static void transpose(Launcher l, int op, int x, int ldx, int y, int ldy, int rows, int cols,
      int outerCount, int innerCount, int xo, int xi, int yo, int yi) {
    long tiles = (long) ((rows + BertKernels.TILE - 1) / BertKernels.TILE)
        * ((cols + BertKernels.TILE - 1) / BertKernels.TILE);
    long count = tiles * outerCount * innerCount; // one tile per work-item
    if (count > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("transpose too large for one launch");
    }
    l.launch(op, (int) count, 0f, 0f, x, ldx, 0, 0, y, ldy, 0, 0, rows, cols, innerCount, xo, xi, 0, 0, yo, yi, 1, 0, 0);
  }
}
