package dev.bertgen.compute;

import com.aparapi.Kernel;

/**
 * The data of BertGen's one Aparapi kernel: the arrays it reads and writes (its arenas) and the
 * argument fields {@link Launcher} sets before each launch. The kernel's code is split over the
 * subclasses, each translated by Aparapi with everything it inherits: {@link ProductKernels}
 * (generated register-blocked products), {@link ForwardKernels} (the forward pass),
 * {@link TrainingKernels} (backward passes, loss, optimizer) and {@link BertKernels} (the dispatch on
 * {@link #op}).
 *
 * <p>{@link Ops} names the arrays in brackets: [p] {@link #parameters}, [a] {@link #activations},
 * [ii] {@link #intInputs}, [out] {@link #results}, [q] {@link #qkv}, [f] {@link #feedForward},
 * [d] {@link #dense}, [l] {@link #logits}, [gr] {@link #gradients}, [fin] {@link #floatInputs}.
 *
 * <p>Aparapi's rules for the fields: every array field non-null (a placeholder when unused), and no
 * kernel code writes a scalar field.
 */
public abstract class KernelArguments extends Kernel {

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

  /** The model's weight arena ([p] in {@link Ops}); uploaded once, changed on the device by training. */
  protected float[] parameters = new float[1];
  /** Activations and workspace ([a]); never leaves the device. */
  protected float[] activations = new float[1];
  /** Integer inputs ([ii]): token ids, segment ids, padding masks, mask positions. */
  protected int[] intInputs = new int[1];
  /** Results to download ([out]; small: losses, metrics, copied outputs). */
  protected float[] results = new float[1];
  /**
   * Output of the query/key/value product ([q]), written from offset 0. The four outputs of the
   * fixed-shape products ({@code qkv}, {@link #feedForward}, {@link #dense}, {@link #logits}) each
   * have their own array: PoCL compiles a product whose output base is a compile-time constant to
   * much faster code than one writing at a run-time offset (docs/architecture.md; BENCHMARKS.md).
   */
  protected float[] qkv = new float[1];
  /** The feed-forward intermediate ([f]): output of {@code DENSE_UP}, input of {@code DENSE_DOWN}. */
  protected float[] feedForward = new float[1];
  /** Hidden-width product outputs ([d]): attention output, feed-forward output, head dense. */
  protected float[] dense = new float[1];
  /** The masked LM head's logits ([l]). */
  protected float[] logits = new float[1];
  /** Training: gradients ([gr]), in the parameter arena's layout. */
  protected float[] gradients = new float[1];
  /** Training: Adam's first moments, in the parameter arena's layout. */
  protected float[] firstMoments = new float[1];
  /** Training: Adam's second moments, in the parameter arena's layout. */
  protected float[] secondMoments = new float[1];
  /** Small float inputs uploaded with each training step ([fin]: sample weights). */
  protected float[] floatInputs = new float[1];

  /** The operation {@link BertKernels#dispatch} runs: an {@link Ops} constant. */
  protected int op;
  /** Number of work-items that do work (the range is rounded up to whole work-groups). */
  protected int count;
  /**
   * Element e of work-item g's j-th step is {@code g·itemStride + j·elementStride}: (1, count) on GPUs,
   * where neighbouring work-items touch neighbouring elements (coalesced), and ({@link #RUN}, 1) on
   * CPUs, where a work-item's own run is contiguous (a run PoCL vectorizes).
   */
  protected int itemStride = 1;
  /** See {@link #itemStride}. */
  protected int elementStride = 1;
  /** Elements of an elementwise operation ({@link Ops#isElementwise}); each work-item does up to {@link #RUN}. */
  protected int elements;

  /*
   * The integer and float arguments of the operation, i0..i19 and f0..f6: their meaning depends on
   * the operation and is given with each Ops constant. For the matrix products
   * (Ops.DENSE_FROM_HIDDEN and its kin; Matmul fills them): i0 X, i1 X row stride, i2 W, i3 W row
   * stride, i4 Y, i5 Y row stride, i6 bias or -1, i8 M (rows), i9 N (columns), i10 inner batch
   * count, i11/i12 X's outer/inner batch offsets, i13/i14 W's, i15/i16 Y's, i17 width of a column
   * group of W, i18 distance between groups, i19 K where the operation does not fix it, f0 the
   * scale alpha. Elsewhere i0..i7 are mostly offsets into the arenas and f0 a scale or epsilon;
   * Adam uses f0..f6.
   */

  /** Integer argument 0 (see {@link Ops}; for products the offset of X). */
  protected int i0;
  /** Integer argument 1 (for products X's row stride). */
  protected int i1;
  /** Integer argument 2 (for products the offset of W). */
  protected int i2;
  /** Integer argument 3 (for products W's row stride). */
  protected int i3;
  /** Integer argument 4 (for products the offset of Y). */
  protected int i4;
  /** Integer argument 5 (for products Y's row stride). */
  protected int i5;
  /** Integer argument 6 (for products the offset of the bias in {@link #parameters}, or -1). */
  protected int i6;
  /** Integer argument 7. */
  protected int i7;
  /** Integer argument 8 (for products and transposes M, the rows). */
  protected int i8;
  /** Integer argument 9 (for products and transposes N, the columns). */
  protected int i9;
  /** Integer argument 10 (for products and transposes the inner batch count). */
  protected int i10;
  /** Integer argument 11 (batch offset: X per outer batch). */
  protected int i11;
  /** Integer argument 12 (batch offset: X per inner batch). */
  protected int i12;
  /** Integer argument 13 (batch offset: W per outer batch). */
  protected int i13;
  /** Integer argument 14 (batch offset: W per inner batch). */
  protected int i14;
  /** Integer argument 15 (batch offset: Y per outer batch). */
  protected int i15;
  /** Integer argument 16 (batch offset: Y per inner batch). */
  protected int i16;
  /** Integer argument 17 (for products the width of a column group of W). */
  protected int i17;
  /** Integer argument 18 (for products the distance between W's column groups). */
  protected int i18;
  /** Integer argument 19 (for products K, where the operation does not fix it). */
  protected int i19;
  /** Float argument 0 (for products the scale alpha; LayerNorm's epsilon; Adam's step size). */
  protected float f0;
  /** Float argument 1. */
  protected float f1;
  /** Float argument 2 (Adam's beta 1). */
  protected float f2;
  /** Float argument 3 (Adam's beta 2). */
  protected float f3;
  /** Float argument 4 (Adam's epsilon). */
  protected float f4;
  /** Float argument 5 (Adam's decoupled weight decay). */
  protected float f5;
  /** Float argument 6 (Adam's gradient clipping scale). */
  protected float f6;

  KernelArguments() {}
}
