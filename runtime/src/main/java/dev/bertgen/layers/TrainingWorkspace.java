package dev.bertgen.layers;

import dev.bertgen.spec.BackboneConfig;

/**
 * Where one training step keeps its tensors in the activation arena [a]: what the forward pass
 * saves for the backward pass, per layer, and the backward pass's scratch space, for a batch of
 * {@code batch} rows of {@code seq} tokens with {@code slots} mask slots, of which the masked-LM head
 * works on {@code rows} (the slots that carry weight, gathered to the front and rounded up to whole
 * register blocks: a padded slot adds nothing to the loss or a gradient, so the head skips it).
 * Integer inputs use the inference {@link Workspace}'s layout, followed by labels and the
 * token-gradient lists.
 */
public final class TrainingWorkspace {
  public final int batch;
  public final int seq;
  public final int slots;
  /** Mask rows the head computes (at most batch · slots). */
  public final int headRows;
  public final int hidden;
  public final int vocabulary;
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
  /**
   * The feed-forward activation act(intermediate) per layer, kept when all layers' copies take at
   * most {@link #SAVED_ACTIVATION_FLOATS} floats (else -1: the backward pass recomputes it, as it
   * always does with {@code -Dbertgen.keepActivations=false}).
   */
  public final int[] activatedSaved;
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
  /** The cross-entropy's per-(row, slice) maxima, argmax and sums: 3 floats each. */
  public final int partials;
  /** Slices of {@link dev.bertgen.compute.BertKernels#CE_SLICE} logits per row. */
  public final int slices;
  public final long size;

  /** Most floats the saved feed-forward activations of all layers may take (256 MiB). */
  static final long SAVED_ACTIVATION_FLOATS = 64L << 20;

  private TrainingWorkspace(BackboneConfig c, int batch, int seq, int slots, int headRows) {
    if (headRows < 1 || headRows > batch * slots) {
      throw new IllegalArgumentException("head rows " + headRows + " outside [1, " + batch * slots + "]");
    }
    this.batch = batch;
    this.seq = seq;
    this.slots = slots;
    this.headRows = headRows;
    this.hidden = c.hiddenDim();
    this.vocabulary = c.vocabularySize();
    this.inference = Workspace.plan(c, batch, seq, slots);
    int tokens = batch * seq;
    int rows = headRows;
    long h = c.hiddenDim();
    long in = c.intermediateDim();
    long v = c.vocabularySize();
    long attention = (long) batch * c.numHeads() * seq * seq;
    int layers = c.numLayers();

    int ints = inference.intsSize;
    labels = ints;
    ints += batch * slots;
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
    activatedSaved = new int[layers];
    boolean keep = (long) layers * tokens * in <= SAVED_ACTIVATION_FLOATS
        && !"false".equals(System.getProperty("bertgen.keepActivations"));
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
      activatedSaved[l] = keep ? checked(at) : -1;
      at += keep ? tokens * in : 0;
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
    slices = (int) ((v + dev.bertgen.compute.BertKernels.CE_SLICE - 1) / dev.bertgen.compute.BertKernels.CE_SLICE);
    partials = checked(at);
    at += 3L * rows * slices;
    size = checked(at);
  }

  /** The plan for a batch whose head computes every mask slot. */
  public static TrainingWorkspace plan(BackboneConfig config, int batch, int seq, int slots) {
    return new TrainingWorkspace(config, batch, seq, slots, batch * slots);
  }

  /** The plan for a batch whose head computes {@code headRows} gathered mask rows. */
  public static TrainingWorkspace plan(BackboneConfig config, int batch, int seq, int slots, int headRows) {
    return new TrainingWorkspace(config, batch, seq, slots, headRows);
  }

  public int tokens() {
    return batch * seq;
  }

  /** Rows the masked-LM head computes: {@link #headRows}. */
  public int rows() {
    return headRows;
  }

  private static int checked(long offset) {
    if (offset > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("a training step on this batch needs " + offset + " activation "
          + "values, more than one Java array holds; use a smaller batch size or sequence length");
    }
    return (int) offset;
  }
}
