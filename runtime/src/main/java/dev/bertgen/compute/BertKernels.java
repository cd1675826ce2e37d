package dev.bertgen.compute;

import com.aparapi.Kernel;

/**
 * The one Aparapi kernel class of a model. Aparapi gives each kernel object its own OpenCL context
 * and buffers, so every operation of a model runs through one object that owns the device arenas
 * and selects the operation with {@link #op} ({@link Ops}).
 *
 * <p>Operation bodies are the helper methods below, written once. A subclass's {@code run()} only
 * calls {@link #dispatch} with the architecture's sizes: the kernel class generated for a
 * {@code @BertPreset} passes compile-time constants (javac inlines them as literals, so the OpenCL
 * compiler sees constant loop bounds), and {@link GenericBertKernels} passes fields, for models
 * known only at run time.
 *
 * <p>These kernels are barrier-free, so they serve OpenCL devices and Aparapi's Java-thread mode
 * alike. Matrix products are register-blocked, 16 rows by 8 columns per work-item over row-major
 * {@code X[M][K]·W[K][N]} (keras' own layout of dense kernels): the 8 columns are contiguous, so the
 * OpenCL compiler turns each step into vector loads and fused multiply-adds.
 *
 * <p>Aparapi translates {@code run()} and everything it calls to OpenCL C: no {@code break}, no
 * {@code switch}, no objects, no writes to scalar fields, every array field non-null, and locals
 * initialized where declared.
 */
public abstract class BertKernels extends Kernel {

  /** Rows of one register block of a matrix product. */
  public static final int BLOCK_ROWS = 16;
  /** Columns of one register block of a matrix product. */
  public static final int BLOCK_COLS = 8;

  /** Parameters: the model's weight arena. */
  protected float[] p = new float[1];
  /** Activations and workspace. */
  protected float[] a = new float[1];
  /** Integer inputs: token ids, segment ids, padding masks, mask positions. */
  protected int[] ii = new int[1];
  /** Results to download (small; the activation arena never leaves the device). */
  protected float[] out = new float[1];

  /** The operation {@link #dispatch} runs: an {@link Ops} constant. */
  protected int op;
  /** Number of work-items that do work (the range is rounded up to whole work-groups). */
  protected int count;
  /** Integer arguments of the operation; see {@link Ops}. */
  protected int i0;
  protected int i1;
  protected int i2;
  protected int i3;
  protected int i4;
  protected int i5;
  protected int i6;
  protected int i7;
  protected int i8;
  protected int i9;
  protected int i10;
  protected int i11;
  protected int i12;
  protected int i13;
  protected int i14;
  protected int i15;
  protected int i16;
  protected int i17;
  protected int i18;
  protected int i19;
  /** Float arguments of the operation. */
  protected float f0;
  protected float f1;

  /**
   * Runs operation {@link #op} for this work-item.
   *
   * @param hidden {@code hidden_dim}
   * @param heads {@code num_heads}
   * @param headDim {@code hidden_dim / num_heads}
   * @param intermediate {@code intermediate_dim}
   * @param vocabulary {@code vocabulary_size}
   */
  protected final void dispatch(int hidden, int heads, int headDim, int intermediate, int vocabulary) {
    int g = getGlobalId(0);
    if (g < count) {
      if (op == Ops.DENSE_FROM_HIDDEN) {
        gemm(g, a, p, a, hidden);
      } else if (op == Ops.DENSE_FROM_INTERMEDIATE) {
        gemm(g, a, p, a, intermediate);
      } else if (op == Ops.MATMUL_HIDDEN) {
        gemm(g, a, a, a, hidden);
      } else if (op == Ops.ATTENTION_SCORES) {
        gemm(g, a, a, a, headDim);
      } else if (op == Ops.MATMUL) {
        gemm(g, a, a, a, i19);
      } else if (op == Ops.MASKED_SOFTMAX) {
        maskedSoftmax(g, i0, i1, i2, heads);
      } else if (op == Ops.TRANSPOSE) {
        transpose(g, a, a);
      } else if (op == Ops.TRANSPOSE_PARAMETERS) {
        transpose(g, p, a);
      } else if (op == Ops.ADD_LAYER_NORM) {
        addLayerNorm(g, i0, i1, i2, i3, f0, hidden);
      } else if (op == Ops.EMBEDDINGS) {
        embeddings(g, i0, i1, i2, i3, i4, i5, i6, i7, f0, hidden);
      } else if (op == Ops.GATHER_ROWS) {
        gatherRows(g, i0, i1, i2, i3, i4, hidden);
      } else if (op == Ops.COPY_OUT) {
        out[i1 + g] = a[i0 + g];
      } else if (op == Ops.FILL) {
        a[i0 + g] = f0;
      }
    }
  }

