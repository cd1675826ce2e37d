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
  /**
   * Elements per work-item of the elementwise operations: one work-item per element spends more
   * time on the work-item than on the element (PoCL runs a work-group as a loop over this large
   * kernel's body). On GPUs work-item g does elements g, g + count, g + 2·count, ... so that
   * neighbouring work-items touch neighbouring elements (coalesced); on CPUs a contiguous run.
   */
  public static final int RUN = 16;
  /** Rows and columns of one transpose tile. */
  public static final int TILE = 16;
  /** Logits per work-item of the cross-entropy passes. */
  public static final int CE_SLICE = 1024;
  /** Elements per work-item of an activation pass. */
  public static final int ACTIVATE_RUN = 8;

  /** Parameters: the model's weight arena. */
  protected float[] p = new float[1];
  /** Activations and workspace. */
  protected float[] a = new float[1];
  /** Integer inputs: token ids, segment ids, padding masks, mask positions. */
  protected int[] ii = new int[1];
  /** Results to download (small; the activation arena never leaves the device). */
  protected float[] out = new float[1];
  /**
   * Outputs of the fixed-shape products, each written from offset 0: query/key/value rows
   * ({@code q}), the feed-forward intermediate ({@code f}), hidden-width products ({@code d}) and
   * logits ({@code l}). A product whose output base is a compile-time constant runs several times
   * faster on PoCL than one writing at a run-time offset (measured: about 150 against 40 GFLOP/s).
   */
  protected float[] q = new float[1];
  protected float[] f = new float[1];
  protected float[] d = new float[1];
  protected float[] l = new float[1];
  /** Training: gradients (the parameter arena's layout) and Adam's first and second moments. */
  protected float[] gr = new float[1];
  protected float[] m1 = new float[1];
  protected float[] m2 = new float[1];
  /** Small float inputs uploaded with each training step (sample weights). */
  protected float[] fin = new float[1];

  /** The operation {@link #dispatch} runs: an {@link Ops} constant. */
  protected int op;
  /** Number of work-items that do work (the range is rounded up to whole work-groups). */
  protected int count;
  /**
   * Element e of work-item g's j-th step is {@code g·itemStride + j·elementStride}: (1, count) on GPUs,
   * where neighbouring work-items touch neighbouring elements (coalesced), and ({@link #RUN}, 1) on
   * CPUs, where a work-item's own run is contiguous (ADD and ADAM up to 2.5x faster on PoCL).
   */
  protected int itemStride = 1;
  protected int elementStride = 1;
  /** Elements of an elementwise operation ({@link Ops#isElementwise}); each work-item does up to {@link #RUN}. */
  protected int elements;
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
  protected float f2;
  protected float f3;
  protected float f4;
  protected float f5;
  protected float f6;

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
      if (op == Ops.SAVE_QKV || op == Ops.SAVE_INTERMEDIATE || op == Ops.SAVE_DENSE || op == Ops.COPY
          || op == Ops.ADD || op == Ops.DROPOUT || op == Ops.ACTIVATION_BACKWARD || op == Ops.FILL_GRADIENTS
          || op == Ops.ADAM || op == Ops.FILL || op == Ops.COPY_OUT || op == Ops.COPY_OUT_LOGITS
          || op == Ops.SUM_SLABS) {
        elementwise(g);
      } else if (op == Ops.DENSE_QKV) {
        gemm(g, a, p, q, hidden);
      } else if (op == Ops.DENSE_UP) {
        gemm(g, a, p, f, hidden);
      } else if (op == Ops.DENSE_DOWN) {
        gemm(g, f, p, d, intermediate);
      } else if (op == Ops.DENSE_HIDDEN) {
        gemm(g, a, p, d, hidden);
      } else if (op == Ops.LOGITS) {
        gemm(g, a, a, l, hidden);
      } else if (op == Ops.DENSE_FROM_HIDDEN) {
        gemm(g, a, p, a, hidden);
      } else if (op == Ops.ATTENTION_SCORES) {
        gemm(g, q, a, a, headDim);
      } else if (op == Ops.ATTENTION_CONTEXT) {
        gemm(g, a, q, a, i19);
      } else if (op == Ops.MASKED_SOFTMAX) {
        maskedSoftmax(g, i0, i1, i2, heads);
      } else if (op == Ops.TRANSPOSE_KEYS) {
        transpose(g, q, a);
      } else if (op == Ops.TRANSPOSE_PARAMETERS) {
        transpose(g, p, a);
      } else if (op == Ops.ADD_LAYER_NORM) {
        layerNorm(g, a, i0, i1, i2, i3, f0, hidden);
      } else if (op == Ops.LAYER_NORM_DENSE) {
        layerNorm(g, d, i0, -1, i2, i3, f0, hidden);
      } else if (op == Ops.EMBEDDINGS) {
        embeddings(g, i0, i1, i2, i3, i4, i5, i6, i7, f0, hidden);
      } else if (op == Ops.GATHER_ROWS) {
        gatherRows(g, i0, i1, i2, hidden);
      } else if (op == Ops.ACTIVATE) {
        activateRows(g, a);
      } else if (op == Ops.ACTIVATE_INTERMEDIATE) {
        activateRows(g, f);
      } else if (op == Ops.ACTIVATE_DENSE) {
        activateRows(g, d);
      } else {
        training(g, hidden, intermediate);
      }
    }
  }

  /** The training operations (backward passes, loss, optimizer); see {@link Ops}. */
  protected final void training(int g, int hidden, int intermediate) {
    if (op == Ops.MATMUL) {
      gemm(g, a, a, a, i19);
    } else if (op == Ops.MATMUL_PARAMETERS) {
      gemm(g, a, p, a, i19);
    } else if (op == Ops.MATMUL_TO_GRADIENTS) {
      gemmTransposedX(g, a, a, gr, i19);
    } else if (op == Ops.MATMUL_TRANSPOSED_X) {
      gemmTransposedX(g, a, a, a, i19);
    } else if (op == Ops.MATMUL_TRANSPOSED_X_PARAMETERS) {
      gemmTransposedX(g, a, p, a, i19);
    } else if (op == Ops.TRANSPOSE) {
      transpose(g, a, a);
    } else if (op == Ops.EMBEDDING_SUM) {
      embeddingSum(g, hidden);
    } else if (op == Ops.LAYER_NORM_BACKWARD) {
      layerNormBackward(g, hidden);
    } else if (op == Ops.LAYER_NORM_PARAMETER_GRADIENTS) {
      layerNormParameterGradients(g, hidden);
    } else if (op == Ops.COLUMN_SUMS) {
      columnSums(g);
    } else if (op == Ops.SOFTMAX_BACKWARD) {
      softmaxBackward(g);
    } else if (op == Ops.CROSS_ENTROPY_PARTIALS) {
      crossEntropyPartials(g);
    } else if (op == Ops.CROSS_ENTROPY) {
      crossEntropy(g);
    } else if (op == Ops.SCATTER_MASK_GRADIENTS) {
      scatterMaskGradients(g, hidden);
    } else if (op == Ops.TOKEN_EMBEDDING_GRADIENTS) {
      tokenEmbeddingGradients(g, hidden);
    } else if (op == Ops.POSITION_EMBEDDING_GRADIENTS) {
      positionEmbeddingGradients(g, hidden);
    } else if (op == Ops.SEGMENT_EMBEDDING_GRADIENTS) {
      segmentEmbeddingGradients(g, hidden);
    } else if (op == Ops.SQUARED_SUMS) {
      squaredSums(g);
    }
  }

  /** Token, position and segment embeddings summed, no LayerNorm (training keeps the sum). */
  protected final void embeddingSum(int g, int hidden) {
    int h = g % hidden;
    int t = g / hidden;
    int s = t % i3;
    a[i0 + g] = (p[i4 + ii[i1 + t] * hidden + h] + p[i5 + s * hidden + h]) + p[i6 + ii[i2 + t] * hidden + h];
  }

  /**
   * The elementwise operations, {@link #RUN} elements per work-item (see {@link Ops#isElementwise}):
   * element e of work-item g is g·{@link #itemStride} + j·{@link #elementStride} for j < RUN, while
   * e < {@link #elements}.
   */
  protected final void elementwise(int g) {
    if (op == Ops.ACTIVATION_BACKWARD && i3 == Ops.ACT_GELU_TANH && elementStride == 1
        && g * RUN + RUN <= elements) {
      geluTanhBackwardRun(g * RUN);
    } else {
      elementwiseRun(g);
    }
  }

  /**
   * {@link Ops#ACTIVATION_BACKWARD} of the tanh GELU over one whole contiguous run (CPUs): the
   * derivative of {@link #activateGrad} written out in the loop, which the OpenCL compiler can
   * vectorize (on PoCL about 1.4x the per-element call, whose activation switch it does not hoist).
   */
  protected final void geluTanhBackwardRun(int e0) {
    for (int j = 0; j < RUN; j++) {
      int e = e0 + j;
      float x = a[i0 + e];
      float c = 0.7978845608028654f;
      float z = c * (x + 0.044715f * x * x * x);
      float t = 1f - 2f / (exp(2f * abs(z)) + 1f);
      t = z < 0f ? -t : t;
      a[i2 + e] = a[i1 + e] * (0.5f * (1f + t) + 0.5f * x * (1f - t * t) * c * (1f + 3f * 0.044715f * x * x));
    }
  }

  /** The elementwise operations for work-item g, element by element. */
  protected final void elementwiseRun(int g) {
    for (int j = 0; j < RUN; j++) {
      int e = g * itemStride + j * elementStride;
      if (e < elements) {
        if (op == Ops.FILL_GRADIENTS) {
          gr[i0 + e] = 0f;
        } else if (op == Ops.ADAM) {
          adam(e);
        } else if (op == Ops.DROPOUT) {
          dropout(e);
        } else if (op == Ops.ACTIVATION_BACKWARD) {
          a[i2 + e] = a[i1 + e] * activateGrad(a[i0 + e], i3);
        } else if (op == Ops.COPY) {
          a[i1 + e] = a[i0 + e];
        } else if (op == Ops.ADD) {
          a[i2 + e] = a[i0 + e] + a[i1 + e];
        } else if (op == Ops.SAVE_QKV) {
          a[i1 + e] = q[i0 + e];
        } else if (op == Ops.SAVE_INTERMEDIATE) {
          a[i1 + e] = f[i0 + e];
        } else if (op == Ops.SAVE_DENSE) {
          a[i1 + e] = d[i0 + e];
        } else if (op == Ops.FILL) {
          a[i0 + e] = f0;
        } else if (op == Ops.COPY_OUT) {
          out[i1 + e] = a[i0 + e];
        } else if (op == Ops.SUM_SLABS) {
          float sum = 0f;
          for (int s = 0; s < i2; s++) {
            sum += a[i0 + s * i3 + e];
          }
          a[i1 + e] = sum;
        } else {
          out[i1 + e] = l[i0 + e];
        }
      }
    }
  }

  /**
   * Inverted dropout in place, {@code a[i0 + g] *= keep / (1 - rate)}, with a counter-based hash of
   * (seed i2, step i3, stream i1, element g) deciding "keep": the same arguments give the same mask,
   * so the backward pass applies it to the gradient with the same launch. f0 the rate.
   */
  protected final void dropout(int g) {
    int hsh = i2 ^ (i3 * 0x632BE5AB) ^ (i1 * 0x5BD1E995) ^ (g * 0x27D4EB2F);
    hsh = hsh ^ (hsh >>> 15);
    hsh = hsh * 0x2C1B3C6D;
    hsh = hsh ^ (hsh >>> 12);
    hsh = hsh * 0x297A2D39;
    hsh = hsh ^ (hsh >>> 15);
    float u = (hsh >>> 8) * 5.9604645e-8f;
    float keep = 0f;
    if (u >= f0) {
      keep = 1f / (1f - f0);
    }
    a[i0 + g] = a[i0 + g] * keep;
  }

  /**
   * The derivative of an {@link Ops} activation at x (no calls, no data-dependent branches; see
   * {@link #activate}): exact GELU 0.5(1 + erf(x/√2)) + x·φ(x); tanh GELU from t = tanh(c(x +
   * 0.044715x³)): 0.5(1 + t) + 0.5x(1 − t²)·c(1 + 3·0.044715x²); tanh 1 − tanh².
   */
  protected final float activateGrad(float x, int act) {
    float r = 1f;
    if (act == Ops.ACT_GELU) {
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
      r = 0.5f * (1f + e) + x * 0.3989422804014327f * exp(-0.5f * x * x);
    } else if (act == Ops.ACT_GELU_TANH) {
      float c = 0.7978845608028654f;
      float z = c * (x + 0.044715f * x * x * x);
      float t = 1f - 2f / (exp(2f * abs(z)) + 1f);
      t = z < 0f ? -t : t;
      r = 0.5f * (1f + t) + 0.5f * x * (1f - t * t) * c * (1f + 3f * 0.044715f * x * x);
    } else if (act == Ops.ACT_TANH) {
      float t = 1f - 2f / (exp(2f * abs(x)) + 1f);
      t = x < 0f ? -t : t;
      r = 1f - t * t;
    }
    return r;
  }

  /**
   * LayerNorm backward for one row: x i0 (the input), dy i1, dx i2 (may equal dy), gamma i3 [p],
   * f0 epsilon; also writes the row's mean and 1/σ to i4 + 2·row for the parameter gradients.
   */
  protected final void layerNormBackward(int g, int hidden) {
    int xr = i0 + g * hidden;
    int dyr = i1 + g * hidden;
    int dxr = i2 + g * hidden;
    float sum = 0f;
    for (int h = 0; h < hidden; h++) {
      sum += a[xr + h];
    }
    float mean = sum / hidden;
    float var = 0f;
    for (int h = 0; h < hidden; h++) {
      float dv = a[xr + h] - mean;
      var += dv * dv;
    }
    float rstd = 1f / sqrt(var / hidden + f0);
    float meanDxhat = 0f;
    float meanDxhatXhat = 0f;
    for (int h = 0; h < hidden; h++) {
      float dxhat = a[dyr + h] * p[i3 + h];
      meanDxhat += dxhat;
      meanDxhatXhat += dxhat * (a[xr + h] - mean) * rstd;
    }
    meanDxhat = meanDxhat / hidden;
    meanDxhatXhat = meanDxhatXhat / hidden;
    for (int h = 0; h < hidden; h++) {
      float xhat = (a[xr + h] - mean) * rstd;
      float dxhat = a[dyr + h] * p[i3 + h];
      a[dxr + h] = rstd * (dxhat - meanDxhat - xhat * meanDxhatXhat);
    }
    a[i4 + 2 * g] = mean;
    a[i4 + 2 * g + 1] = rstd;
  }

  /**
   * LayerNorm parameter gradients for one column h: dγ = Σ dy·x̂, dβ = Σ dy over i5 rows; x i0, dy
   * i1 (the gradient before {@link #layerNormBackward} overwrote it, if it did), row statistics i4,
   * dγ written to [gr] i3 + h and dβ to i3 + hidden + h.
   */
  protected final void layerNormParameterGradients(int h, int hidden) {
    float dg = 0f;
    float db = 0f;
    for (int r = 0; r < i5; r++) {
      float dy = a[i1 + r * hidden + h];
      float xhat = (a[i0 + r * hidden + h] - a[i4 + 2 * r]) * a[i4 + 2 * r + 1];
      dg += dy * xhat;
      db += dy;
    }
    gr[i3 + h] = dg;
    gr[i3 + hidden + h] = db;
  }

  /** Column n of a matrix summed over its rows into [gr]: i0 matrix [a], i1 row stride, i2 rows, i3 target. */
  protected final void columnSums(int n) {
    float sum = 0f;
    for (int r = 0; r < i2; r++) {
      sum += a[i0 + r * i1 + n];
    }
    gr[i3 + n] = sum;
  }

  /** Softmax backward of one row: dS = P ⊙ (dP − Σ dP·P); P i0, dP i1, dS i2, row length i3. */
  protected final void softmaxBackward(int g) {
    int pr = i0 + g * i3;
    int dpr = i1 + g * i3;
    int dsr = i2 + g * i3;
    float dot = 0f;
    for (int j = 0; j < i3; j++) {
      dot += a[dpr + j] * a[pr + j];
    }
    for (int j = 0; j < i3; j++) {
      a[dsr + j] = a[pr + j] * (a[dpr + j] - dot);
    }
  }

  /**
   * The cross-entropy's first pass for one (row, slice) of {@link #CE_SLICE} logits: the slice's
   * maximum, the index where it first occurs, and the sum of exp(x − maximum), three floats per
   * (row, slice) at [a] i7. Splitting the vocabulary keeps every core busy when a step has few mask
   * rows (one work-item per row ran on one core).
   */
  protected final void crossEntropyPartials(int g) {
    int row = g / i6;
    int from = (g - row * i6) * CE_SLICE;
    int to = from + CE_SLICE;
    if (to > i4) {
      to = i4;
    }
    int base = i0 + row * i4;
    float max = -3.0e38f;
    int best = from;
    for (int v = from; v < to; v++) {
      float x = l[base + v];
      if (x > max) {
        max = x;
        best = v;
      }
    }
    // eight partial sums: a single running sum is a chain the compiler may not reorder (3-5x slower)
    float s0 = 0f;
    float s1 = 0f;
    float s2 = 0f;
    float s3 = 0f;
    float s4 = 0f;
    float s5 = 0f;
    float s6 = 0f;
    float s7 = 0f;
    int whole = from + ((to - from) / 8) * 8;
    for (int v = from; v < whole; v += 8) {
      int e = base + v;
      s0 += exp(l[e] - max);
      s1 += exp(l[e + 1] - max);
      s2 += exp(l[e + 2] - max);
      s3 += exp(l[e + 3] - max);
      s4 += exp(l[e + 4] - max);
      s5 += exp(l[e + 5] - max);
      s6 += exp(l[e + 6] - max);
      s7 += exp(l[e + 7] - max);
    }
    for (int v = whole; v < to; v++) {
      s0 += exp(l[base + v] - max);
    }
    float sum = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    int at = i7 + 3 * g;
    a[at] = max;
    a[at + 1] = sum;
    a[at + 2] = best;
  }

  /**
   * Sparse categorical cross-entropy from logits with its gradient, for one (row, slice): the row's
   * maximum and sum of exponentials from the slices' partials, then {@code dlogits = (softmax −
   * onehot)·weight·f0} over the slice. Logits [l] i0 (rows of i4), labels [ii] i1, sample weights
   * [fin] i2, dlogits [a] i3, partials [a] i7 (i6 slices per row); slice 0 writes loss·weight and
   * correct·weight to [out] i5 + 2·row. f0 is keras' scale, 1 / (batch · mask slots): the loss is
   * summed over the batch's slots, padded ones included, and divided by their number.
   */
  protected final void crossEntropy(int g) {
    int row = g / i6;
    int slice = g - row * i6;
    int parts = i7 + 3 * row * i6;
    float max = -3.0e38f;
    int best = 0;
    for (int s = 0; s < i6; s++) {
      float m = a[parts + 3 * s];
      if (m > max) {
        max = m;
        best = (int) a[parts + 3 * s + 2];
      }
    }
    float sum = 0f;
    for (int s = 0; s < i6; s++) {
      sum += a[parts + 3 * s + 1] * exp(a[parts + 3 * s] - max);
    }
    int label = ii[i1 + row];
    float w = fin[i2 + row];
    int base = i0 + row * i4;
    int dr = i3 + row * i4;
    float inv = 1f / sum;
    float scale = w * f0;
    int from = slice * CE_SLICE;
    int to = from + CE_SLICE;
    if (to > i4) {
      to = i4;
    }
    for (int v = from; v < to; v++) {
      float pv = exp(l[base + v] - max) * inv;
      float onehot = 0f;
      if (v == label) {
        onehot = 1f;
      }
      a[dr + v] = (pv - onehot) * scale;
    }
    if (slice == 0) {
      out[i5 + 2 * row] = w * (max + log(sum) - l[base + label]);
      float correct = 0f;
      if (best == label) {
        correct = 1f;
      }
      out[i5 + 2 * row + 1] = w * correct;
    }
  }

  /**
   * Gradients of gathered rows added back at their token indices; one work-item per hidden column,
   * over the rows in order (two rows may name one token: padded slots).
   */
  protected final void scatterMaskGradients(int g, int hidden) {
    for (int r = 0; r < i2; r++) {
      a[i3 + ii[i1 + r] * hidden + g] += a[i0 + r * hidden + g];
    }
  }

  /**
   * Token embedding gradients without float atomics: the host lists, per distinct token id, the
   * token positions that use it ([ii] i1 ids, i2 start offsets (count + 1), i3 positions); one
   * work-item per (distinct id, h) adds the summed rows of dEmb [a] i0 to [gr] i4.
   */
  protected final void tokenEmbeddingGradients(int g, int hidden) {
    int h = g % hidden;
    int u = g / hidden;
    float sum = 0f;
    for (int k = ii[i2 + u]; k < ii[i2 + u + 1]; k++) {
      sum += a[i0 + ii[i3 + k] * hidden + h];
    }
    gr[i4 + ii[i1 + u] * hidden + h] += sum;
  }

  /** Position embedding gradients: element (s, h) sums dEmb [a] i0 over i1 sequences of length i2 into [gr] i3. */
  protected final void positionEmbeddingGradients(int g, int hidden) {
    int h = g % hidden;
    int s = g / hidden;
    float sum = 0f;
    for (int b = 0; b < i1; b++) {
      sum += a[i0 + (b * i2 + s) * hidden + h];
    }
    gr[i3 + g] = sum;
  }

  /** Segment embedding gradients: element (segment, h) sums dEmb [a] i0 over the i1 tokens of that segment ([ii] i2). */
  protected final void segmentEmbeddingGradients(int g, int hidden) {
    int h = g % hidden;
    int sid = g / hidden;
    float sum = 0f;
    for (int t = 0; t < i1; t++) {
      if (ii[i2 + t] == sid) {
        sum += a[i0 + t * hidden + h];
      }
    }
    gr[i3 + g] = sum;
  }

  /** Sum of squares of gradient chunk g (i1 elements from i0 + g·i1, at most up to i2) into [out] i3 + g. */
  protected final void squaredSums(int g) {
    int start = i0 + g * i1;
    int end = min(start + i1, i0 + i2);
    float sum = 0f;
    for (int k = start; k < end; k++) {
      sum += gr[k] * gr[k];
    }
    out[i3 + g] = sum;
  }

  /**
   * One Adam step for parameter i0 + g: m = β1·m + (1−β1)·c·g, v = β2·v + (1−β2)·(c·g)², p −= f5·p
   * (decoupled weight decay) then p −= f0·m / (f1·√v + ε) — Keras: f0 = lr·√(1−β2ᵗ)/(1−β1ᵗ), f1 = 1;
   * PyTorch: f0 = lr/(1−β1ᵗ), f1 = 1/√(1−β2ᵗ). f2 β1, f3 β2, f4 ε, f6 c (gradient clipping scale).
   */
  protected final void adam(int g) {
    int k = i0 + g;
    float gk = gr[k] * f6;
    float mk = f2 * m1[k] + (1f - f2) * gk;
    float vk = f3 * m2[k] + (1f - f3) * gk * gk;
    m1[k] = mk;
    m2[k] = vk;
    float pk = p[k] - f5 * p[k];
    p[k] = pk - f0 * mk / (f1 * sqrt(vk) + f4);
  }

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
   * {@code Y = alpha·Xᵀ·W} (no bias, no column groups) with X stored (K×M), row stride i1: a weight
   * gradient {@code dW = Xᵀ·dY} straight from the activations, or an input gradient from a transposed
   * copy. The block's 16 X values of a step are contiguous, so it keeps two pointers where the
   * row-major block with run-time strides keeps seventeen: about 3x faster on PoCL. Other arguments
   * (batching included) as for {@link #gemm}.
   */
  protected final void gemmTransposedX(int g, float[] xs, float[] ws, float[] ys, int k) {
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
    int x = i0 + outer * i11 + inner * i12 + r0;
    int w = i2 + outer * i13 + inner * i14 + c0;
    int y = i4 + outer * i15 + inner * i16 + r0 * i5 + c0;
    if (r0 + BLOCK_ROWS <= i8 && c0 + BLOCK_COLS <= i9) {
      gemmBlockTransposedX(xs, x, i1, ws, w, i3, ys, y, i5, -1, f0, k);
    } else {
      for (int r = 0; r < BLOCK_ROWS; r++) {
        if (r0 + r < i8) {
          for (int j = 0; j < BLOCK_COLS; j++) {
            if (c0 + j < i9) {
              float acc = 0f;
              for (int kk = 0; kk < k; kk++) {
                acc += xs[x + kk * i1 + r] * ws[w + kk * i3 + j];
              }
              ys[y + r * i5 + j] = f0 * acc;
            }
          }
        }
      }
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
            float b = 0f;
            if (i6 >= 0) {
              b = p[i6 + c];
            }
            ys[y + r * i5 + j] = f0 * acc + b;
          }
        }
      }
    }
  }



  // GENERATED by dev.bertgen.spec.codegen.MatmulSource.helperMethod(): do not edit by hand
  /** One 16 x 8 block of {@code Y = alpha * X.W + bias}, all rows and columns in range. */
  protected final void gemmBlock(float[] xs, int x, int ldx, float[] ws, int w, int ldw, float[] ys, int y,
      int ldy, int bias, float alpha, int k) {
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
    float b0 = 0f; float b1 = 0f; float b2 = 0f; float b3 = 0f; float b4 = 0f; float b5 = 0f; float b6 = 0f; float b7 = 0f;
    if (bias >= 0) {
      b0 = p[bias + 0];
      b1 = p[bias + 1];
      b2 = p[bias + 2];
      b3 = p[bias + 3];
      b4 = p[bias + 4];
      b5 = p[bias + 5];
      b6 = p[bias + 6];
      b7 = p[bias + 7];
    }
    int y0 = y;
    ys[y0 + 0] = alpha * a0_0 + b0; ys[y0 + 1] = alpha * a0_1 + b1; ys[y0 + 2] = alpha * a0_2 + b2; ys[y0 + 3] = alpha * a0_3 + b3; ys[y0 + 4] = alpha * a0_4 + b4; ys[y0 + 5] = alpha * a0_5 + b5; ys[y0 + 6] = alpha * a0_6 + b6; ys[y0 + 7] = alpha * a0_7 + b7;
    int y1 = y + 1 * ldy;
    ys[y1 + 0] = alpha * a1_0 + b0; ys[y1 + 1] = alpha * a1_1 + b1; ys[y1 + 2] = alpha * a1_2 + b2; ys[y1 + 3] = alpha * a1_3 + b3; ys[y1 + 4] = alpha * a1_4 + b4; ys[y1 + 5] = alpha * a1_5 + b5; ys[y1 + 6] = alpha * a1_6 + b6; ys[y1 + 7] = alpha * a1_7 + b7;
    int y2 = y + 2 * ldy;
    ys[y2 + 0] = alpha * a2_0 + b0; ys[y2 + 1] = alpha * a2_1 + b1; ys[y2 + 2] = alpha * a2_2 + b2; ys[y2 + 3] = alpha * a2_3 + b3; ys[y2 + 4] = alpha * a2_4 + b4; ys[y2 + 5] = alpha * a2_5 + b5; ys[y2 + 6] = alpha * a2_6 + b6; ys[y2 + 7] = alpha * a2_7 + b7;
    int y3 = y + 3 * ldy;
    ys[y3 + 0] = alpha * a3_0 + b0; ys[y3 + 1] = alpha * a3_1 + b1; ys[y3 + 2] = alpha * a3_2 + b2; ys[y3 + 3] = alpha * a3_3 + b3; ys[y3 + 4] = alpha * a3_4 + b4; ys[y3 + 5] = alpha * a3_5 + b5; ys[y3 + 6] = alpha * a3_6 + b6; ys[y3 + 7] = alpha * a3_7 + b7;
    int y4 = y + 4 * ldy;
    ys[y4 + 0] = alpha * a4_0 + b0; ys[y4 + 1] = alpha * a4_1 + b1; ys[y4 + 2] = alpha * a4_2 + b2; ys[y4 + 3] = alpha * a4_3 + b3; ys[y4 + 4] = alpha * a4_4 + b4; ys[y4 + 5] = alpha * a4_5 + b5; ys[y4 + 6] = alpha * a4_6 + b6; ys[y4 + 7] = alpha * a4_7 + b7;
    int y5 = y + 5 * ldy;
    ys[y5 + 0] = alpha * a5_0 + b0; ys[y5 + 1] = alpha * a5_1 + b1; ys[y5 + 2] = alpha * a5_2 + b2; ys[y5 + 3] = alpha * a5_3 + b3; ys[y5 + 4] = alpha * a5_4 + b4; ys[y5 + 5] = alpha * a5_5 + b5; ys[y5 + 6] = alpha * a5_6 + b6; ys[y5 + 7] = alpha * a5_7 + b7;
    int y6 = y + 6 * ldy;
    ys[y6 + 0] = alpha * a6_0 + b0; ys[y6 + 1] = alpha * a6_1 + b1; ys[y6 + 2] = alpha * a6_2 + b2; ys[y6 + 3] = alpha * a6_3 + b3; ys[y6 + 4] = alpha * a6_4 + b4; ys[y6 + 5] = alpha * a6_5 + b5; ys[y6 + 6] = alpha * a6_6 + b6; ys[y6 + 7] = alpha * a6_7 + b7;
    int y7 = y + 7 * ldy;
    ys[y7 + 0] = alpha * a7_0 + b0; ys[y7 + 1] = alpha * a7_1 + b1; ys[y7 + 2] = alpha * a7_2 + b2; ys[y7 + 3] = alpha * a7_3 + b3; ys[y7 + 4] = alpha * a7_4 + b4; ys[y7 + 5] = alpha * a7_5 + b5; ys[y7 + 6] = alpha * a7_6 + b6; ys[y7 + 7] = alpha * a7_7 + b7;
    int y8 = y + 8 * ldy;
    ys[y8 + 0] = alpha * a8_0 + b0; ys[y8 + 1] = alpha * a8_1 + b1; ys[y8 + 2] = alpha * a8_2 + b2; ys[y8 + 3] = alpha * a8_3 + b3; ys[y8 + 4] = alpha * a8_4 + b4; ys[y8 + 5] = alpha * a8_5 + b5; ys[y8 + 6] = alpha * a8_6 + b6; ys[y8 + 7] = alpha * a8_7 + b7;
    int y9 = y + 9 * ldy;
    ys[y9 + 0] = alpha * a9_0 + b0; ys[y9 + 1] = alpha * a9_1 + b1; ys[y9 + 2] = alpha * a9_2 + b2; ys[y9 + 3] = alpha * a9_3 + b3; ys[y9 + 4] = alpha * a9_4 + b4; ys[y9 + 5] = alpha * a9_5 + b5; ys[y9 + 6] = alpha * a9_6 + b6; ys[y9 + 7] = alpha * a9_7 + b7;
    int y10 = y + 10 * ldy;
    ys[y10 + 0] = alpha * a10_0 + b0; ys[y10 + 1] = alpha * a10_1 + b1; ys[y10 + 2] = alpha * a10_2 + b2; ys[y10 + 3] = alpha * a10_3 + b3; ys[y10 + 4] = alpha * a10_4 + b4; ys[y10 + 5] = alpha * a10_5 + b5; ys[y10 + 6] = alpha * a10_6 + b6; ys[y10 + 7] = alpha * a10_7 + b7;
    int y11 = y + 11 * ldy;
    ys[y11 + 0] = alpha * a11_0 + b0; ys[y11 + 1] = alpha * a11_1 + b1; ys[y11 + 2] = alpha * a11_2 + b2; ys[y11 + 3] = alpha * a11_3 + b3; ys[y11 + 4] = alpha * a11_4 + b4; ys[y11 + 5] = alpha * a11_5 + b5; ys[y11 + 6] = alpha * a11_6 + b6; ys[y11 + 7] = alpha * a11_7 + b7;
    int y12 = y + 12 * ldy;
    ys[y12 + 0] = alpha * a12_0 + b0; ys[y12 + 1] = alpha * a12_1 + b1; ys[y12 + 2] = alpha * a12_2 + b2; ys[y12 + 3] = alpha * a12_3 + b3; ys[y12 + 4] = alpha * a12_4 + b4; ys[y12 + 5] = alpha * a12_5 + b5; ys[y12 + 6] = alpha * a12_6 + b6; ys[y12 + 7] = alpha * a12_7 + b7;
    int y13 = y + 13 * ldy;
    ys[y13 + 0] = alpha * a13_0 + b0; ys[y13 + 1] = alpha * a13_1 + b1; ys[y13 + 2] = alpha * a13_2 + b2; ys[y13 + 3] = alpha * a13_3 + b3; ys[y13 + 4] = alpha * a13_4 + b4; ys[y13 + 5] = alpha * a13_5 + b5; ys[y13 + 6] = alpha * a13_6 + b6; ys[y13 + 7] = alpha * a13_7 + b7;
    int y14 = y + 14 * ldy;
    ys[y14 + 0] = alpha * a14_0 + b0; ys[y14 + 1] = alpha * a14_1 + b1; ys[y14 + 2] = alpha * a14_2 + b2; ys[y14 + 3] = alpha * a14_3 + b3; ys[y14 + 4] = alpha * a14_4 + b4; ys[y14 + 5] = alpha * a14_5 + b5; ys[y14 + 6] = alpha * a14_6 + b6; ys[y14 + 7] = alpha * a14_7 + b7;
    int y15 = y + 15 * ldy;
    ys[y15 + 0] = alpha * a15_0 + b0; ys[y15 + 1] = alpha * a15_1 + b1; ys[y15 + 2] = alpha * a15_2 + b2; ys[y15 + 3] = alpha * a15_3 + b3; ys[y15 + 4] = alpha * a15_4 + b4; ys[y15 + 5] = alpha * a15_5 + b5; ys[y15 + 6] = alpha * a15_6 + b6; ys[y15 + 7] = alpha * a15_7 + b7;
  }

  /** One 16 x 8 block of {@code Y = alpha * X^T.W + bias}, X stored (K x M) with row stride ldx. */
  protected final void gemmBlockTransposedX(float[] xs, int x, int ldx, float[] ws, int w, int ldw, float[] ys,
      int y, int ldy, int bias, float alpha, int k) {
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
      int xi = x + kk * ldx;
      float x0 = xs[xi];
      a0_0 += x0 * w0; a0_1 += x0 * w1; a0_2 += x0 * w2; a0_3 += x0 * w3; a0_4 += x0 * w4; a0_5 += x0 * w5; a0_6 += x0 * w6; a0_7 += x0 * w7;
      float x1 = xs[xi + 1];
      a1_0 += x1 * w0; a1_1 += x1 * w1; a1_2 += x1 * w2; a1_3 += x1 * w3; a1_4 += x1 * w4; a1_5 += x1 * w5; a1_6 += x1 * w6; a1_7 += x1 * w7;
      float x2 = xs[xi + 2];
      a2_0 += x2 * w0; a2_1 += x2 * w1; a2_2 += x2 * w2; a2_3 += x2 * w3; a2_4 += x2 * w4; a2_5 += x2 * w5; a2_6 += x2 * w6; a2_7 += x2 * w7;
      float x3 = xs[xi + 3];
      a3_0 += x3 * w0; a3_1 += x3 * w1; a3_2 += x3 * w2; a3_3 += x3 * w3; a3_4 += x3 * w4; a3_5 += x3 * w5; a3_6 += x3 * w6; a3_7 += x3 * w7;
      float x4 = xs[xi + 4];
      a4_0 += x4 * w0; a4_1 += x4 * w1; a4_2 += x4 * w2; a4_3 += x4 * w3; a4_4 += x4 * w4; a4_5 += x4 * w5; a4_6 += x4 * w6; a4_7 += x4 * w7;
      float x5 = xs[xi + 5];
      a5_0 += x5 * w0; a5_1 += x5 * w1; a5_2 += x5 * w2; a5_3 += x5 * w3; a5_4 += x5 * w4; a5_5 += x5 * w5; a5_6 += x5 * w6; a5_7 += x5 * w7;
      float x6 = xs[xi + 6];
      a6_0 += x6 * w0; a6_1 += x6 * w1; a6_2 += x6 * w2; a6_3 += x6 * w3; a6_4 += x6 * w4; a6_5 += x6 * w5; a6_6 += x6 * w6; a6_7 += x6 * w7;
      float x7 = xs[xi + 7];
      a7_0 += x7 * w0; a7_1 += x7 * w1; a7_2 += x7 * w2; a7_3 += x7 * w3; a7_4 += x7 * w4; a7_5 += x7 * w5; a7_6 += x7 * w6; a7_7 += x7 * w7;
      float x8 = xs[xi + 8];
      a8_0 += x8 * w0; a8_1 += x8 * w1; a8_2 += x8 * w2; a8_3 += x8 * w3; a8_4 += x8 * w4; a8_5 += x8 * w5; a8_6 += x8 * w6; a8_7 += x8 * w7;
      float x9 = xs[xi + 9];
      a9_0 += x9 * w0; a9_1 += x9 * w1; a9_2 += x9 * w2; a9_3 += x9 * w3; a9_4 += x9 * w4; a9_5 += x9 * w5; a9_6 += x9 * w6; a9_7 += x9 * w7;
      float x10 = xs[xi + 10];
      a10_0 += x10 * w0; a10_1 += x10 * w1; a10_2 += x10 * w2; a10_3 += x10 * w3; a10_4 += x10 * w4; a10_5 += x10 * w5; a10_6 += x10 * w6; a10_7 += x10 * w7;
      float x11 = xs[xi + 11];
      a11_0 += x11 * w0; a11_1 += x11 * w1; a11_2 += x11 * w2; a11_3 += x11 * w3; a11_4 += x11 * w4; a11_5 += x11 * w5; a11_6 += x11 * w6; a11_7 += x11 * w7;
      float x12 = xs[xi + 12];
      a12_0 += x12 * w0; a12_1 += x12 * w1; a12_2 += x12 * w2; a12_3 += x12 * w3; a12_4 += x12 * w4; a12_5 += x12 * w5; a12_6 += x12 * w6; a12_7 += x12 * w7;
      float x13 = xs[xi + 13];
      a13_0 += x13 * w0; a13_1 += x13 * w1; a13_2 += x13 * w2; a13_3 += x13 * w3; a13_4 += x13 * w4; a13_5 += x13 * w5; a13_6 += x13 * w6; a13_7 += x13 * w7;
      float x14 = xs[xi + 14];
      a14_0 += x14 * w0; a14_1 += x14 * w1; a14_2 += x14 * w2; a14_3 += x14 * w3; a14_4 += x14 * w4; a14_5 += x14 * w5; a14_6 += x14 * w6; a14_7 += x14 * w7;
      float x15 = xs[xi + 15];
      a15_0 += x15 * w0; a15_1 += x15 * w1; a15_2 += x15 * w2; a15_3 += x15 * w3; a15_4 += x15 * w4; a15_5 += x15 * w5; a15_6 += x15 * w6; a15_7 += x15 * w7;
    }
    float b0 = 0f; float b1 = 0f; float b2 = 0f; float b3 = 0f; float b4 = 0f; float b5 = 0f; float b6 = 0f; float b7 = 0f;
    if (bias >= 0) {
      b0 = p[bias + 0];
      b1 = p[bias + 1];
      b2 = p[bias + 2];
      b3 = p[bias + 3];
      b4 = p[bias + 4];
      b5 = p[bias + 5];
      b6 = p[bias + 6];
      b7 = p[bias + 7];
    }
    int y0 = y;
    ys[y0 + 0] = alpha * a0_0 + b0; ys[y0 + 1] = alpha * a0_1 + b1; ys[y0 + 2] = alpha * a0_2 + b2; ys[y0 + 3] = alpha * a0_3 + b3; ys[y0 + 4] = alpha * a0_4 + b4; ys[y0 + 5] = alpha * a0_5 + b5; ys[y0 + 6] = alpha * a0_6 + b6; ys[y0 + 7] = alpha * a0_7 + b7;
    int y1 = y + 1 * ldy;
    ys[y1 + 0] = alpha * a1_0 + b0; ys[y1 + 1] = alpha * a1_1 + b1; ys[y1 + 2] = alpha * a1_2 + b2; ys[y1 + 3] = alpha * a1_3 + b3; ys[y1 + 4] = alpha * a1_4 + b4; ys[y1 + 5] = alpha * a1_5 + b5; ys[y1 + 6] = alpha * a1_6 + b6; ys[y1 + 7] = alpha * a1_7 + b7;
    int y2 = y + 2 * ldy;
    ys[y2 + 0] = alpha * a2_0 + b0; ys[y2 + 1] = alpha * a2_1 + b1; ys[y2 + 2] = alpha * a2_2 + b2; ys[y2 + 3] = alpha * a2_3 + b3; ys[y2 + 4] = alpha * a2_4 + b4; ys[y2 + 5] = alpha * a2_5 + b5; ys[y2 + 6] = alpha * a2_6 + b6; ys[y2 + 7] = alpha * a2_7 + b7;
    int y3 = y + 3 * ldy;
    ys[y3 + 0] = alpha * a3_0 + b0; ys[y3 + 1] = alpha * a3_1 + b1; ys[y3 + 2] = alpha * a3_2 + b2; ys[y3 + 3] = alpha * a3_3 + b3; ys[y3 + 4] = alpha * a3_4 + b4; ys[y3 + 5] = alpha * a3_5 + b5; ys[y3 + 6] = alpha * a3_6 + b6; ys[y3 + 7] = alpha * a3_7 + b7;
    int y4 = y + 4 * ldy;
    ys[y4 + 0] = alpha * a4_0 + b0; ys[y4 + 1] = alpha * a4_1 + b1; ys[y4 + 2] = alpha * a4_2 + b2; ys[y4 + 3] = alpha * a4_3 + b3; ys[y4 + 4] = alpha * a4_4 + b4; ys[y4 + 5] = alpha * a4_5 + b5; ys[y4 + 6] = alpha * a4_6 + b6; ys[y4 + 7] = alpha * a4_7 + b7;
    int y5 = y + 5 * ldy;
    ys[y5 + 0] = alpha * a5_0 + b0; ys[y5 + 1] = alpha * a5_1 + b1; ys[y5 + 2] = alpha * a5_2 + b2; ys[y5 + 3] = alpha * a5_3 + b3; ys[y5 + 4] = alpha * a5_4 + b4; ys[y5 + 5] = alpha * a5_5 + b5; ys[y5 + 6] = alpha * a5_6 + b6; ys[y5 + 7] = alpha * a5_7 + b7;
    int y6 = y + 6 * ldy;
    ys[y6 + 0] = alpha * a6_0 + b0; ys[y6 + 1] = alpha * a6_1 + b1; ys[y6 + 2] = alpha * a6_2 + b2; ys[y6 + 3] = alpha * a6_3 + b3; ys[y6 + 4] = alpha * a6_4 + b4; ys[y6 + 5] = alpha * a6_5 + b5; ys[y6 + 6] = alpha * a6_6 + b6; ys[y6 + 7] = alpha * a6_7 + b7;
    int y7 = y + 7 * ldy;
    ys[y7 + 0] = alpha * a7_0 + b0; ys[y7 + 1] = alpha * a7_1 + b1; ys[y7 + 2] = alpha * a7_2 + b2; ys[y7 + 3] = alpha * a7_3 + b3; ys[y7 + 4] = alpha * a7_4 + b4; ys[y7 + 5] = alpha * a7_5 + b5; ys[y7 + 6] = alpha * a7_6 + b6; ys[y7 + 7] = alpha * a7_7 + b7;
    int y8 = y + 8 * ldy;
    ys[y8 + 0] = alpha * a8_0 + b0; ys[y8 + 1] = alpha * a8_1 + b1; ys[y8 + 2] = alpha * a8_2 + b2; ys[y8 + 3] = alpha * a8_3 + b3; ys[y8 + 4] = alpha * a8_4 + b4; ys[y8 + 5] = alpha * a8_5 + b5; ys[y8 + 6] = alpha * a8_6 + b6; ys[y8 + 7] = alpha * a8_7 + b7;
    int y9 = y + 9 * ldy;
    ys[y9 + 0] = alpha * a9_0 + b0; ys[y9 + 1] = alpha * a9_1 + b1; ys[y9 + 2] = alpha * a9_2 + b2; ys[y9 + 3] = alpha * a9_3 + b3; ys[y9 + 4] = alpha * a9_4 + b4; ys[y9 + 5] = alpha * a9_5 + b5; ys[y9 + 6] = alpha * a9_6 + b6; ys[y9 + 7] = alpha * a9_7 + b7;
    int y10 = y + 10 * ldy;
    ys[y10 + 0] = alpha * a10_0 + b0; ys[y10 + 1] = alpha * a10_1 + b1; ys[y10 + 2] = alpha * a10_2 + b2; ys[y10 + 3] = alpha * a10_3 + b3; ys[y10 + 4] = alpha * a10_4 + b4; ys[y10 + 5] = alpha * a10_5 + b5; ys[y10 + 6] = alpha * a10_6 + b6; ys[y10 + 7] = alpha * a10_7 + b7;
    int y11 = y + 11 * ldy;
    ys[y11 + 0] = alpha * a11_0 + b0; ys[y11 + 1] = alpha * a11_1 + b1; ys[y11 + 2] = alpha * a11_2 + b2; ys[y11 + 3] = alpha * a11_3 + b3; ys[y11 + 4] = alpha * a11_4 + b4; ys[y11 + 5] = alpha * a11_5 + b5; ys[y11 + 6] = alpha * a11_6 + b6; ys[y11 + 7] = alpha * a11_7 + b7;
    int y12 = y + 12 * ldy;
    ys[y12 + 0] = alpha * a12_0 + b0; ys[y12 + 1] = alpha * a12_1 + b1; ys[y12 + 2] = alpha * a12_2 + b2; ys[y12 + 3] = alpha * a12_3 + b3; ys[y12 + 4] = alpha * a12_4 + b4; ys[y12 + 5] = alpha * a12_5 + b5; ys[y12 + 6] = alpha * a12_6 + b6; ys[y12 + 7] = alpha * a12_7 + b7;
    int y13 = y + 13 * ldy;
    ys[y13 + 0] = alpha * a13_0 + b0; ys[y13 + 1] = alpha * a13_1 + b1; ys[y13 + 2] = alpha * a13_2 + b2; ys[y13 + 3] = alpha * a13_3 + b3; ys[y13 + 4] = alpha * a13_4 + b4; ys[y13 + 5] = alpha * a13_5 + b5; ys[y13 + 6] = alpha * a13_6 + b6; ys[y13 + 7] = alpha * a13_7 + b7;
    int y14 = y + 14 * ldy;
    ys[y14 + 0] = alpha * a14_0 + b0; ys[y14 + 1] = alpha * a14_1 + b1; ys[y14 + 2] = alpha * a14_2 + b2; ys[y14 + 3] = alpha * a14_3 + b3; ys[y14 + 4] = alpha * a14_4 + b4; ys[y14 + 5] = alpha * a14_5 + b5; ys[y14 + 6] = alpha * a14_6 + b6; ys[y14 + 7] = alpha * a14_7 + b7;
    int y15 = y + 15 * ldy;
    ys[y15 + 0] = alpha * a15_0 + b0; ys[y15 + 1] = alpha * a15_1 + b1; ys[y15 + 2] = alpha * a15_2 + b2; ys[y15 + 3] = alpha * a15_3 + b3; ys[y15 + 4] = alpha * a15_4 + b4; ys[y15 + 5] = alpha * a15_5 + b5; ys[y15 + 6] = alpha * a15_6 + b6; ys[y15 + 7] = alpha * a15_7 + b7;
  }
  // END GENERATED

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
      // loop, not the per-element call whose activation switch it does not hoist (2.5x on PoCL)
      for (int c = 0; c < ACTIVATE_RUN; c++) {
        float x = ys[at + c];
        float z = 0.7978845608028654f * (x + 0.044715f * x * x * x);
        float t = 1f - 2f / (exp(2f * abs(z)) + 1f);
        t = z < 0f ? -t : t;
        ys[at + c] = 0.5f * x * (1f + t);
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
   * One {@link #TILE}×{@link #TILE} tile of a batched transpose {@code Y[n][m] = X[m][n]}; see
   * {@link Ops#TRANSPOSE_KEYS}. A tile reads 16 short runs of X and writes 16 of Y, all in cache; a
   * work-item per row of X wrote each element to another cache line (2 GB/s on PoCL).
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

  /**
   * One row of {@code LN(x + r)} written to {@code a[y...]}: x in {@code xs}, r in {@code d} (or
   * {@code r = -1} for none); mean and biased variance, two passes.
   */
  protected final void layerNorm(int g, float[] xs, int x, int r, int y, int gamma, float eps, int hidden) {
    int xr = x + g * hidden;
    int yr = y + g * hidden;
    float sum = 0f;
    for (int h = 0; h < hidden; h++) {
      float v = xs[xr + h];
      if (r >= 0) {
        v += d[r + g * hidden + h];
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
  protected final void gatherRows(int g, int x, int rowTokens, int y, int hidden) {
    int h = g % hidden;
    a[y + g] = a[x + ii[rowTokens + g / hidden] * hidden + h];
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
