package dev.bertgen.compute;

/**
 * The GPU kernel family ({@link KernelFamily#GPU}): the matrix products run as tiles through local
 * memory ({@link TiledProductKernels}), one per work-group of {@link #GROUP} work-items; every other
 * operation goes to the shared {@link #operations}, with the same helpers and results as the CPU family.
 * A subclass's {@code run()} only calls {@link #gpuDispatch} with the architecture's sizes: the class
 * generated for a {@code @BertPreset} passes constants, {@link GenericGpuKernels} fields.
 *
 * <p>Products take no {@code g < count} guard: every work-item of a group reaches the barriers, and the
 * tile code skips what lies outside Y. Never launched on Java threads (Aparapi would run each work-item
 * of a group with barriers as a thread of its own).
 */
public abstract class GpuBertKernels extends TiledProductKernels {

  /**
   * Runs operation {@link #op} for this work-item; parameters as for {@link #dispatch}. The CPU
   * family's register blocks are not reached from here, so they are not in this family's OpenCL
   * program.
   */
  protected final void gpuDispatch(int hidden, int heads, int headDim, int intermediate, int vocabulary) {
    if (op == Ops.DENSE_QKV) {
      tiledProduct(activations, parameters, qkv, hidden, 0);
    } else if (op == Ops.DENSE_UP) {
      tiledProduct(activations, parameters, feedForward, hidden, 0);
    } else if (op == Ops.DENSE_DOWN) {
      tiledProduct(feedForward, parameters, dense, intermediate, 0);
    } else if (op == Ops.DENSE_HIDDEN) {
      tiledProduct(activations, parameters, dense, hidden, 0);
    } else if (op == Ops.LOGITS) {
      tiledProduct(activations, activations, logits, hidden, 0);
    } else if (op == Ops.DENSE_FROM_HIDDEN) {
      tiledProduct(activations, parameters, activations, hidden, 0);
    } else if (op == Ops.ATTENTION_SCORES) {
      tiledProduct(qkv, activations, activations, headDim, 0);
    } else if (op == Ops.ATTENTION_CONTEXT) {
      tiledProduct(activations, qkv, activations, i19, 0);
    } else if (op == Ops.MATMUL) {
      tiledProduct(activations, activations, activations, i19, 0);
    } else if (op == Ops.MATMUL_PARAMETERS) {
      tiledProduct(activations, parameters, activations, i19, 0);
    } else if (op == Ops.MATMUL_TO_GRADIENTS) {
      tiledProduct(activations, activations, gradients, i19, 1);
    } else if (op == Ops.MATMUL_TRANSPOSED_X) {
      tiledProduct(activations, activations, activations, i19, 1);
    } else if (op == Ops.MATMUL_TRANSPOSED_X_PARAMETERS) {
      tiledProduct(activations, parameters, activations, i19, 1);
    } else if (op == Ops.ADD_LAYER_NORM) {
      layerNormGroup(activations, i0, i1, i2, i3, f0, hidden);
    } else if (op == Ops.LAYER_NORM_DENSE) {
      layerNormGroup(dense, i0, -1, i2, i3, f0, hidden);
    } else if (op == Ops.LAYER_NORM_BACKWARD) {
      layerNormBackwardGroup(hidden);
    } else if (op == Ops.LAYER_NORM_PARAMETER_GRADIENTS) {
      layerNormParameterGradientsGroup(hidden);
    } else if (op == Ops.COLUMN_SUMS) {
      columnSumsGroup();
    } else {
      int g = getGlobalId(0);
      if (g < count) {
        operations(g, hidden, heads, intermediate);
      }
    }
  }

  /** Columns one work-group of a column reduction covers; its {@link #LANES} row lanes split the rows. */
  public static final int COLUMNS = 8;
  /** Row lanes of a column reduction's work-group. */
  public static final int LANES = GROUP / COLUMNS;

  /*
   * Loops in these work-group helpers have the same trip count in every work-item of the group (a work-item
   * past the end skips the body instead): PoCL miscompiled loops whose trip count depended on the
   * local id in a kernel with barriers (rows came out wrong, differently from run to run).
   */

  /**
   * LayerNorm of one row per work-group ({@link Ops#ADD_LAYER_NORM}'s arguments; the CPU family's
   * {@link #layerNorm} does a row per work-item): each work-item takes elements lid, lid + 256, ... (neighbours
   * on neighbouring elements), the sums are reduced in local memory.
   */
  protected final void layerNormGroup(float[] xs, int x, int r, int y, int gamma, float eps, int hidden) {
    int lid = getLocalId(0);
    int row = getGroupId(0);
    int xr = x + row * hidden;
    int yr = y + row * hidden;
    float part = 0f;
    for (int base = 0; base < hidden; base += GROUP) {
      int h = base + lid;
      if (h < hidden) {
        float v = xs[xr + h];
        if (r >= 0) {
          v += dense[r + row * hidden + h];
        }
        activations[yr + h] = v;
        part += v;
      }
    }
    tileX[lid] = part;
    localBarrier();
    for (int stride = GROUP / 2; stride > 0; stride = stride / 2) {
      if (lid < stride) {
        tileX[lid] = tileX[lid] + tileX[lid + stride];
      }
      localBarrier();
    }
    float mean = tileX[0] / hidden;
    localBarrier();
    part = 0f;
    for (int base = 0; base < hidden; base += GROUP) {
      int h = base + lid;
      if (h < hidden) {
        float d = activations[yr + h] - mean;
        part += d * d;
      }
    }
    tileX[lid] = part;
    localBarrier();
    for (int stride = GROUP / 2; stride > 0; stride = stride / 2) {
      if (lid < stride) {
        tileX[lid] = tileX[lid] + tileX[lid + stride];
      }
      localBarrier();
    }
    float inv = 1f / sqrt(tileX[0] / hidden + eps);
    for (int base = 0; base < hidden; base += GROUP) {
      int h = base + lid;
      if (h < hidden) {
        activations[yr + h] = (activations[yr + h] - mean) * inv * parameters[gamma + h]
            + parameters[gamma + hidden + h];
      }
    }
  }