  /**
   * One register block of a batched matrix product {@code Y = act(alpha·X·W + bias)}, see
   * {@link Ops#DENSE_FROM_HIDDEN} for the arguments. Blocks that reach past the last row or column,
   * or across a column group of W, take the element-by-element path.
   */
  protected final void gemm(int g, float[] xs, float[] ws, float[] ys, int k) {
    int colBlocks = (i9 + BLOCK_COLS - 1) / BLOCK_COLS;
    int rowBlocks = (i8 + BLOCK_ROWS - 1) / BLOCK_ROWS;
    int cb = g % colBlocks;
    int t = g / colBlocks;
    int rb = t % rowBlocks;
    int bt = t / rowBlocks;
    int outer = bt / i10;
    int inner = bt - outer * i10;
    int r0 = rb * BLOCK_ROWS;
    int c0 = cb * BLOCK_COLS;
    int x = i0 + outer * i11 + inner * i12 + r0 * i1;
    int wBase = i2 + outer * i13 + inner * i14;
    int y = i4 + outer * i15 + inner * i16 + r0 * i5 + c0;
    int grp = c0 / i17;
    int cIn = c0 - grp * i17;
    if (r0 + BLOCK_ROWS <= i8 && cIn + BLOCK_COLS <= i17 && c0 + BLOCK_COLS <= i9) {
      int bias = -1;
      if (i6 >= 0) {
        bias = i6 + c0;
      }
      gemmBlock(xs, x, i1, ws, wBase + grp * i18 + cIn, i3, ys, y, i5, bias, i7, f0, k);
    } else {
      gemmEdge(xs, x, ws, wBase, ys, y, r0, c0, k);
    }
  }

  /** The valid elements of a block at the edge, one dot product each. */
  protected final void gemmEdge(float[] xs, int x, float[] ws, int wBase, float[] ys, int y, int r0, int c0, int k) {
    for (int r = 0; r < BLOCK_ROWS; r++) {
      if (r0 + r < i8) {
        for (int j = 0; j < BLOCK_COLS; j++) {
          int c = c0 + j;
          if (c < i9) {
            int grp = c / i17;
            int wc = wBase + grp * i18 + (c - grp * i17);
            float acc = 0f;
            for (int kk = 0; kk < k; kk++) {
              acc += xs[x + r * i1 + kk] * ws[wc + kk * i3];
            }
            int bias = -1;
            if (i6 >= 0) {
              bias = i6 + c;
            }
            ys[y + r * i5 + j] = epilogue(acc, f0, bias, 0, i7);
          }
        }
      }
    }
  }

  /** {@code act(alpha·v + bias[j])}; {@code bias < 0} means none. */
  protected final float epilogue(float v, float alpha, int bias, int j, int act) {
    float s = alpha * v;
    if (bias >= 0) {
      s += p[bias + j];
    }
    return activate(s, act);
  }

