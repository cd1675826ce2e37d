package dev.bertgen.compute;

/**
 * The training operations' helpers, hand-written: backward passes, the cross-entropy loss, dropout,
 * gradient norms and the Adam optimizer. {@link BertKernels#training} selects them; see {@link Ops}
 * for their arguments.
 *
 * <p>Aparapi translates these methods to OpenCL C: no {@code break}, no {@code switch}, no objects,
 * no writes to scalar fields, and locals initialized where declared.
 */
public abstract class TrainingKernels extends ForwardKernels {

  TrainingKernels() {}

  /** Token, position and segment embeddings summed, no LayerNorm (training keeps the sum). */
  protected final void embeddingSum(int g, int hidden) {
    int h = g % hidden;
    int t = g / hidden;
    int s = t % i3;
    activations[i0 + g] = (parameters[i4 + intInputs[i1 + t] * hidden + h] + parameters[i5 + s * hidden + h])
        + parameters[i6 + intInputs[i2 + t] * hidden + h];
  }

  /**
   * LayerNorm backward for one row: x i0 (the input), dy i1, dx i2 (may equal dy), gamma i3 [parameters],
   * f0 epsilon; also writes the row's mean and 1/σ to i4 + 2·row for the parameter gradients.
   */
  protected final void layerNormBackward(int g, int hidden) {
    int xr = i0 + g * hidden;
    int dyr = i1 + g * hidden;
    int dxr = i2 + g * hidden;
    float sum = 0f;
    for (int h = 0; h < hidden; h++) {
      sum += activations[xr + h];
    }
    float mean = sum / hidden;
    float var = 0f;
    for (int h = 0; h < hidden; h++) {
      float dv = activations[xr + h] - mean;
      var += dv * dv;
    }
    float rstd = 1f / sqrt(var / hidden + f0);
    float meanDxhat = 0f;
    float meanDxhatXhat = 0f;
    for (int h = 0; h < hidden; h++) {
      float dxhat = activations[dyr + h] * parameters[i3 + h];
      meanDxhat += dxhat;
      meanDxhatXhat += dxhat * (activations[xr + h] - mean) * rstd;
    }
    meanDxhat = meanDxhat / hidden;
    meanDxhatXhat = meanDxhatXhat / hidden;
    for (int h = 0; h < hidden; h++) {
      float xhat = (activations[xr + h] - mean) * rstd;
      float dxhat = activations[dyr + h] * parameters[i3 + h];
      activations[dxr + h] = rstd * (dxhat - meanDxhat - xhat * meanDxhatXhat);
    }
    activations[i4 + 2 * g] = mean;
    activations[i4 + 2 * g + 1] = rstd;
  }

  /**
   * LayerNorm parameter gradients for one column h: dγ = Σ dy·x̂, dβ = Σ dy over i5 rows; x i0, dy
   * i1 (the gradient before {@link #layerNormBackward} overwrote it, if it did), row statistics i4,
   * dγ written to [gradients] i3 + h and dβ to i3 + hidden + h.
   */
  protected final void layerNormParameterGradients(int h, int hidden) {
    float dg = 0f;
    float db = 0f;
    for (int r = 0; r < i5; r++) {
      float dy = activations[i1 + r * hidden + h];
      float xhat = (activations[i0 + r * hidden + h] - activations[i4 + 2 * r]) * activations[i4 + 2 * r + 1];
      dg += dy * xhat;
      db += dy;
    }
    gradients[i3 + h] = dg;
    gradients[i3 + hidden + h] = db;
  }

  /**
   * Column n of a matrix summed over its rows into [gradients]: i0 matrix [activations], i1 row
   * stride, i2 rows, i3 target.
   */
  protected final void columnSums(int n) {
    float sum = 0f;
    for (int r = 0; r < i2; r++) {
      sum += activations[i0 + r * i1 + n];
    }
    gradients[i3 + n] = sum;
  }

  /** Softmax backward of one row: dS = P ⊙ (dP − Σ dP·P); P i0, dP i1, dS i2, row length i3. */
  protected final void softmaxBackward(int g) {
    int pr = i0 + g * i3;
    int dpr = i1 + g * i3;
    int dsr = i2 + g * i3;
    float dot = 0f;
    for (int j = 0; j < i3; j++) {
      dot += activations[dpr + j] * activations[pr + j];
    }
    for (int j = 0; j < i3; j++) {
      activations[dsr + j] = activations[pr + j] * (activations[dpr + j] - dot);
    }
  }

