package dev.bertgen.compute;

/**
 * The forward pass's operations, hand-written: matrix products (the general and edge cases; whole
 * blocks go to {@link ProductKernels}), transposes, the masked softmax, LayerNorm, embeddings and
 * activations. {@link BertKernels#dispatch} selects them; see {@link Ops} for their arguments.
 *
 * <p>Aparapi translates these methods to OpenCL C: no {@code break}, no {@code switch}, no objects,
 * no writes to scalar fields, and locals initialized where declared.
 */
public abstract class ForwardKernels extends ProductKernels {

  ForwardKernels() {}

  /**
   * One register block of a batched matrix product {@code Y = alpha·X·W + bias}, see
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
      gemmBlock(xs, x, i1, ws, wBase + grp * i18 + cIn, i3, ys, y, i5, bias, f0, k);
    } else {
      gemmEdge(xs, x, ws, wBase, ys, y, r0, c0, k);
    }
  }

  /**
   * The valid elements of a block at the edge. A row whose 8 columns are all in range and in one column group
   * (the rows past the last whole block of 16, e.g. the one row of a fill-mask's logits) runs as one row of the
   * register block; other elements one dot product each. Both add in the order {@link #gemmBlock} does.
   */
  protected final void gemmEdge(float[] xs, int x, float[] ws, int wBase, float[] ys, int y, int r0, int c0,
      int k) {
    int g0 = c0 / i17;
    int in0 = c0 - g0 * i17;
    int wholeRow = 0;
    if (in0 + BLOCK_COLS <= i17 && c0 + BLOCK_COLS <= i9) {
      wholeRow = 1;
    }
    for (int r = 0; r < BLOCK_ROWS; r++) {
      if (r0 + r < i8 && wholeRow == 1) {
        int w = wBase + g0 * i18 + in0;
        int xr = x + r * i1;
        float a0 = 0f; float a1 = 0f; float a2 = 0f; float a3 = 0f; float a4 = 0f; float a5 = 0f; float a6 = 0f;
        float a7 = 0f;
        for (int kk = 0; kk < k; kk++) {
          float xv = xs[xr + kk];
          int wi = w + kk * i3;
          a0 += xv * ws[wi]; a1 += xv * ws[wi + 1]; a2 += xv * ws[wi + 2]; a3 += xv * ws[wi + 3];
          a4 += xv * ws[wi + 4]; a5 += xv * ws[wi + 5]; a6 += xv * ws[wi + 6]; a7 += xv * ws[wi + 7];
        }
        float b0 = 0f; float b1 = 0f; float b2 = 0f; float b3 = 0f; float b4 = 0f; float b5 = 0f; float b6 = 0f;
        float b7 = 0f;
        if (i6 >= 0) {
          b0 = parameters[i6 + c0]; b1 = parameters[i6 + c0 + 1]; b2 = parameters[i6 + c0 + 2];
          b3 = parameters[i6 + c0 + 3]; b4 = parameters[i6 + c0 + 4]; b5 = parameters[i6 + c0 + 5];
          b6 = parameters[i6 + c0 + 6]; b7 = parameters[i6 + c0 + 7];
        }
        int yr = y + r * i5;
        ys[yr] = f0 * a0 + b0; ys[yr + 1] = f0 * a1 + b1; ys[yr + 2] = f0 * a2 + b2; ys[yr + 3] = f0 * a3 + b3;
        ys[yr + 4] = f0 * a4 + b4; ys[yr + 5] = f0 * a5 + b5; ys[yr + 6] = f0 * a6 + b6; ys[yr + 7] = f0 * a7 + b7;
      } else if (r0 + r < i8) {
        for (int j = 0; j < BLOCK_COLS; j++) {
          int c = c0 + j;
          if (c < i9) {
            int grp = c / i17;
            int wc = wBase + grp * i18 + (c - grp * i17);
            float acc = 0f;
            for (int kk = 0; kk < k; kk++) {
              acc += xs[x + r * i1 + kk] * ws[wc + kk * i3];
            }
            float b = 0f;
            if (i6 >= 0) {
              b = parameters[i6 + c];
            }
            ys[y + r * i5 + j] = f0 * acc + b;
          }
        }
      }
    }
  }

