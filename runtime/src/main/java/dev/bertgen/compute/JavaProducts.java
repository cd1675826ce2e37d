package dev.bertgen.compute;

/**
 * The matrix products on Java threads ({@link JavaThreads}): the same products as
 * {@link ForwardKernels#gemm} and {@link TrainingKernels#gemmTransposedX} (see
 * {@link Ops#DENSE_FROM_HIDDEN} for the arguments), written the way HotSpot's compiler vectorizes:
 * for a few rows at a time and a strip of columns, the running sums sit in a small array and every
 * step of the depth adds {@code x[r][k]·W[k][strip]} to it, a loop over contiguous columns that C2
 * compiles to vector multiply-adds. The register-blocked kernel code, which OpenCL compilers vectorize
 * across a block's columns, runs scalar on the JVM, several times slower.
 *
 * <p>Each sum is accumulated in the kernels' order (depth ascending, from zero) and finished as
 * {@code alpha·sum + bias}, so the results equal the kernel code's on Java threads bit for bit.
 */
final class JavaProducts {
  /** Columns of one strip: the running sums of {@link #ROWS} rows stay in the first-level cache. */
  static final int STRIP = 512;
  /** Rows that share one pass over a strip of W. */
  static final int ROWS = 8;

  private JavaProducts() {}

  /** One thread's scratch: the running sums of {@link #ROWS} rows and four rows of a strip of W. */
  static final class Scratch {
    final float[][] sums = new float[ROWS][STRIP];
    final float[][] w = new float[4][STRIP];
  }

  /** Number of tasks {@link #run} splits a product into. */
  static int tasks(BertKernels k) {
    int rowBlocks = (k.i8 + ROWS - 1) / ROWS;
    return Math.multiplyExact(Math.multiplyExact(batches(k), rowBlocks), strips(k));
  }

  /** The batch count of the launch as {@link DeviceOps} sized it (count = blocks × batches). */
  static int batches(BertKernels k) {
    long blocks = (long) ((k.i8 + BertKernels.BLOCK_ROWS - 1) / BertKernels.BLOCK_ROWS)
        * ((k.i9 + BertKernels.BLOCK_COLS - 1) / BertKernels.BLOCK_COLS);
    return blocks == 0 ? 0 : (int) (k.count / blocks);
  }

  /** Strips of columns per row block: each column group of W ({@code i17} wide) split into strips. */
  private static int strips(BertKernels k) {
    int n = k.i9;
    int group = k.i17 > 0 ? k.i17 : n;
    int groups = (n + group - 1) / group;
    int perGroup = (Math.min(group, n) + STRIP - 1) / STRIP;
    return groups * perGroup;
  }

  /**
   * Task {@code t} of {@link #tasks}: rows {@code [r0, r0 + ROWS)} of one batch matrix, one strip of
   * columns, with the calling thread's scratch.
   */
  static void run(BertKernels k, int t, float[] xs, float[] ws, float[] ys, boolean transposedX, Scratch scratch) {
    int m = k.i8;
    int n = k.i9;
    int depth = k.i19;
    int group = k.i17 > 0 ? k.i17 : n;
    int perGroup = (Math.min(group, n) + STRIP - 1) / STRIP;
    int strips = strips(k);
    int rowBlocks = (m + ROWS - 1) / ROWS;
    int s = t % strips;
    int rest = t / strips;
    int rb = rest % rowBlocks;
    int batch = rest / rowBlocks;
    int outer = batch / k.i10;
    int inner = batch - outer * k.i10;
    int grp = s / perGroup;
    int c0 = grp * group + (s - grp * perGroup) * STRIP;
    int c1 = Math.min(Math.min(c0 + STRIP, (grp + 1) * group), n);
    int width = c1 - c0;
    int r0 = rb * ROWS;
    int rows = Math.min(ROWS, m - r0);
    int x = k.i0 + outer * k.i11 + inner * k.i12;
    // W's first element of this strip: the group's base plus the column's place in the group
    int w = k.i2 + outer * k.i13 + inner * k.i14 + (transposedX ? c0 : grp * k.i18 + (c0 - grp * group));
    int ldw = k.i3;
    float[][] sums = scratch.sums;
    float[] w0 = scratch.w[0];
    float[] w1 = scratch.w[1];
    float[] w2 = scratch.w[2];
    float[] w3 = scratch.w[3];
    for (int r = 0; r < rows; r++) {
      java.util.Arrays.fill(sums[r], 0, width, 0f);
    }
    // X[row][kk] is at xRow + row·xRowStep + kk·xStep: along a row (row stride i1), or down a column of
    // the stored K×M matrix
    int xStep = transposedX ? k.i1 : 1;
    int xRow = transposedX ? x + r0 : x + r0 * k.i1;
    int xRowStep = transposedX ? 1 : k.i1;
    int kk = 0;
    // Four steps of the depth for every row of the block, with those four rows of the W strip copied to
    // the scratch first: HotSpot (JDK 17) vectorizes a loop only when its arrays are indexed alike.
    for (; kk + 4 <= depth; kk += 4) {
      int wk = w + kk * ldw;
      System.arraycopy(ws, wk, w0, 0, width);
      System.arraycopy(ws, wk + ldw, w1, 0, width);
      System.arraycopy(ws, wk + 2 * ldw, w2, 0, width);
      System.arraycopy(ws, wk + 3 * ldw, w3, 0, width);
      for (int r = 0; r < rows; r++) {
        int xr = xRow + r * xRowStep + kk * xStep;
        multiplyAdd4(sums[r], w0, w1, w2, w3, xs[xr], xs[xr + xStep], xs[xr + 2 * xStep], xs[xr + 3 * xStep],
            width);
      }
    }
    for (; kk < depth; kk++) {
      System.arraycopy(ws, w + kk * ldw, w0, 0, width);
      for (int r = 0; r < rows; r++) {
        multiplyAdd1(sums[r], w0, xs[xRow + r * xRowStep + kk * xStep], width);
      }
    }
    float alpha = k.f0;
    int bias = transposedX ? -1 : k.i6;
    int y = k.i4 + outer * k.i15 + inner * k.i16 + c0;
    for (int r = 0; r < rows; r++) {
      int yr = y + (r0 + r) * k.i5;
      float[] sum = sums[r];
      if (bias >= 0) {
        float[] p = k.parameters;
        int b = bias + c0;
        for (int j = 0; j < width; j++) {
          ys[yr + j] = alpha * sum[j] + p[b + j];
        }
      } else {
        for (int j = 0; j < width; j++) {
          ys[yr + j] = alpha * sum[j] + 0f;
        }
      }
    }
  }

  /** {@code sum[j] += a0·w0[j] + a1·w1[j] + a2·w2[j] + a3·w3[j]}, added left to right (the kernels' order). */
  private static void multiplyAdd4(float[] sum, float[] w0, float[] w1, float[] w2, float[] w3, float a0, float a1,
      float a2, float a3, int width) {
    for (int j = 0; j < width; j++) {
      sum[j] = sum[j] + a0 * w0[j] + a1 * w1[j] + a2 * w2[j] + a3 * w3[j];
    }
  }

  private static void multiplyAdd1(float[] sum, float[] w0, float a0, int width) {
    for (int j = 0; j < width; j++) {
      sum[j] = sum[j] + a0 * w0[j];
    }
  }
}