  /** {@link #layerNormBackward} with one row per work-group, reductions in local memory. */
  protected final void layerNormBackwardGroup(int hidden) {
    int lid = getLocalId(0);
    int row = getGroupId(0);
    int xr = i0 + row * hidden;
    int dyr = i1 + row * hidden;
    int dxr = i2 + row * hidden;
    float part = 0f;
    for (int base = 0; base < hidden; base += GROUP) {
      int h = base + lid;
      if (h < hidden) {
        part += activations[xr + h];
      }
    }
    tileX[lid] = part;
    localBarrier();
    for (int stride = GROUP / 2; stride > 0; stride = stride / 2) {
      if (lid < stride) {
        tileX[lid] = tileX[lid] + tileX[lid + stride];
      }
      localBarrier();
    }
    float mean = tileX[0] / hidden;
    localBarrier();
    part = 0f;
    for (int base = 0; base < hidden; base += GROUP) {
      int h = base + lid;
      if (h < hidden) {
        float dv = activations[xr + h] - mean;
        part += dv * dv;
      }
    }
    tileX[lid] = part;
    localBarrier();
    for (int stride = GROUP / 2; stride > 0; stride = stride / 2) {
      if (lid < stride) {
        tileX[lid] = tileX[lid] + tileX[lid + stride];
      }
      localBarrier();
    }
    float rstd = 1f / sqrt(tileX[0] / hidden + f0);
    localBarrier();
    float partDxhat = 0f;
    float partDxhatXhat = 0f;
    for (int base = 0; base < hidden; base += GROUP) {
      int h = base + lid;
      if (h < hidden) {
        float dxhat = activations[dyr + h] * parameters[i3 + h];
        partDxhat += dxhat;
        partDxhatXhat += dxhat * (activations[xr + h] - mean) * rstd;
      }
    }
    tileX[lid] = partDxhat;
    tileW[lid] = partDxhatXhat;
    localBarrier();
    for (int stride = GROUP / 2; stride > 0; stride = stride / 2) {
      if (lid < stride) {
        tileX[lid] = tileX[lid] + tileX[lid + stride];
        tileW[lid] = tileW[lid] + tileW[lid + stride];
      }
      localBarrier();
    }
    float meanDxhat = tileX[0] / hidden;
    float meanDxhatXhat = tileW[0] / hidden;
    for (int base = 0; base < hidden; base += GROUP) {
      int h = base + lid;
      if (h < hidden) {
        float xhat = (activations[xr + h] - mean) * rstd;
        float dxhat = activations[dyr + h] * parameters[i3 + h];
        activations[dxr + h] = rstd * (dxhat - meanDxhat - xhat * meanDxhatXhat);
      }
    }
    if (lid == 0) {
      activations[i4 + 2 * row] = mean;
      activations[i4 + 2 * row + 1] = rstd;
    }
  }

  /**
   * {@link #layerNormParameterGradients} for {@link #COLUMNS} columns per work-group: work-item (lane, column)
   * sums rows lane, lane + {@link #LANES}, ..., then the lanes are reduced in local memory.
   */
  protected final void layerNormParameterGradientsGroup(int hidden) {
    int lid = getLocalId(0);
    int h = getGroupId(0) * COLUMNS + lid % COLUMNS;
    int lane = lid / COLUMNS;
    float dg = 0f;
    float db = 0f;
    for (int base = 0; base < i5; base += LANES) {
      int r = base + lane;
      if (h < hidden && r < i5) {
        float dy = activations[i1 + r * hidden + h];
        float xhat = (activations[i0 + r * hidden + h] - activations[i4 + 2 * r]) * activations[i4 + 2 * r + 1];
        dg += dy * xhat;
        db += dy;
      }
    }
    tileX[lid] = dg;
    tileW[lid] = db;
    localBarrier();
    for (int stride = LANES / 2; stride > 0; stride = stride / 2) {
      if (lane < stride) {
        tileX[lid] = tileX[lid] + tileX[lid + stride * COLUMNS];
        tileW[lid] = tileW[lid] + tileW[lid + stride * COLUMNS];
      }
      localBarrier();
    }
    if (lane == 0 && h < hidden) {
      gradients[i3 + h] = tileX[lid];
      gradients[i3 + hidden + h] = tileW[lid];
    }
  }

  /** {@link #columnSums} for {@link #COLUMNS} columns per work-group (i4 the number of columns), as above. */
  protected final void columnSumsGroup() {
    int lid = getLocalId(0);
    int n = getGroupId(0) * COLUMNS + lid % COLUMNS;
    int lane = lid / COLUMNS;
    float sum = 0f;
    for (int base = 0; base < i2; base += LANES) {
      int r = base + lane;
      if (n < i4 && r < i2) {
        sum += activations[i0 + r * i1 + n];
      }
    }
    tileX[lid] = sum;
    localBarrier();
    for (int stride = LANES / 2; stride > 0; stride = stride / 2) {
      if (lane < stride) {
        tileX[lid] = tileX[lid] + tileX[lid + stride * COLUMNS];
      }
      localBarrier();
    }
    if (lane == 0 && n < i4) {
      gradients[i3 + n] = tileX[lid];
    }
  }
}