  /**
   * One {@link #TILE}×{@link #TILE} tile of a batched transpose {@code Y[n][m] = X[m][n]}; see
   * {@link Ops#TRANSPOSE_KEYS}. A tile reads 16 short runs of X and writes 16 of Y, all in cache; a
   * work-item per row of X wrote each element to another cache line, which made it memory-bound.
   */
  protected final void transpose(int g, float[] xs, float[] ys) {
    int mTiles = (i8 + TILE - 1) / TILE;
    int nTiles = (i9 + TILE - 1) / TILE;
    int tm = g % mTiles;
    int rest = g / mTiles;
    int tn = rest % nTiles;
    int bt = rest / nTiles;
    int outer = bt / i10;
    int inner = bt - outer * i10;
    int m0 = tm * TILE;
    int n0 = tn * TILE;
    int x = i0 + outer * i11 + inner * i12 + m0 * i1 + n0;
    int y = i4 + outer * i15 + inner * i16 + n0 * i5 + m0;
    if (m0 + TILE <= i8 && n0 + TILE <= i9) {
      for (int n = 0; n < TILE; n++) {
        for (int m = 0; m < TILE; m++) {
          ys[y + n * i5 + m] = xs[x + m * i1 + n];
        }
      }
    } else {
      for (int n = 0; n < TILE; n++) {
        for (int m = 0; m < TILE; m++) {
          if (m0 + m < i8 && n0 + n < i9) {
            ys[y + n * i5 + m] = xs[x + m * i1 + n];
          }
        }
      }
    }
  }

  /**
   * Softmax of one row of attention scores, keras-hub's way: masked keys replaced by -1e9 before
   * the softmax and their probabilities zeroed after it (a fully masked row gives zeros).
   */
  protected final void maskedSoftmax(int g, int scores, int mask, int seq, int heads) {
    int b = g / (heads * seq);
    int row = scores + g * seq;
    int m = mask + b * seq;
    // the maximum and the sum as eight partial results over runs of 8 (then the rest): independent operations the
    // OpenCL compiler packs into vector instructions, exp included, where one running sum must stay scalar
    int whole = seq - seq % 8;
    float m0 = -3.0e38f; float m1 = -3.0e38f; float m2 = -3.0e38f; float m3 = -3.0e38f;
    float m4 = -3.0e38f; float m5 = -3.0e38f; float m6 = -3.0e38f; float m7 = -3.0e38f;
    for (int j = 0; j < whole; j += 8) {
      int a = row + j;
      int k = m + j;
      float s0 = intInputs[k] == 0 ? -1.0e9f : activations[a];
      float s1 = intInputs[k + 1] == 0 ? -1.0e9f : activations[a + 1];
      float s2 = intInputs[k + 2] == 0 ? -1.0e9f : activations[a + 2];
      float s3 = intInputs[k + 3] == 0 ? -1.0e9f : activations[a + 3];
      float s4 = intInputs[k + 4] == 0 ? -1.0e9f : activations[a + 4];
      float s5 = intInputs[k + 5] == 0 ? -1.0e9f : activations[a + 5];
      float s6 = intInputs[k + 6] == 0 ? -1.0e9f : activations[a + 6];
      float s7 = intInputs[k + 7] == 0 ? -1.0e9f : activations[a + 7];
      activations[a] = s0; activations[a + 1] = s1; activations[a + 2] = s2; activations[a + 3] = s3;
      activations[a + 4] = s4; activations[a + 5] = s5; activations[a + 6] = s6; activations[a + 7] = s7;
      m0 = max(m0, s0); m1 = max(m1, s1); m2 = max(m2, s2); m3 = max(m3, s3);
      m4 = max(m4, s4); m5 = max(m5, s5); m6 = max(m6, s6); m7 = max(m7, s7);
    }
    for (int j = whole; j < seq; j++) {
      float s = intInputs[m + j] == 0 ? -1.0e9f : activations[row + j];
      activations[row + j] = s;
      m0 = max(m0, s);
    }
    float max = max(max(max(m0, m1), max(m2, m3)), max(max(m4, m5), max(m6, m7)));
    float p0 = 0f; float p1 = 0f; float p2 = 0f; float p3 = 0f; float p4 = 0f; float p5 = 0f; float p6 = 0f;
    float p7 = 0f;
    for (int j = 0; j < whole; j += 8) {
      int a = row + j;
      float e0 = exp(activations[a] - max);
      float e1 = exp(activations[a + 1] - max);
      float e2 = exp(activations[a + 2] - max);
      float e3 = exp(activations[a + 3] - max);
      float e4 = exp(activations[a + 4] - max);
      float e5 = exp(activations[a + 5] - max);
      float e6 = exp(activations[a + 6] - max);
      float e7 = exp(activations[a + 7] - max);
      activations[a] = e0; activations[a + 1] = e1; activations[a + 2] = e2; activations[a + 3] = e3;
      activations[a + 4] = e4; activations[a + 5] = e5; activations[a + 6] = e6; activations[a + 7] = e7;
      p0 += e0; p1 += e1; p2 += e2; p3 += e3; p4 += e4; p5 += e5; p6 += e6; p7 += e7;
    }
    for (int j = whole; j < seq; j++) {
      float e = exp(activations[row + j] - max);
      activations[row + j] = e;
      p0 += e;
    }
    float inv = 1f / (((p0 + p1) + (p2 + p3)) + ((p4 + p5) + (p6 + p7)));
    for (int j = 0; j < seq; j++) {
      float pj = activations[row + j] * inv;
      if (intInputs[m + j] == 0) {
        pj = 0f;
      }
      activations[row + j] = pj;
    }
  }


