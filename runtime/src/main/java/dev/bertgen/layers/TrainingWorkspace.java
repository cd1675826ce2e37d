package dev.bertgen.layers;

import dev.bertgen.compute.Arena;
import dev.bertgen.compute.Tensor;
import dev.bertgen.spec.BackboneConfig;

/**
 * Where one training step keeps its tensors in the activation arena [a]: what the forward pass
 * saves for the backward pass, per layer, and the backward pass's scratch space, for a batch of
 * {@code batch} rows of {@code seq} tokens with {@code slots} mask slots, of which the masked-LM head
 * works on {@code rows} (the slots that carry weight, gathered to the front and rounded up to whole
 * register blocks: a padded slot adds nothing to the loss or a gradient, so the head skips it).
 * Integer inputs use the inference {@link Workspace}'s layout, followed by labels and the
 * token-gradient lists. Layers take these places as {@link Tensor}s ({@link #layerInput(int)}, ...).
 */
public final class TrainingWorkspace {
  public final int batch;
  public final int seq;
  public final int slots;
  /** Mask rows the head computes (at most batch · slots). */
  public final int headRows;
  public final int hidden;
  public final int vocabulary;
  /**
   * Columns of the head's logits: the vocabulary for the masked-LM head, the number of classes for a
   * text classifier's.
   */
  public final int width;
  /** Whether this plan is a text classifier's (one head row per example, no vocabulary-wide scratch). */
  public final boolean classifier;
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

  private final int heads;
  private final int intermediateDim;

  private TrainingWorkspace(BackboneConfig c, int batch, int seq, int slots, int headRows, int classes) {
    this.heads = c.numHeads();
    this.intermediateDim = c.intermediateDim();
    if (headRows < 1 || headRows > batch * slots) {
      throw new IllegalArgumentException("head rows " + headRows + " outside [1, " + batch * slots + "]");
    }
    this.batch = batch;
    this.seq = seq;
    this.slots = slots;
    this.headRows = headRows;
    this.hidden = c.hiddenDim();
    this.vocabulary = c.vocabularySize();
    this.classifier = classes > 0;
    this.width = classifier ? classes : c.vocabularySize();
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
    at += (long) rows * width;

    long wide = Math.max(3 * h, in);
    // the head's backward uses dX2 and dBranch for its rows, which outnumber the tokens when a batch
    // has more weighted mask slots than tokens (slots may repeat a position)
    long tokensOrRows = Math.max(tokens, rows);
    dX = checked(at);
    at += tokens * h;
    dX2 = checked(at);
    at += tokensOrRows * h;
    dBranch = checked(at);
    at += tokensOrRows * h;
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
    at += Math.max(Math.max(tokens * wide, attention), Math.max(width, h) * rows);
    weightsT = checked(at);
    at += Math.max(h * Math.max(wide, classifier ? width : 0), 1);
    stats = checked(at);
    at += 2L * Math.max(tokens, rows);
    slabs = checked(at);
    at += classifier ? 0 : (long) MaskedLMHead.inputGradientSlabs((int) v, rows, (int) h) * rows * h;
    slices = (width + dev.bertgen.compute.BertKernels.CE_SLICE - 1) / dev.bertgen.compute.BertKernels.CE_SLICE;
    partials = checked(at);
    at += 3L * rows * slices;
    size = checked(at);
  }

  /** The plan for a batch whose head computes every mask slot. */
  public static TrainingWorkspace plan(BackboneConfig config, int batch, int seq, int slots) {
    return new TrainingWorkspace(config, batch, seq, slots, batch * slots, 0);
  }

  /**
   * The plan for a text classifier of {@code classes} classes: one head row per example (its [CLS]
   * token, gathered as a mask row), logits {@code (batch, classes)}.
   */
  public static TrainingWorkspace classifier(BackboneConfig config, int batch, int seq, int classes) {
    if (classes < 1) {
      throw new IllegalArgumentException("a classifier needs at least one class, got " + classes);
    }
    return new TrainingWorkspace(config, batch, seq, 1, batch, classes);
  }