  // GENERATED by runtime/scripts/unroll_gemm.py (16 x 8): do not edit by hand
  /** One 16 x 8 block of {@code Y = act(alpha * X.W + bias)}, all rows and columns in range. */
  protected final void gemmBlock(float[] xs, int x, int ldx, float[] ws, int w, int ldw, float[] ys, int y,
      int ldy, int bias, int act, float alpha, int k) {
    float a0_0 = 0f; float a0_1 = 0f; float a0_2 = 0f; float a0_3 = 0f; float a0_4 = 0f; float a0_5 = 0f; float a0_6 = 0f; float a0_7 = 0f;
    float a1_0 = 0f; float a1_1 = 0f; float a1_2 = 0f; float a1_3 = 0f; float a1_4 = 0f; float a1_5 = 0f; float a1_6 = 0f; float a1_7 = 0f;
    float a2_0 = 0f; float a2_1 = 0f; float a2_2 = 0f; float a2_3 = 0f; float a2_4 = 0f; float a2_5 = 0f; float a2_6 = 0f; float a2_7 = 0f;
    float a3_0 = 0f; float a3_1 = 0f; float a3_2 = 0f; float a3_3 = 0f; float a3_4 = 0f; float a3_5 = 0f; float a3_6 = 0f; float a3_7 = 0f;
    float a4_0 = 0f; float a4_1 = 0f; float a4_2 = 0f; float a4_3 = 0f; float a4_4 = 0f; float a4_5 = 0f; float a4_6 = 0f; float a4_7 = 0f;
    float a5_0 = 0f; float a5_1 = 0f; float a5_2 = 0f; float a5_3 = 0f; float a5_4 = 0f; float a5_5 = 0f; float a5_6 = 0f; float a5_7 = 0f;
    float a6_0 = 0f; float a6_1 = 0f; float a6_2 = 0f; float a6_3 = 0f; float a6_4 = 0f; float a6_5 = 0f; float a6_6 = 0f; float a6_7 = 0f;
    float a7_0 = 0f; float a7_1 = 0f; float a7_2 = 0f; float a7_3 = 0f; float a7_4 = 0f; float a7_5 = 0f; float a7_6 = 0f; float a7_7 = 0f;
    float a8_0 = 0f; float a8_1 = 0f; float a8_2 = 0f; float a8_3 = 0f; float a8_4 = 0f; float a8_5 = 0f; float a8_6 = 0f; float a8_7 = 0f;
    float a9_0 = 0f; float a9_1 = 0f; float a9_2 = 0f; float a9_3 = 0f; float a9_4 = 0f; float a9_5 = 0f; float a9_6 = 0f; float a9_7 = 0f;
    float a10_0 = 0f; float a10_1 = 0f; float a10_2 = 0f; float a10_3 = 0f; float a10_4 = 0f; float a10_5 = 0f; float a10_6 = 0f; float a10_7 = 0f;
    float a11_0 = 0f; float a11_1 = 0f; float a11_2 = 0f; float a11_3 = 0f; float a11_4 = 0f; float a11_5 = 0f; float a11_6 = 0f; float a11_7 = 0f;
    float a12_0 = 0f; float a12_1 = 0f; float a12_2 = 0f; float a12_3 = 0f; float a12_4 = 0f; float a12_5 = 0f; float a12_6 = 0f; float a12_7 = 0f;
    float a13_0 = 0f; float a13_1 = 0f; float a13_2 = 0f; float a13_3 = 0f; float a13_4 = 0f; float a13_5 = 0f; float a13_6 = 0f; float a13_7 = 0f;
    float a14_0 = 0f; float a14_1 = 0f; float a14_2 = 0f; float a14_3 = 0f; float a14_4 = 0f; float a14_5 = 0f; float a14_6 = 0f; float a14_7 = 0f;
    float a15_0 = 0f; float a15_1 = 0f; float a15_2 = 0f; float a15_3 = 0f; float a15_4 = 0f; float a15_5 = 0f; float a15_6 = 0f; float a15_7 = 0f;
    for (int kk = 0; kk < k; kk++) {
      int wi = w + kk * ldw;
      float w0 = ws[wi + 0];
      float w1 = ws[wi + 1];
      float w2 = ws[wi + 2];
      float w3 = ws[wi + 3];
      float w4 = ws[wi + 4];
      float w5 = ws[wi + 5];
      float w6 = ws[wi + 6];
      float w7 = ws[wi + 7];
      int xi = x + kk;
      float x0 = xs[xi];
      a0_0 += x0 * w0; a0_1 += x0 * w1; a0_2 += x0 * w2; a0_3 += x0 * w3; a0_4 += x0 * w4; a0_5 += x0 * w5; a0_6 += x0 * w6; a0_7 += x0 * w7;
      float x1 = xs[xi + 1 * ldx];
      a1_0 += x1 * w0; a1_1 += x1 * w1; a1_2 += x1 * w2; a1_3 += x1 * w3; a1_4 += x1 * w4; a1_5 += x1 * w5; a1_6 += x1 * w6; a1_7 += x1 * w7;
      float x2 = xs[xi + 2 * ldx];
      a2_0 += x2 * w0; a2_1 += x2 * w1; a2_2 += x2 * w2; a2_3 += x2 * w3; a2_4 += x2 * w4; a2_5 += x2 * w5; a2_6 += x2 * w6; a2_7 += x2 * w7;
      float x3 = xs[xi + 3 * ldx];
      a3_0 += x3 * w0; a3_1 += x3 * w1; a3_2 += x3 * w2; a3_3 += x3 * w3; a3_4 += x3 * w4; a3_5 += x3 * w5; a3_6 += x3 * w6; a3_7 += x3 * w7;
      float x4 = xs[xi + 4 * ldx];
      a4_0 += x4 * w0; a4_1 += x4 * w1; a4_2 += x4 * w2; a4_3 += x4 * w3; a4_4 += x4 * w4; a4_5 += x4 * w5; a4_6 += x4 * w6; a4_7 += x4 * w7;
      float x5 = xs[xi + 5 * ldx];
      a5_0 += x5 * w0; a5_1 += x5 * w1; a5_2 += x5 * w2; a5_3 += x5 * w3; a5_4 += x5 * w4; a5_5 += x5 * w5; a5_6 += x5 * w6; a5_7 += x5 * w7;
      float x6 = xs[xi + 6 * ldx];
      a6_0 += x6 * w0; a6_1 += x6 * w1; a6_2 += x6 * w2; a6_3 += x6 * w3; a6_4 += x6 * w4; a6_5 += x6 * w5; a6_6 += x6 * w6; a6_7 += x6 * w7;
      float x7 = xs[xi + 7 * ldx];
      a7_0 += x7 * w0; a7_1 += x7 * w1; a7_2 += x7 * w2; a7_3 += x7 * w3; a7_4 += x7 * w4; a7_5 += x7 * w5; a7_6 += x7 * w6; a7_7 += x7 * w7;
      float x8 = xs[xi + 8 * ldx];
      a8_0 += x8 * w0; a8_1 += x8 * w1; a8_2 += x8 * w2; a8_3 += x8 * w3; a8_4 += x8 * w4; a8_5 += x8 * w5; a8_6 += x8 * w6; a8_7 += x8 * w7;
      float x9 = xs[xi + 9 * ldx];
      a9_0 += x9 * w0; a9_1 += x9 * w1; a9_2 += x9 * w2; a9_3 += x9 * w3; a9_4 += x9 * w4; a9_5 += x9 * w5; a9_6 += x9 * w6; a9_7 += x9 * w7;
      float x10 = xs[xi + 10 * ldx];
      a10_0 += x10 * w0; a10_1 += x10 * w1; a10_2 += x10 * w2; a10_3 += x10 * w3; a10_4 += x10 * w4; a10_5 += x10 * w5; a10_6 += x10 * w6; a10_7 += x10 * w7;
      float x11 = xs[xi + 11 * ldx];
      a11_0 += x11 * w0; a11_1 += x11 * w1; a11_2 += x11 * w2; a11_3 += x11 * w3; a11_4 += x11 * w4; a11_5 += x11 * w5; a11_6 += x11 * w6; a11_7 += x11 * w7;
      float x12 = xs[xi + 12 * ldx];
      a12_0 += x12 * w0; a12_1 += x12 * w1; a12_2 += x12 * w2; a12_3 += x12 * w3; a12_4 += x12 * w4; a12_5 += x12 * w5; a12_6 += x12 * w6; a12_7 += x12 * w7;
      float x13 = xs[xi + 13 * ldx];
      a13_0 += x13 * w0; a13_1 += x13 * w1; a13_2 += x13 * w2; a13_3 += x13 * w3; a13_4 += x13 * w4; a13_5 += x13 * w5; a13_6 += x13 * w6; a13_7 += x13 * w7;
      float x14 = xs[xi + 14 * ldx];
      a14_0 += x14 * w0; a14_1 += x14 * w1; a14_2 += x14 * w2; a14_3 += x14 * w3; a14_4 += x14 * w4; a14_5 += x14 * w5; a14_6 += x14 * w6; a14_7 += x14 * w7;
      float x15 = xs[xi + 15 * ldx];
      a15_0 += x15 * w0; a15_1 += x15 * w1; a15_2 += x15 * w2; a15_3 += x15 * w3; a15_4 += x15 * w4; a15_5 += x15 * w5; a15_6 += x15 * w6; a15_7 += x15 * w7;
    }
    int y0 = y;
    ys[y0 + 0] = epilogue(a0_0, alpha, bias, 0, act); ys[y0 + 1] = epilogue(a0_1, alpha, bias, 1, act); ys[y0 + 2] = epilogue(a0_2, alpha, bias, 2, act); ys[y0 + 3] = epilogue(a0_3, alpha, bias, 3, act); ys[y0 + 4] = epilogue(a0_4, alpha, bias, 4, act); ys[y0 + 5] = epilogue(a0_5, alpha, bias, 5, act); ys[y0 + 6] = epilogue(a0_6, alpha, bias, 6, act); ys[y0 + 7] = epilogue(a0_7, alpha, bias, 7, act);
    int y1 = y + 1 * ldy;
    ys[y1 + 0] = epilogue(a1_0, alpha, bias, 0, act); ys[y1 + 1] = epilogue(a1_1, alpha, bias, 1, act); ys[y1 + 2] = epilogue(a1_2, alpha, bias, 2, act); ys[y1 + 3] = epilogue(a1_3, alpha, bias, 3, act); ys[y1 + 4] = epilogue(a1_4, alpha, bias, 4, act); ys[y1 + 5] = epilogue(a1_5, alpha, bias, 5, act); ys[y1 + 6] = epilogue(a1_6, alpha, bias, 6, act); ys[y1 + 7] = epilogue(a1_7, alpha, bias, 7, act);
    int y2 = y + 2 * ldy;
    ys[y2 + 0] = epilogue(a2_0, alpha, bias, 0, act); ys[y2 + 1] = epilogue(a2_1, alpha, bias, 1, act); ys[y2 + 2] = epilogue(a2_2, alpha, bias, 2, act); ys[y2 + 3] = epilogue(a2_3, alpha, bias, 3, act); ys[y2 + 4] = epilogue(a2_4, alpha, bias, 4, act); ys[y2 + 5] = epilogue(a2_5, alpha, bias, 5, act); ys[y2 + 6] = epilogue(a2_6, alpha, bias, 6, act); ys[y2 + 7] = epilogue(a2_7, alpha, bias, 7, act);
    int y3 = y + 3 * ldy;
    ys[y3 + 0] = epilogue(a3_0, alpha, bias, 0, act); ys[y3 + 1] = epilogue(a3_1, alpha, bias, 1, act); ys[y3 + 2] = epilogue(a3_2, alpha, bias, 2, act); ys[y3 + 3] = epilogue(a3_3, alpha, bias, 3, act); ys[y3 + 4] = epilogue(a3_4, alpha, bias, 4, act); ys[y3 + 5] = epilogue(a3_5, alpha, bias, 5, act); ys[y3 + 6] = epilogue(a3_6, alpha, bias, 6, act); ys[y3 + 7] = epilogue(a3_7, alpha, bias, 7, act);
    int y4 = y + 4 * ldy;
    ys[y4 + 0] = epilogue(a4_0, alpha, bias, 0, act); ys[y4 + 1] = epilogue(a4_1, alpha, bias, 1, act); ys[y4 + 2] = epilogue(a4_2, alpha, bias, 2, act); ys[y4 + 3] = epilogue(a4_3, alpha, bias, 3, act); ys[y4 + 4] = epilogue(a4_4, alpha, bias, 4, act); ys[y4 + 5] = epilogue(a4_5, alpha, bias, 5, act); ys[y4 + 6] = epilogue(a4_6, alpha, bias, 6, act); ys[y4 + 7] = epilogue(a4_7, alpha, bias, 7, act);
    int y5 = y + 5 * ldy;
    ys[y5 + 0] = epilogue(a5_0, alpha, bias, 0, act); ys[y5 + 1] = epilogue(a5_1, alpha, bias, 1, act); ys[y5 + 2] = epilogue(a5_2, alpha, bias, 2, act); ys[y5 + 3] = epilogue(a5_3, alpha, bias, 3, act); ys[y5 + 4] = epilogue(a5_4, alpha, bias, 4, act); ys[y5 + 5] = epilogue(a5_5, alpha, bias, 5, act); ys[y5 + 6] = epilogue(a5_6, alpha, bias, 6, act); ys[y5 + 7] = epilogue(a5_7, alpha, bias, 7, act);
    int y6 = y + 6 * ldy;
    ys[y6 + 0] = epilogue(a6_0, alpha, bias, 0, act); ys[y6 + 1] = epilogue(a6_1, alpha, bias, 1, act); ys[y6 + 2] = epilogue(a6_2, alpha, bias, 2, act); ys[y6 + 3] = epilogue(a6_3, alpha, bias, 3, act); ys[y6 + 4] = epilogue(a6_4, alpha, bias, 4, act); ys[y6 + 5] = epilogue(a6_5, alpha, bias, 5, act); ys[y6 + 6] = epilogue(a6_6, alpha, bias, 6, act); ys[y6 + 7] = epilogue(a6_7, alpha, bias, 7, act);
    int y7 = y + 7 * ldy;
    ys[y7 + 0] = epilogue(a7_0, alpha, bias, 0, act); ys[y7 + 1] = epilogue(a7_1, alpha, bias, 1, act); ys[y7 + 2] = epilogue(a7_2, alpha, bias, 2, act); ys[y7 + 3] = epilogue(a7_3, alpha, bias, 3, act); ys[y7 + 4] = epilogue(a7_4, alpha, bias, 4, act); ys[y7 + 5] = epilogue(a7_5, alpha, bias, 5, act); ys[y7 + 6] = epilogue(a7_6, alpha, bias, 6, act); ys[y7 + 7] = epilogue(a7_7, alpha, bias, 7, act);
    int y8 = y + 8 * ldy;
    ys[y8 + 0] = epilogue(a8_0, alpha, bias, 0, act); ys[y8 + 1] = epilogue(a8_1, alpha, bias, 1, act); ys[y8 + 2] = epilogue(a8_2, alpha, bias, 2, act); ys[y8 + 3] = epilogue(a8_3, alpha, bias, 3, act); ys[y8 + 4] = epilogue(a8_4, alpha, bias, 4, act); ys[y8 + 5] = epilogue(a8_5, alpha, bias, 5, act); ys[y8 + 6] = epilogue(a8_6, alpha, bias, 6, act); ys[y8 + 7] = epilogue(a8_7, alpha, bias, 7, act);
    int y9 = y + 9 * ldy;
    ys[y9 + 0] = epilogue(a9_0, alpha, bias, 0, act); ys[y9 + 1] = epilogue(a9_1, alpha, bias, 1, act); ys[y9 + 2] = epilogue(a9_2, alpha, bias, 2, act); ys[y9 + 3] = epilogue(a9_3, alpha, bias, 3, act); ys[y9 + 4] = epilogue(a9_4, alpha, bias, 4, act); ys[y9 + 5] = epilogue(a9_5, alpha, bias, 5, act); ys[y9 + 6] = epilogue(a9_6, alpha, bias, 6, act); ys[y9 + 7] = epilogue(a9_7, alpha, bias, 7, act);
    int y10 = y + 10 * ldy;
    ys[y10 + 0] = epilogue(a10_0, alpha, bias, 0, act); ys[y10 + 1] = epilogue(a10_1, alpha, bias, 1, act); ys[y10 + 2] = epilogue(a10_2, alpha, bias, 2, act); ys[y10 + 3] = epilogue(a10_3, alpha, bias, 3, act); ys[y10 + 4] = epilogue(a10_4, alpha, bias, 4, act); ys[y10 + 5] = epilogue(a10_5, alpha, bias, 5, act); ys[y10 + 6] = epilogue(a10_6, alpha, bias, 6, act); ys[y10 + 7] = epilogue(a10_7, alpha, bias, 7, act);
    int y11 = y + 11 * ldy;
    ys[y11 + 0] = epilogue(a11_0, alpha, bias, 0, act); ys[y11 + 1] = epilogue(a11_1, alpha, bias, 1, act); ys[y11 + 2] = epilogue(a11_2, alpha, bias, 2, act); ys[y11 + 3] = epilogue(a11_3, alpha, bias, 3, act); ys[y11 + 4] = epilogue(a11_4, alpha, bias, 4, act); ys[y11 + 5] = epilogue(a11_5, alpha, bias, 5, act); ys[y11 + 6] = epilogue(a11_6, alpha, bias, 6, act); ys[y11 + 7] = epilogue(a11_7, alpha, bias, 7, act);
    int y12 = y + 12 * ldy;
    ys[y12 + 0] = epilogue(a12_0, alpha, bias, 0, act); ys[y12 + 1] = epilogue(a12_1, alpha, bias, 1, act); ys[y12 + 2] = epilogue(a12_2, alpha, bias, 2, act); ys[y12 + 3] = epilogue(a12_3, alpha, bias, 3, act); ys[y12 + 4] = epilogue(a12_4, alpha, bias, 4, act); ys[y12 + 5] = epilogue(a12_5, alpha, bias, 5, act); ys[y12 + 6] = epilogue(a12_6, alpha, bias, 6, act); ys[y12 + 7] = epilogue(a12_7, alpha, bias, 7, act);
    int y13 = y + 13 * ldy;
    ys[y13 + 0] = epilogue(a13_0, alpha, bias, 0, act); ys[y13 + 1] = epilogue(a13_1, alpha, bias, 1, act); ys[y13 + 2] = epilogue(a13_2, alpha, bias, 2, act); ys[y13 + 3] = epilogue(a13_3, alpha, bias, 3, act); ys[y13 + 4] = epilogue(a13_4, alpha, bias, 4, act); ys[y13 + 5] = epilogue(a13_5, alpha, bias, 5, act); ys[y13 + 6] = epilogue(a13_6, alpha, bias, 6, act); ys[y13 + 7] = epilogue(a13_7, alpha, bias, 7, act);
    int y14 = y + 14 * ldy;
    ys[y14 + 0] = epilogue(a14_0, alpha, bias, 0, act); ys[y14 + 1] = epilogue(a14_1, alpha, bias, 1, act); ys[y14 + 2] = epilogue(a14_2, alpha, bias, 2, act); ys[y14 + 3] = epilogue(a14_3, alpha, bias, 3, act); ys[y14 + 4] = epilogue(a14_4, alpha, bias, 4, act); ys[y14 + 5] = epilogue(a14_5, alpha, bias, 5, act); ys[y14 + 6] = epilogue(a14_6, alpha, bias, 6, act); ys[y14 + 7] = epilogue(a14_7, alpha, bias, 7, act);
    int y15 = y + 15 * ldy;
    ys[y15 + 0] = epilogue(a15_0, alpha, bias, 0, act); ys[y15 + 1] = epilogue(a15_1, alpha, bias, 1, act); ys[y15 + 2] = epilogue(a15_2, alpha, bias, 2, act); ys[y15 + 3] = epilogue(a15_3, alpha, bias, 3, act); ys[y15 + 4] = epilogue(a15_4, alpha, bias, 4, act); ys[y15 + 5] = epilogue(a15_5, alpha, bias, 5, act); ys[y15 + 6] = epilogue(a15_6, alpha, bias, 6, act); ys[y15 + 7] = epilogue(a15_7, alpha, bias, 7, act);
  }
  // END GENERATED

