package dev.bertgen.layers;

import dev.bertgen.spec.BackboneConfig;

/**
 * Where one training step keeps its tensors in the activation arena [a]: what the forward pass
 * saves for the backward pass, per layer, and the backward pass's scratch space, for a batch of
 * {@code batch} rows of {@code seq} tokens with {@code slots} mask slots. Integer inputs use the
 * inference {@link Workspace}'s layout, followed by labels and the token-gradient lists.
 */
public final class TrainingWorkspace {
  public final int batch;
  public final int seq;
  public final int slots;
  public final int hidden;
  /** The inference plan of the same batch (integer inputs, transposed embedding, product arrays). */
  public final Workspace inference;

  // integer arena, after the inference inputs
  public final int labels;
  public final int uniqueIds;
  public final int idStarts;
  public final int idPositions;
  public final int intsSize;

  // saved forward tensors
  public final int embeddingSum;
  /** Input of layer l at {@code layerInput[l]}; {@code layerInput[L]} is the sequence output. */
  public final int[] layerInput;
  public final int[] qkv;
  public final int[] probs;
  public final int[] context;
  public final int[] attentionResidual;
  public final int[] attentionOutput;
  public final int[] intermediate;
  public final int[] ffnResidual;
  public final int gathered;
  public final int headDense;
  public final int headActivated;
  public final int headNormalized;
  public final int dLogits;

  // backward scratch
  public final int dX;
  public final int dX2;
  public final int dBranch;
  public final int dIntermediate;
  public final int activated;
  public final int dQkv;
  public final int dContext;
  public final int dProbs;
  public final int dScores;
  public final int probsWork;
  public final int transposed;
  public final int weightsT;
  public final int stats;
  /** Partial products of the head's input gradient, one slab per slice of the vocabulary. */
  public final int slabs;
  public final long size;

  private TrainingWorkspace(BackboneConfig c, int batch, int seq, int slots) {
    this.batch = batch;
    this.seq = seq;
    this.slots = slots;
    this.hidden = c.hiddenDim();
    this.inference = Workspace.plan(c, batch, seq, slots);
    int tokens = batch * seq;
    int rows = batch * slots;
    long h = c.hiddenDim();
    long in = c.intermediateDim();
    long v = c.vocabularySize();
    long attention = (long) batch * c.numHeads() * seq * seq;
    int layers = c.numLayers();

    int ints = inference.intsSize;
    labels = ints;
    ints += rows;
    uniqueIds = ints;
    ints += tokens;
    idStarts = ints;
    ints += tokens + 1;
    idPositions = ints;
    ints += tokens;
    intsSize = ints;

    long at = inference.size; // the inference plan's tensors come first (transposed embedding, ...)
    embeddingSum = checked(at);
    at += tokens * h;
    layerInput = new int[layers + 1];
    qkv = new int[layers];
    probs = new int[layers];
    context = new int[layers];
    attentionResidual = new int[layers];
    attentionOutput = new int[layers];
    intermediate = new int[layers];
    ffnResidual = new int[layers];
    for (int l = 0; l < layers; l++) {
      layerInput[l] = checked(at);
      at += tokens * h;
      qkv[l] = checked(at);
      at += tokens * 3 * h;
      probs[l] = checked(at);
      at += attention;
      context[l] = checked(at);
      at += tokens * h;
      attentionResidual[l] = checked(at);
      at += tokens * h;
      attentionOutput[l] = checked(at);
      at += tokens * h;
      intermediate[l] = checked(at);
      at += tokens * in;
      ffnResidual[l] = checked(at);
      at += tokens * h;
    }
    layerInput[layers] = checked(at);
    at += tokens * h;
    gathered = checked(at);
    at += rows * h;
    headDense = checked(at);
    at += rows * h;
    headActivated = checked(at);
    at += rows * h;
    headNormalized = checked(at);
    at += rows * h;
    dLogits = checked(at);
    at += rows * v;

    long wide = Math.max(3 * h, in);
    dX = checked(at);
    at += tokens * h;
    dX2 = checked(at);
    at += tokens * h;
    dBranch = checked(at);
    at += tokens * h;
    dIntermediate = checked(at);
    at += tokens * in;
    activated = checked(at);
    at += tokens * in;
    dQkv = checked(at);
    at += tokens * 3 * h;
    dContext = checked(at);
    at += tokens * h;
    dProbs = checked(at);
    at += attention;
    dScores = checked(at);
    at += attention;
    probsWork = checked(at);
    at += attention;
    transposed = checked(at);
    at += Math.max(Math.max(tokens * wide, attention), v * rows);
    weightsT = checked(at);
    at += Math.max(h * wide, 1);
    stats = checked(at);
    at += 2L * Math.max(tokens, rows);
    slabs = checked(at);
    at += (long) MaskedLMHead.inputGradientSlabs((int) v, rows, (int) h) * rows * h;
    size = checked(at);
  }

  /** The plan for a batch. */
  public static TrainingWorkspace plan(BackboneConfig config, int batch, int seq, int slots) {
    return new TrainingWorkspace(config, batch, seq, slots);
  }

  public int tokens() {
    return batch * seq;
  }

  public int rows() {
    return batch * slots;
  }

  private static int checked(long offset) {
    if (offset > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("a training step on this batch needs " + offset + " activation "
          + "values, more than one Java array holds; use a smaller batch size or sequence length");
    }
    return (int) offset;
  }
}
