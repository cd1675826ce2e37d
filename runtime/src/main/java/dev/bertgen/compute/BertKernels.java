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
 * <p>These are the barrier-free kernels (one or a few outputs per work-item, reductions over
 * contiguous memory with independent partial sums so that PoCL vectorizes them); they serve OpenCL
 * devices and Aparapi's Java-thread mode alike. Aparapi translates {@code run()} and everything it
 * calls to OpenCL C: no {@code break}, no {@code switch}, no objects, no writes to scalar fields,
 * and every array field non-null.
 */
public abstract class BertKernels extends Kernel {

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
  /** Integer arguments of the operation. */
  protected int i0;
  protected int i1;
  protected int i2;
  protected int i3;
  protected int i4;
  protected int i5;
  protected int i6;
  protected int i7;
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
        dense(g, i0, i1, i2, i3, i4, i5, i6, hidden, i7);
      } else if (op == Ops.DENSE_FROM_INTERMEDIATE) {
        dense(g, i0, i1, i2, i3, i4, i5, i6, intermediate, i7);
      } else if (op == Ops.ATTENTION) {
        attention(g, i0, i1, i2, i3, i4, f0, hidden, heads, headDim);
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

  /** One output of {@code Y = act(X·Wᵀ + b)}; W is [n][k] in the parameter arena. */
  protected final void dense(int g, int x, int ldx, int w, int bias, int y, int ldy, int n, int k, int act) {
    int row = g / n;
    int col = g - row * n;
    int xr = x + row * ldx;
    int wr = w + col * k;
    // 16 independent partial sums over contiguous k: PoCL's SLP vectorizer turns them into FMAs
    float s0 = 0f;
    float s1 = 0f;
    float s2 = 0f;
    float s3 = 0f;
    float s4 = 0f;
    float s5 = 0f;
    float s6 = 0f;
    float s7 = 0f;
    float s8 = 0f;
    float s9 = 0f;
    float s10 = 0f;
    float s11 = 0f;
    float s12 = 0f;
    float s13 = 0f;
    float s14 = 0f;
    float s15 = 0f;
    int blocks = k / 16;
    for (int t = 0; t < blocks; t++) {
      int xi = xr + t * 16;
      int wi = wr + t * 16;
      s0 += a[xi] * p[wi];
      s1 += a[xi + 1] * p[wi + 1];
      s2 += a[xi + 2] * p[wi + 2];
      s3 += a[xi + 3] * p[wi + 3];
      s4 += a[xi + 4] * p[wi + 4];
      s5 += a[xi + 5] * p[wi + 5];
      s6 += a[xi + 6] * p[wi + 6];
      s7 += a[xi + 7] * p[wi + 7];
      s8 += a[xi + 8] * p[wi + 8];
      s9 += a[xi + 9] * p[wi + 9];
      s10 += a[xi + 10] * p[wi + 10];
      s11 += a[xi + 11] * p[wi + 11];
      s12 += a[xi + 12] * p[wi + 12];
      s13 += a[xi + 13] * p[wi + 13];
      s14 += a[xi + 14] * p[wi + 14];
      s15 += a[xi + 15] * p[wi + 15];
    }
    for (int kk = blocks * 16; kk < k; kk++) {
      s0 += a[xr + kk] * p[wr + kk];
    }
    float acc = (((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)))
        + (((s8 + s9) + (s10 + s11)) + ((s12 + s13) + (s14 + s15)));
    if (bias >= 0) {
      acc += p[bias + col];
    }
    a[y + row * ldy + col] = activate(acc, act);
  }

  /** One query row of masked self-attention, keras-hub's way. */
  protected final void attention(int g, int qkv, int mask, int seq, int probs, int ctx, float scale,
      int hidden, int heads, int headDim) {
    int i = g % seq;
    int bh = g / seq;
    int h = bh % heads;
    int b = bh / heads;
    int stride = 3 * hidden;
    int q = qkv + (b * seq + i) * stride + h * headDim;
    int keys = qkv + b * seq * stride + hidden + h * headDim;
    int values = keys + hidden;
    int pr = probs + (bh * seq + i) * seq;
    float max = -3.0e38f;
    for (int j = 0; j < seq; j++) {
      float s = -1.0e9f;
      if (ii[mask + b * seq + j] != 0) {
        int kr = keys + j * stride;
        float d0 = 0f;
        float d1 = 0f;
        float d2 = 0f;
        float d3 = 0f;
        int quads = headDim / 4;
        for (int t = 0; t < quads; t++) {
          int o = t * 4;
          d0 += (a[q + o] * scale) * a[kr + o];
          d1 += (a[q + o + 1] * scale) * a[kr + o + 1];
          d2 += (a[q + o + 2] * scale) * a[kr + o + 2];
          d3 += (a[q + o + 3] * scale) * a[kr + o + 3];
        }
        for (int o = quads * 4; o < headDim; o++) {
          d0 += (a[q + o] * scale) * a[kr + o];
        }
        s = (d0 + d1) + (d2 + d3);
      }
      a[pr + j] = s;
      max = max(max, s);
    }
    float sum = 0f;
    for (int j = 0; j < seq; j++) {
      float e = exp(a[pr + j] - max);
      a[pr + j] = e;
      sum += e;
    }
    float inv = 1f / sum;
    for (int j = 0; j < seq; j++) {
      float pj = a[pr + j] * inv;
      if (ii[mask + b * seq + j] == 0) {
        pj = 0f;
      }
      a[pr + j] = pj;
    }
    int c = ctx + (b * seq + i) * hidden + h * headDim;
    for (int d = 0; d < headDim; d++) {
      float acc = 0f;
      int vr = values + d;
      for (int j = 0; j < seq; j++) {
        acc += a[pr + j] * a[vr + j * stride];
      }
      a[c + d] = acc;
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