  /** One element of a batched transpose {@code Y[n][m] = X[m][n]}; see {@link Ops#TRANSPOSE}. */
  protected final void transpose(int g, float[] xs, float[] ys) {
    int n = g % i9;
    int t = g / i9;
    int m = t % i8;
    int bt = t / i8;
    int outer = bt / i10;
    int inner = bt - outer * i10;
    ys[i4 + outer * i15 + inner * i16 + n * i5 + m] = xs[i0 + outer * i11 + inner * i12 + m * i1 + n];
  }

  /**
   * Softmax of one row of attention scores, keras-hub's way: masked keys replaced by -1e9 before
   * the softmax and their probabilities zeroed after it (a fully masked row gives zeros).
   */
  protected final void maskedSoftmax(int g, int scores, int mask, int seq, int heads) {
    int b = g / (heads * seq);
    int row = scores + g * seq;
    int m = mask + b * seq;
    float max = -3.0e38f;
    for (int j = 0; j < seq; j++) {
      float s = a[row + j];
      if (ii[m + j] == 0) {
        s = -1.0e9f;
      }
      a[row + j] = s;
      max = max(max, s);
    }
    float sum = 0f;
    for (int j = 0; j < seq; j++) {
      float e = exp(a[row + j] - max);
      a[row + j] = e;
      sum += e;
    }
    float inv = 1f / sum;
    for (int j = 0; j < seq; j++) {
      float pj = a[row + j] * inv;
      if (ii[m + j] == 0) {
        pj = 0f;
      }
      a[row + j] = pj;
    }
  }

