package dev.bertgen.compute;

/**
 * The one Aparapi kernel class of a model. Aparapi gives each kernel object its own OpenCL context
 * and buffers, so every operation of a model runs through one object that owns the device arenas
 * and selects the operation with {@link #op} ({@link Ops}).
 *
 * <p>The kernel is one class chain, each link one concern, all translated by Aparapi with what they
 * inherit: {@link KernelArguments} (the arrays and argument fields) &lt;- {@link ProductKernels} (the
 * register-blocked matrix products, generated from {@code dev.bertgen.spec.codegen.MatmulSource})
 * &lt;- {@link ForwardKernels} (the forward pass) &lt;- {@link TrainingKernels} (backward passes, loss,
 * optimizer) &lt;- this class, which selects the operation. Operation bodies are helper methods,
 * written once. A subclass's {@code run()} only calls {@link #dispatch} with the architecture's
 * sizes: the kernel class generated for a {@code @BertPreset} passes compile-time constants (javac
 * inlines them as literals, so the OpenCL compiler sees constant loop bounds), and
 * {@link GenericBertKernels} passes fields, for models known only at run time.
 *
 * <p>These kernels are barrier-free, so they serve OpenCL devices and Aparapi's Java-thread mode
 * alike. Matrix products are register-blocked, 16 rows by 8 columns per work-item over row-major
 * {@code X[M][K]·W[K][N]} (keras' own layout of dense kernels): the 8 columns are contiguous, so the
 * OpenCL compiler turns each step into vector loads and fused multiply-adds.
 *
 * <p>Aparapi translates {@code run()} and everything it calls, inherited methods included, to OpenCL
 * C: no {@code break}, no {@code switch}, no objects, no writes to scalar fields, every array field
 * non-null, and locals initialized where declared.
 */
public abstract class BertKernels extends TrainingKernels {

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
      if (op == Ops.DENSE_QKV) {
        gemm(g, activations, parameters, qkv, hidden);
      } else if (op == Ops.DENSE_UP) {
        gemm(g, activations, parameters, feedForward, hidden);
      } else if (op == Ops.DENSE_DOWN) {
        gemm(g, feedForward, parameters, dense, intermediate);
      } else if (op == Ops.DENSE_HIDDEN) {
        gemm(g, activations, parameters, dense, hidden);
      } else if (op == Ops.LOGITS) {
        gemm(g, activations, activations, logits, hidden);
      } else if (op == Ops.DENSE_FROM_HIDDEN) {
        gemm(g, activations, parameters, activations, hidden);
      } else if (op == Ops.ATTENTION_SCORES) {
        gemm(g, qkv, activations, activations, headDim);
      } else if (op == Ops.ATTENTION_CONTEXT) {
        gemm(g, activations, qkv, activations, i19);
      } else if (op == Ops.MATMUL) {
        gemm(g, activations, activations, activations, i19);
      } else if (op == Ops.MATMUL_PARAMETERS) {
        gemm(g, activations, parameters, activations, i19);
      } else if (op == Ops.MATMUL_TO_GRADIENTS) {
        gemmTransposedX(g, activations, activations, gradients, i19);
      } else if (op == Ops.MATMUL_TRANSPOSED_X) {
        gemmTransposedX(g, activations, activations, activations, i19);
      } else if (op == Ops.MATMUL_TRANSPOSED_X_PARAMETERS) {
        gemmTransposedX(g, activations, parameters, activations, i19);
      } else {
        operations(g, hidden, heads, intermediate);
      }
    }
  }

  /**
   * Every operation but the matrix products ({@link Ops#isProduct}), for work-item {@code g < count}:
   * both kernel families run these. Sizes as for {@link #dispatch}.
   */
  protected final void operations(int g, int hidden, int heads, int intermediate) {
    if (op == Ops.SAVE_QKV || op == Ops.SAVE_INTERMEDIATE || op == Ops.SAVE_DENSE || op == Ops.COPY
        || op == Ops.ADD || op == Ops.DROPOUT || op == Ops.ACTIVATION_BACKWARD || op == Ops.FILL_GRADIENTS
        || op == Ops.ADAM || op == Ops.FILL || op == Ops.COPY_OUT || op == Ops.COPY_OUT_LOGITS
        || op == Ops.SUM_SLABS || op == Ops.COPY_TO_LOGITS) {
      elementwise(g);
    } else if (op == Ops.MASKED_SOFTMAX) {
      maskedSoftmax(g, i0, i1, i2, heads);
    } else if (op == Ops.TRANSPOSE_KEYS) {
      transpose(g, qkv, activations);
    } else if (op == Ops.TRANSPOSE_PARAMETERS) {
      transpose(g, parameters, activations);
    } else if (op == Ops.ADD_LAYER_NORM) {
      layerNorm(g, activations, i0, i1, i2, i3, f0, hidden);
    } else if (op == Ops.LAYER_NORM_DENSE) {
      layerNorm(g, dense, i0, -1, i2, i3, f0, hidden);
    } else if (op == Ops.EMBEDDINGS) {
      embeddings(g, i0, i1, i2, i3, i4, i5, i6, i7, f0, hidden);
    } else if (op == Ops.GATHER_ROWS) {
      gatherRows(g, i0, i1, i2, hidden);
    } else if (op == Ops.ACTIVATE) {
      activateRows(g, activations);
    } else if (op == Ops.ACTIVATE_INTERMEDIATE) {
      activateRows(g, feedForward);
    } else if (op == Ops.ACTIVATE_DENSE) {
      activateRows(g, dense);
    } else {
      training(g, hidden, intermediate);
    }
  }

  /** The training operations (backward passes, loss, optimizer); see {@link Ops}. */
  protected final void training(int g, int hidden, int intermediate) {
    if (op == Ops.TRANSPOSE) {
      transpose(g, activations, activations);
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

  /** The elementwise operations for work-item g, element by element. */
  protected final void elementwiseRun(int g) {
    for (int j = 0; j < RUN; j++) {
      int e = g * itemStride + j * elementStride;
      if (e < elements) {
        if (op == Ops.FILL_GRADIENTS) {
          gradients[i0 + e] = 0f;
        } else if (op == Ops.ADAM) {
          adam(e);
        } else if (op == Ops.DROPOUT) {
          dropout(e);
        } else if (op == Ops.ACTIVATION_BACKWARD) {
          activations[i2 + e] = activations[i1 + e] * activateGrad(activations[i0 + e], i3);
        } else if (op == Ops.COPY) {
          activations[i1 + e] = activations[i0 + e];
        } else if (op == Ops.ADD) {
          activations[i2 + e] = activations[i0 + e] + activations[i1 + e];
        } else if (op == Ops.SAVE_QKV) {
          activations[i1 + e] = qkv[i0 + e];
        } else if (op == Ops.SAVE_INTERMEDIATE) {
          activations[i1 + e] = feedForward[i0 + e];
        } else if (op == Ops.SAVE_DENSE) {
          activations[i1 + e] = dense[i0 + e];
        } else if (op == Ops.FILL) {
          activations[i0 + e] = f0;
        } else if (op == Ops.COPY_OUT) {
          results[i1 + e] = activations[i0 + e];
        } else if (op == Ops.SUM_SLABS) {
          float sum = 0f;
          for (int s = 0; s < i2; s++) {
            sum += activations[i0 + s * i3 + e];
          }
          activations[i1 + e] = sum;
        } else if (op == Ops.COPY_TO_LOGITS) {
          logits[i1 + e] = activations[i0 + e];
        } else {
          results[i1 + e] = logits[i0 + e];
        }
      }
    }
  }
}