  /** The plan for a batch whose head computes {@code headRows} gathered mask rows. */
  public static TrainingWorkspace plan(BackboneConfig config, int batch, int seq, int slots, int headRows) {
    return new TrainingWorkspace(config, batch, seq, slots, headRows, 0);
  }

  public int tokens() {
    return batch * seq;
  }

  /** Rows the masked-LM head computes: {@link #headRows}. */
  public int rows() {
    return headRows;
  }

  // ---- the same places as tensors

  private Tensor a(String name, int offset, int rows, int cols) {
    return Tensor.of(name, Arena.ACTIVATIONS, offset, rows, cols);
  }

  private int attentionRows() {
    return batch * heads * seq;
  }

  /** Labels of the head's rows, in the integer arena. */
  public Tensor labels() {
    return Tensor.of("labels", Arena.INTS, labels, headRows, 1);
  }

  /** The distinct token ids of the batch (as many as the host listed; at most one per token). */
  public Tensor uniqueIds() {
    return Tensor.of("uniqueIds", Arena.INTS, uniqueIds, tokens(), 1);
  }

  /** Where each distinct id's positions start in {@link #idPositions()} (one more than the ids). */
  public Tensor idStarts() {
    return Tensor.of("idStarts", Arena.INTS, idStarts, tokens() + 1, 1);
  }

  /** Token positions grouped by id. */
  public Tensor idPositions() {
    return Tensor.of("idPositions", Arena.INTS, idPositions, tokens(), 1);
  }

  /** The embedding sum before its LayerNorm (tokens, hidden). */
  public Tensor embeddingSum() {
    return a("embeddingSum", embeddingSum, tokens(), hidden);
  }

  /** Input of layer {@code l} (tokens, hidden); {@code layerInput(L)} is the sequence output. */
  public Tensor layerInput(int l) {
    return a("layerInput" + l, layerInput[l], tokens(), hidden);
  }

  /** Layer l's query, key and value (tokens, 3·hidden). */
  public Tensor qkv(int l) {
    return a("qkv" + l, qkv[l], tokens(), 3 * hidden);
  }

  /** Layer l's attention probabilities before dropout, (seq, seq) per (sequence, head), stacked. */
  public Tensor probs(int l) {
    return a("attentionProbs" + l, probs[l], attentionRows(), seq);
  }

  /** Layer l's attention context (tokens, hidden). */
  public Tensor context(int l) {
    return a("context" + l, context[l], tokens(), hidden);
  }

  /** Layer l's input plus its attention output (before LayerNorm). */
  public Tensor attentionResidual(int l) {
    return a("attentionResidual" + l, attentionResidual[l], tokens(), hidden);
  }

  /** Layer l's normalized attention block output. */
  public Tensor attentionOutput(int l) {
    return a("attentionOutput" + l, attentionOutput[l], tokens(), hidden);
  }

  /** Layer l's feed-forward pre-activation (tokens, intermediate). */
  public Tensor intermediate(int l) {
    return a("intermediate" + l, intermediate[l], tokens(), intermediateDim);
  }

  /** Layer l's kept feed-forward activation, or null when it is recomputed ({@link #activatedSaved}). */
  public Tensor activatedSaved(int l) {
    return activatedSaved[l] < 0 ? null : a("activated" + l, activatedSaved[l], tokens(), intermediateDim);
  }

  /** Layer l's attention output plus its feed-forward output (before LayerNorm). */
  public Tensor ffnResidual(int l) {
    return a("ffnResidual" + l, ffnResidual[l], tokens(), hidden);
  }

  /** The sequence output's rows at the head's mask rows (rows, hidden). */
  public Tensor gathered() {
    return a("gathered", gathered, headRows, hidden);
  }

  /** The head's dense output before its activation. */
  public Tensor headDense() {
    return a("headDense", headDense, headRows, hidden);
  }