  /** One row of {@code LN(x + r)} (r = -1: plain LN); mean and biased variance, two passes. */
  protected final void addLayerNorm(int g, int x, int r, int y, int gamma, float eps, int hidden) {
    int xr = x + g * hidden;
    int yr = y + g * hidden;
    float sum = 0f;
    for (int h = 0; h < hidden; h++) {
      float v = a[xr + h];
      if (r >= 0) {
        v += a[r + g * hidden + h];
      }
      a[yr + h] = v;
      sum += v;
    }
    normalizeRow(yr, sum, gamma, eps, hidden);
  }

  /** Embedding sum of one token, then LayerNorm. */
  protected final void embeddings(int g, int y, int ids, int segments, int seq, int tok, int pos, int seg,
      int gamma, float eps, int hidden) {
    int s = g % seq;
    int tr = tok + ii[ids + g] * hidden;
    int pr = pos + s * hidden;
    int sr = seg + ii[segments + g] * hidden;
    int yr = y + g * hidden;
    float sum = 0f;
    for (int h = 0; h < hidden; h++) {
      float v = (p[tr + h] + p[pr + h]) + p[sr + h];
      a[yr + h] = v;
      sum += v;
    }
    normalizeRow(yr, sum, gamma, eps, hidden);
  }

  /** Normalizes row {@code a[yr..yr+hidden)} in place, given the sum of its values. */
  protected final void normalizeRow(int yr, float sum, int gamma, float eps, int hidden) {
    float mean = sum / hidden;
    float var = 0f;
    for (int h = 0; h < hidden; h++) {
      float d = a[yr + h] - mean;
      var += d * d;
    }
    var = var / hidden;
    float inv = 1f / sqrt(var + eps);
    for (int h = 0; h < hidden; h++) {
      a[yr + h] = (a[yr + h] - mean) * inv * p[gamma + h] + p[gamma + hidden + h];
    }
  }