  /**
   * The cross-entropy's first pass for one (row, slice) of {@link #CE_SLICE} logits: the slice's
   * maximum, the index where it first occurs, and the sum of exp(x − maximum), three floats per
   * (row, slice) at [activations] i7. Splitting the vocabulary keeps every core busy when a step has few mask
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
      float x = logits[base + v];
      if (x > max) {
        max = x;
        best = v;
      }
    }
    // eight partial sums: without fast-math the compiler may not reorder one running sum, a long chain
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
      s0 += exp(logits[e] - max);
      s1 += exp(logits[e + 1] - max);
      s2 += exp(logits[e + 2] - max);
      s3 += exp(logits[e + 3] - max);
      s4 += exp(logits[e + 4] - max);
      s5 += exp(logits[e + 5] - max);
      s6 += exp(logits[e + 6] - max);
      s7 += exp(logits[e + 7] - max);
    }
    for (int v = whole; v < to; v++) {
      s0 += exp(logits[base + v] - max);
    }
    float sum = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    int at = i7 + 3 * g;
    activations[at] = max;
    activations[at + 1] = sum;
    activations[at + 2] = best;
  }

  /**
   * Sparse categorical cross-entropy from logits with its gradient, for one (row, slice): the row's
   * maximum and sum of exponentials from the slices' partials, then {@code dlogits = (softmax −
   * onehot)·weight·f0} over the slice. Logits [logits] i0 (rows of i4), labels [intInputs] i1,
   * sample weights [floatInputs] i2, dlogits [activations] i3, partials [activations] i7 (i6 slices
   * per row); slice 0 writes loss·weight and correct·weight to [results] i5 + 2·row. f0 is keras'
   * scale, 1 / (batch · mask slots): the loss is summed over the batch's slots, padded ones
   * included, and divided by their number.
   */
  protected final void crossEntropy(int g) {
    int row = g / i6;
    int slice = g - row * i6;
    int parts = i7 + 3 * row * i6;
    float max = -3.0e38f;
    int best = 0;
    for (int s = 0; s < i6; s++) {
      float m = activations[parts + 3 * s];
      if (m > max) {
        max = m;
        best = (int) activations[parts + 3 * s + 2];
      }
    }
    float sum = 0f;
    for (int s = 0; s < i6; s++) {
      sum += activations[parts + 3 * s + 1] * exp(activations[parts + 3 * s] - max);
    }
    int label = intInputs[i1 + row];
    float w = floatInputs[i2 + row];
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
      float pv = exp(logits[base + v] - max) * inv;
      float onehot = 0f;
      if (v == label) {
        onehot = 1f;
      }
      activations[dr + v] = (pv - onehot) * scale;
    }
    if (slice == 0) {
      results[i5 + 2 * row] = w * (max + log(sum) - logits[base + label]);
      float correct = 0f;
      if (best == label) {
        correct = 1f;
      }
      results[i5 + 2 * row + 1] = w * correct;
    }
  }

  /**
   * Gradients of gathered rows added back at their token indices; one work-item per hidden column,
   * over the rows in order (two rows may name one token: padded slots).
   */
  protected final void scatterMaskGradients(int g, int hidden) {
    for (int r = 0; r < i2; r++) {
      activations[i3 + intInputs[i1 + r] * hidden + g] += activations[i0 + r * hidden + g];
    }
  }

  /**
   * Token embedding gradients without float atomics: the host lists, per distinct token id, the
   * token positions that use it ([intInputs] i1 ids, i2 start offsets (count + 1), i3 positions); one
   * work-item per (distinct id, h) adds the summed rows of dEmb [activations] i0 to [gradients] i4.
   */
  protected final void tokenEmbeddingGradients(int g, int hidden) {
    int h = g % hidden;
    int u = g / hidden;
    float sum = 0f;
    for (int k = intInputs[i2 + u]; k < intInputs[i2 + u + 1]; k++) {
      sum += activations[i0 + intInputs[i3 + k] * hidden + h];
    }
    gradients[i4 + intInputs[i1 + u] * hidden + h] += sum;
  }

  /**
   * Position embedding gradients: element (s, h) sums dEmb [activations] i0 over i1 sequences of
   * length i2 into [gradients] i3.
   */
  protected final void positionEmbeddingGradients(int g, int hidden) {
    int h = g % hidden;
    int s = g / hidden;
    float sum = 0f;
    for (int b = 0; b < i1; b++) {
      sum += activations[i0 + (b * i2 + s) * hidden + h];
    }
    gradients[i3 + g] = sum;
  }

  /**
   * Segment embedding gradients: element (segment, h) sums dEmb [activations] i0 over the i1 tokens
   * of that segment ([intInputs] i2).
   */
  protected final void segmentEmbeddingGradients(int g, int hidden) {
    int h = g % hidden;
    int sid = g / hidden;
    float sum = 0f;
    for (int t = 0; t < i1; t++) {
      if (intInputs[i2 + t] == sid) {
        sum += activations[i0 + t * hidden + h];
      }
    }
    gradients[i3 + g] = sum;
  }

  /**
   * {@link Ops#ACTIVATION_BACKWARD} of the tanh GELU over one whole contiguous run (CPUs): the
   * derivative of {@link #activateGrad} written out in the loop, which the OpenCL compiler can
   * vectorize (faster on PoCL than the per-element call, whose activation switch it does not hoist).
   */
  protected final void geluTanhBackwardRun(int e0) {
    for (int j = 0; j < RUN; j++) {
      int e = e0 + j;
      float x = activations[i0 + e];
      float c = 0.7978845608028654f;
      float z = c * (x + 0.044715f * x * x * x);
      float t = 1f - 2f / (exp(2f * abs(z)) + 1f);
      t = z < 0f ? -t : t;
      activations[i2 + e] = activations[i1 + e]
          * (0.5f * (1f + t) + 0.5f * x * (1f - t * t) * c * (1f + 3f * 0.044715f * x * x));
    }
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
   * Inverted dropout in place, {@code activations[i0 + g] *= keep / (1 - rate)}, with a counter-based hash of
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
    activations[i0 + g] = activations[i0 + g] * keep;
  }

  /**
   * Sum of squares of gradient chunk g (i1 elements from i0 + g·i1, at most up to i2) into [results]
   * i3 + g.
   */
  protected final void squaredSums(int g) {
    int start = i0 + g * i1;
    int end = min(start + i1, i0 + i2);
    float sum = 0f;
    for (int k = start; k < end; k++) {
      sum += gradients[k] * gradients[k];
    }
    results[i3 + g] = sum;
  }

  /**
   * One Adam step for parameter i0 + g: m = β1·m + (1−β1)·c·g, v = β2·v + (1−β2)·(c·g)², p −= f5·p
   * (decoupled weight decay) then p −= f0·m / (f1·√v + ε) — Keras: f0 = lr·√(1−β2ᵗ)/(1−β1ᵗ), f1 = 1;
   * PyTorch: f0 = lr/(1−β1ᵗ), f1 = 1/√(1−β2ᵗ). f2 β1, f3 β2, f4 ε, f6 c (gradient clipping scale).
   */
  protected final void adam(int g) {
    int k = i0 + g;
    float gk = gradients[k] * f6;
    float mk = f2 * firstMoments[k] + (1f - f2) * gk;
    float vk = f3 * secondMoments[k] + (1f - f3) * gk * gk;
    firstMoments[k] = mk;
    secondMoments[k] = vk;
    float pk = parameters[k] - f5 * parameters[k];
    parameters[k] = pk - f0 * mk / (f1 * sqrt(vk) + f4);
  }

  /**
   * {@code Y = alpha·Xᵀ·W} (no bias, no column groups) with X stored (K×M), row stride i1: a weight
   * gradient {@code dW = Xᵀ·dY} straight from the activations, or an input gradient from a transposed
   * copy. The block's 16 X values of a step are contiguous, so it keeps two pointers where the
   * row-major block with run-time strides keeps seventeen, which PoCL compiles to much faster code
   * (BENCHMARKS.md's training profile: MATMUL_TO_GRADIENTS). Other arguments
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
}