  /** The head's activated dense output (its LayerNorm's input). */
  public Tensor headActivated() {
    return a("headActivated", headActivated, headRows, hidden);
  }

  /** The head's LayerNorm output (the logits product's input). */
  public Tensor headNormalized() {
    return a("headNormalized", headNormalized, headRows, hidden);
  }

  /** Gradient of the logits (rows, {@link #width}). */
  public Tensor dLogits() {
    return a("dLogits", dLogits, headRows, width);
  }

  /** The head's logits in the logits array [l] from offset 0 (rows, {@link #width}). */
  public Tensor logits() {
    return Tensor.of("logits", Arena.LOGITS, 0, headRows, width);
  }

  /** Gradient of a layer's output, then of its input (tokens, hidden). */
  public Tensor dX() {
    return a("dX", dX, tokens(), hidden);
  }

  /** Scratch gradient (tokens, hidden). */
  public Tensor dX2() {
    return a("dX2", dX2, tokens(), hidden);
  }

  /** Scratch: a branch's output (forward) or gradient (backward), (tokens, hidden). */
  public Tensor dBranch() {
    return a("dBranch", dBranch, tokens(), hidden);
  }

  /** Gradient of the feed-forward pre-activation (tokens, intermediate). */
  public Tensor dIntermediate() {
    return a("dIntermediate", dIntermediate, tokens(), intermediateDim);
  }

  /** Scratch for a recomputed feed-forward activation (tokens, intermediate). */
  public Tensor activated() {
    return a("activatedScratch", activated, tokens(), intermediateDim);
  }

  /** Gradient of query, key and value (tokens, 3·hidden). */
  public Tensor dQkv() {
    return a("dQkv", dQkv, tokens(), 3 * hidden);
  }

  /** Gradient of the attention context (tokens, hidden). */
  public Tensor dContext() {
    return a("dContext", dContext, tokens(), hidden);
  }

  /** Gradient of the attention probabilities, stacked (seq, seq) per (sequence, head). */
  public Tensor dProbs() {
    return a("dProbs", dProbs, attentionRows(), seq);
  }

  /** Gradient of the attention scores, stacked. */
  public Tensor dScores() {
    return a("dScores", dScores, attentionRows(), seq);
  }

  /** The attention probabilities after dropout, stacked. */
  public Tensor probsWork() {
    return a("droppedProbs", probsWork, attentionRows(), seq);
  }

  /** Scratch for a transposed copy, seen as {@code rows × cols}. */
  public Tensor transposed(int rows, int cols) {
    return a("transposed", transposed, rows, cols);
  }

  /** Scratch for transposed weights, seen as {@code rows × cols}. */
  public Tensor weightsT(int rows, int cols) {
    return a("weightsT", weightsT, rows, cols);
  }

  /** LayerNorm backward's row statistics (mean, 1/σ) for {@code rows} rows. */
  public Tensor stats(int rows) {
    return a("layerNormStats", stats, rows, 2);
  }

  /** Slab {@code i} of the head's input gradient (rows, hidden); the slabs follow one another. */
  public Tensor slab(int i) {
    return a("slab" + i, Math.toIntExact(slabs + (long) i * headRows * hidden), headRows, hidden);
  }

  /** The head's sample weights, one per row, in the float input buffer. */
  public Tensor sampleWeights() {
    return Tensor.of("sampleWeights", Arena.FLOAT_INPUTS, 0, headRows, 1);
  }

  /** Per head row, loss·weight and correct·weight, from the start of the download buffer. */
  public Tensor rowResults() {
    return Tensor.of("rowLosses", Arena.RESULTS, 0, headRows, 2);
  }

  /** The cross-entropy's partials, 3 per (row, slice). */
  public Tensor partials() {
    return a("crossEntropyPartials", partials, headRows * slices, 3);
  }

  private static int checked(long offset) {
    if (offset > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("a training step on this batch needs " + offset + " activation "
          + "values, more than one Java array holds; use a smaller batch size or sequence length");
    }
    return (int) offset;
  }
}