  /**
   * One row of {@code LN(x + r)} written to {@code activations[y...]}: x in {@code xs}, r in
   * {@link #dense} (or {@code r = -1} for none); mean and biased variance, two passes.
   */
  protected final void layerNorm(int g, float[] xs, int x, int r, int y, int gamma, float eps, int hidden) {
    int xr = x + g * hidden;
    int yr = y + g * hidden;
    float sum = 0f;
    for (int h = 0; h < hidden; h++) {
      float v = xs[xr + h];
      if (r >= 0) {
        v += dense[r + g * hidden + h];
      }
      activations[yr + h] = v;
      sum += v;
    }
    normalizeRow(yr, sum, gamma, eps, hidden);
  }

  /** Embedding sum of one token, then LayerNorm. */
  protected final void embeddings(int g, int y, int ids, int segments, int seq, int tok, int pos, int seg,
      int gamma, float eps, int hidden) {
    int s = g % seq;
    int tr = tok + intInputs[ids + g] * hidden;
    int pr = pos + s * hidden;
    int sr = seg + intInputs[segments + g] * hidden;
    int yr = y + g * hidden;
    float sum = 0f;
    for (int h = 0; h < hidden; h++) {
      float v = (parameters[tr + h] + parameters[pr + h]) + parameters[sr + h];
      activations[yr + h] = v;
      sum += v;
    }
    normalizeRow(yr, sum, gamma, eps, hidden);
  }

  /** Normalizes row {@code activations[yr..yr+hidden)} in place, given the sum of its values. */
  protected final void normalizeRow(int yr, float sum, int gamma, float eps, int hidden) {
    float mean = sum / hidden;
    float var = 0f;
    for (int h = 0; h < hidden; h++) {
      float d = activations[yr + h] - mean;
      var += d * d;
    }
    var = var / hidden;
    float inv = 1f / sqrt(var + eps);
    for (int h = 0; h < hidden; h++) {
      activations[yr + h] = (activations[yr + h] - mean) * inv * parameters[gamma + h]
          + parameters[gamma + hidden + h];
    }
  }

  /** One element of the rows gathered at mask positions. */
  protected final void gatherRows(int g, int x, int rowTokens, int y, int hidden) {
    int h = g % hidden;
    activations[y + g] = activations[x + intInputs[rowTokens + g / hidden] * hidden + h];
  }

