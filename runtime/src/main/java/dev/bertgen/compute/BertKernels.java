package dev.bertgen.compute;

import com.aparapi.Kernel;

/**
 * The one Aparapi kernel class of a model: Aparapi gives each kernel object its own OpenCL context,
 * so every operation of a model runs through one object that owns the device arenas and selects the
 * operation with {@link #op}.
 *
 * <p>Operation bodies are helper methods of this class, written once. A subclass's {@code run()}
 * only calls {@link #dispatch} with the architecture's sizes: the generated kernel class of a
 * {@code @BertPreset} passes literals (so the OpenCL compiler sees constants), and
 * {@link GenericBertKernels} passes fields, for models known only at run time.
 *
 * <p>Aparapi translates {@code run()} and everything it calls to OpenCL C: no {@code break}, no
 * {@code switch}, no objects, no writes to scalar fields, and every array field non-null.
 */
public abstract class BertKernels extends Kernel {

  /** Parameters (the model's weight arena). */
  protected float[] p = new float[1];
  /** Activations and workspace. */
  protected float[] a = new float[1];
  /** Integer inputs: token ids, segment ids, padding masks, mask positions, labels. */
  protected int[] ii = new int[1];

  /** Which operation {@link #dispatch} runs; one of the {@code OP_*} constants of {@link Ops}. */
  protected int op;
  /** Number of work-items that do work (the range is rounded up to the work-group size). */
  protected int count;
  /** Integer arguments of the operation (offsets, row counts, flags). */
  protected int i0, i1, i2, i3, i4, i5, i6, i7;
  /** Float arguments of the operation. */
  protected float f0, f1;

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
    int gid = getGlobalId(0);
    if (gid < count) {
      if (op == Ops.OP_FILL) {
        a[i0 + gid] = f0;
      } else if (op == Ops.OP_SCALE) {
        a[i0 + gid] = a[i1 + gid] * f0;
      }
    }
  }
}