  /** One element of the rows gathered at mask positions. */
  protected final void gatherRows(int g, int x, int positions, int slots, int seq, int y, int hidden) {
    int h = g % hidden;
    int bj = g / hidden;
    int b = bj / slots;
    a[y + g] = a[x + (b * seq + ii[positions + bj]) * hidden + h];
  }

  /** Applies an {@link Ops} activation. */
  protected final float activate(float x, int act) {
    float r = x;
    if (act == Ops.ACT_GELU) {
      r = 0.5f * x * (1f + erf(x * 0.70710678118654752f));
    } else if (act == Ops.ACT_GELU_TANH) {
      r = 0.5f * x * (1f + tanhf(0.7978845608028654f * (x + 0.044715f * x * x * x)));
    } else if (act == Ops.ACT_TANH) {
      r = tanhf(x);
    }
    return r;
  }

  /** tanh from exp in single precision (Aparapi's own tanh is double only). */
  protected final float tanhf(float x) {
    float ax = abs(x);
    float t = 1f - 2f / (exp(2f * ax) + 1f);
    if (x < 0f) {
      t = -t;
    }
    return t;
  }

  /**
   * erf without a library erf (OpenCL through Aparapi has none): a Taylor series for |x| ≤ 1 and a
   * Chebyshev fit of erfc (fractional error below 1.2e-7) beyond, so erf is within about 1e-7.
   */
  protected final float erf(float x) {
    float ax = abs(x);
    float r = 0f; // initialized: Aparapi would otherwise declare it inside the branches
    if (ax <= 1f) {
      float z = x * x;
      // x + x·(small correction): the rounding error stays relative to the correction, not to x
      r = x + x * (0.12837916709551257f + z * (-0.37612638903183754f + z * (0.11283791670955126f
          + z * (-0.026866170645131252f + z * (0.005223977625442188f + z * (-8.548327023450852e-4f
          + z * (1.2055332981789664e-4f + z * (-1.4925650358406251e-5f + z * (1.6462114365889246e-6f
          + z * (-1.6365844691234924e-7f + z * (1.4807192815879218e-8f
          + z * (-1.2290555301717926e-9f))))))))))));
    } else {
      float t = 1f / (1f + 0.5f * ax);
      float poly = -1.26551223f + t * (1.00002368f + t * (0.37409196f + t * (0.09678418f
          + t * (-0.18628806f + t * (0.27886807f + t * (-1.13520398f + t * (1.48851587f
          + t * (-0.82215223f + t * 0.17087277f))))))));
      r = 1f - t * exp(-ax * ax + poly);
      if (x < 0f) {
        r = -r;
      }
    }
    return r;
  }
}