  /**
   * Activation in place over rows; see {@link Ops#ACTIVATE}. Each work-item does
   * {@value #ACTIVATE_RUN} consecutive elements of a row.
   */
  protected final void activateRows(int g, float[] ys) {
    int runs = (i2 + ACTIVATE_RUN - 1) / ACTIVATE_RUN;
    int row = g / runs;
    int c0 = (g - row * runs) * ACTIVATE_RUN;
    int at = i0 + row * i1 + c0;
    if (i3 == Ops.ACT_GELU_TANH && c0 + ACTIVATE_RUN <= i2) {
      // the tanh GELU of activate() written out in a whole run: the OpenCL compiler vectorizes this
      // loop, not the per-element call whose activation switch it does not hoist
      for (int c = 0; c < ACTIVATE_RUN; c++) {
        float x = ys[at + c];
        float z = 0.7978845608028654f * (x + 0.044715f * x * x * x);
        float t = 1f - 2f / (exp(2f * abs(z)) + 1f);
        t = z < 0f ? -t : t;
        ys[at + c] = 0.5f * x * (1f + t);
      }
    } else if (i3 == Ops.ACT_GELU && c0 + ACTIVATE_RUN <= i2) {
      // the exact GELU of activate() written out in a whole run, for the same reason (KernelMathTest checks
      // that both give the same bits)
      for (int c = 0; c < ACTIVATE_RUN; c++) {
        float x = ys[at + c];
        float z = x * 0.70710678118654752f;
        float az = abs(z);
        float zs = min(az, 1f);
        float zz = zs * zs;
        float series = zs + zs * (0.12837916709551257f + zz * (-0.37612638903183754f + zz * (0.11283791670955126f
            + zz * (-0.026866170645131252f + zz * (0.005223977625442188f + zz * (-8.548327023450852e-4f
            + zz * (1.2055332981789664e-4f + zz * (-1.4925650358406251e-5f + zz * (1.6462114365889246e-6f
            + zz * (-1.6365844691234924e-7f + zz * (1.4807192815879218e-8f
            + zz * (-1.2290555301717926e-9f))))))))))));
        float t = 1f / (1f + 0.5f * az);
        float poly = -1.26551223f + t * (1.00002368f + t * (0.37409196f + t * (0.09678418f
            + t * (-0.18628806f + t * (0.27886807f + t * (-1.13520398f + t * (1.48851587f
            + t * (-0.82215223f + t * 0.17087277f))))))));
        float fit = 1f - t * exp(-az * az + poly);
        float e = az <= 1f ? series : fit;
        e = z < 0f ? -e : e;
        ys[at + c] = 0.5f * x * (1f + e);
      }
    } else {
      for (int c = 0; c < ACTIVATE_RUN; c++) {
        if (c0 + c < i2) {
          ys[at + c] = activate(ys[at + c], i3);
        }
      }
    }
  }

  /**
   * Applies an {@link Ops} activation. Everything is computed here, without calls to other helpers
   * (Aparapi emits OpenCL functions in an order that breaks for deeper call chains), and without
   * data-dependent branches (so the OpenCL compiler can vectorize across work-items).
   *
   * <p>erf has no OpenCL builtin through Aparapi: a Taylor series written as {@code z + z·(small
   * correction)} for |z| ≤ 1, a Chebyshev fit of erfc (fractional error below 1.2e-7) beyond; both
   * are evaluated and one selected, so erf is within about 1e-7. tanh is computed from exp in
   * single precision (Aparapi's own tanh is double only).
   */
  protected final float activate(float x, int act) {
    float r = x;
    if (act == Ops.ACT_GELU || act == Ops.ACT_ERF) {
      float z = x;
      if (act == Ops.ACT_GELU) {
        z = x * 0.70710678118654752f;
      }
      float az = abs(z);
      float zs = min(az, 1f);
      float zz = zs * zs;
      float series = zs + zs * (0.12837916709551257f + zz * (-0.37612638903183754f + zz * (0.11283791670955126f
          + zz * (-0.026866170645131252f + zz * (0.005223977625442188f + zz * (-8.548327023450852e-4f
          + zz * (1.2055332981789664e-4f + zz * (-1.4925650358406251e-5f + zz * (1.6462114365889246e-6f
          + zz * (-1.6365844691234924e-7f + zz * (1.4807192815879218e-8f
          + zz * (-1.2290555301717926e-9f))))))))))));
      float t = 1f / (1f + 0.5f * az);
      float poly = -1.26551223f + t * (1.00002368f + t * (0.37409196f + t * (0.09678418f
          + t * (-0.18628806f + t * (0.27886807f + t * (-1.13520398f + t * (1.48851587f
          + t * (-0.82215223f + t * 0.17087277f))))))));
      float fit = 1f - t * exp(-az * az + poly);
      float e = az <= 1f ? series : fit;
      e = z < 0f ? -e : e;
      r = act == Ops.ACT_GELU ? 0.5f * x * (1f + e) : e;
    } else if (act == Ops.ACT_GELU_TANH || act == Ops.ACT_TANH) {
      float z = x;
      if (act == Ops.ACT_GELU_TANH) {
        z = 0.7978845608028654f * (x + 0.044715f * x * x * x);
      }
      float t = 1f - 2f / (exp(2f * abs(z)) + 1f);
      t = z < 0f ? -t : t;
      r = act == Ops.ACT_GELU_TANH ? 0.5f * x * (1f + t) : t;
    }
    return r;
  }
}
