package dev.bertgen.layers;

import dev.bertgen.compute.Arena;
import dev.bertgen.compute.Tensor;
import dev.bertgen.spec.BackboneConfig;

/**
 * Where one forward pass keeps its tensors: offsets into the integer arena and the activation
 * arena for a batch of {@code batch} rows of {@code seq} tokens with {@code slots} mask slots.
 * The encoder updates the hidden states in place, layer by layer. The offsets are public for the
 * code that fills the integer arena; layers take the same places as {@link Tensor}s ({@link
 * #hiddenStates()}, ...).
 */
public final class Workspace {
  public final int batch;
  public final int seq;
  public final int slots;

  /** Integer arena: token ids, segment ids, padding mask (each batch·seq), mask positions (batch·slots). */
  public final int ids;
  public final int segments;
  public final int mask;
  public final int positions;
  public final int intsSize;

  /** Activation arena [a]: first the cached transposed token embedding (kept across calls), then the batch. */
  public final int embeddingT;
  public final int hiddenStates;
  public final int keysT;
  public final int probs;
  public final int context;
  public final int pooled;
  public final int gathered;
  public final int head;
  public final long size;

  /** Sizes of the product output arrays: [q] query/key/value rows, [f] intermediate, [d] hidden, [l] logits. */
  public final long qkvSize;
  public final long intermediateSize;
  public final long denseSize;
  public final long logitsSize;

  private final int hidden;
  private final int heads;
  private final int intermediate;
  private final int vocabulary;

  private Workspace(BackboneConfig c, int batch, int seq, int slots) {
    this.hidden = c.hiddenDim();
    this.heads = c.numHeads();
    this.intermediate = c.intermediateDim();
    this.vocabulary = c.vocabularySize();
    this.batch = batch;
    this.seq = seq;
    this.slots = slots;
    int tokens = batch * seq;
    ids = 0;
    segments = tokens;
    mask = 2 * tokens;
    positions = 3 * tokens;
    intsSize = 3 * tokens + batch * slots;

    long h = c.hiddenDim();
    long at = 0;
    embeddingT = checked(at);
    at += h * c.vocabularySize();
    hiddenStates = checked(at);
    at += tokens * h;
    keysT = checked(at);
    at += tokens * h;
    probs = checked(at);
    at += (long) batch * c.numHeads() * seq * seq;
    context = checked(at);
    at += tokens * h;
    pooled = checked(at);
    at += batch * h;
    gathered = checked(at);
    at += batch * slots * h;
    head = checked(at);
    at += batch * slots * h;
    size = checked(at);
    qkvSize = checked(tokens * 3 * h);
    intermediateSize = checked((long) tokens * c.intermediateDim());
    denseSize = checked(Math.max(tokens, (long) batch * slots) * h);
    logitsSize = checked((long) batch * slots * c.vocabularySize());
  }

  /** The plan for a batch. */
  public static Workspace plan(BackboneConfig config, int batch, int seq, int slots) {
    return new Workspace(config, batch, seq, slots);
  }

  public int tokens() {
    return batch * seq;
  }

  /** Token ids (batch, seq) in the integer arena. */
  public Tensor ids() {
    return Tensor.of("tokenIds", Arena.INTS, ids, batch, seq);
  }

  /** Segment ids (batch, seq). */
  public Tensor segments() {
    return Tensor.of("segmentIds", Arena.INTS, segments, batch, seq);
  }

  /** Padding mask (batch, seq). */
  public Tensor mask() {
    return Tensor.of("paddingMask", Arena.INTS, mask, batch, seq);
  }

  /** Token index ({@code b·seq + position}) of each of the first {@code rows} mask rows. */
  public Tensor positions(int rows) {
    return Tensor.of("maskRowTokens", Arena.INTS, positions, rows, 1);
  }

  /** The cached transposed token embedding (hidden, vocabulary). */
  public Tensor embeddingT() {
    return Tensor.of("tokenEmbeddingT", Arena.ACTIVATIONS, embeddingT, hidden, vocabulary);
  }

  /** Hidden states (batch·seq, hidden), updated in place layer by layer. */
  public Tensor hiddenStates() {
    return Tensor.of("hiddenStates", Arena.ACTIVATIONS, hiddenStates, tokens(), hidden);
  }

  /** Transposed keys, (headDim, seq) per (sequence, head), stacked: (batch·heads·headDim, seq). */
  public Tensor keysT() {
    return Tensor.of("keysT", Arena.ACTIVATIONS, keysT, batch * hidden, seq);
  }

  /** Attention scores, then probabilities, (seq, seq) per (sequence, head), stacked. */
  public Tensor probs() {
    return Tensor.of("attentionProbs", Arena.ACTIVATIONS, probs, batch * heads * seq, seq);
  }

  /** Attention context (batch·seq, hidden), heads side by side. */
  public Tensor context() {
    return Tensor.of("context", Arena.ACTIVATIONS, context, tokens(), hidden);
  }

  /** The pooled output (batch, hidden). */
  public Tensor pooled() {
    return Tensor.of("pooled", Arena.ACTIVATIONS, pooled, batch, hidden);
  }

  /** The sequence output's rows at the mask positions (batch·slots, hidden). */
  public Tensor gathered() {
    return Tensor.of("gathered", Arena.ACTIVATIONS, gathered, batch * slots, hidden);
  }

  /** The masked-LM head's normalized rows (batch·slots, hidden). */
  public Tensor head() {
    return Tensor.of("headNormalized", Arena.ACTIVATIONS, head, batch * slots, hidden);
  }

  /** Query, key and value side by side, (batch·seq, 3·hidden), in their own array. */
  public Tensor qkv() {
    return Tensor.of("qkv", Arena.QKV, 0, tokens(), 3 * hidden);
  }

  /** The feed-forward layer's intermediate product (batch·seq, intermediate), in its own array. */
  public Tensor intermediate() {
    return Tensor.of("intermediate", Arena.INTERMEDIATE, 0, tokens(), intermediate);
  }

  /** The first {@code rows} rows of the (rows, hidden) products' own array. */
  public Tensor dense(int rows) {
    return Tensor.of("dense", Arena.DENSE, 0, rows, hidden);
  }

  /**
   * A text classifier's logits (batch, classes) in [a], in the place of the transposed embedding,
   * which only the masked-LM head uses.
   *
   * @throws IllegalArgumentException when they do not fit there
   */
  public Tensor classifierLogits(int classes) {
    if ((long) batch * classes > (long) hidden * vocabulary) {
      throw new IllegalArgumentException("the logits of " + batch + " examples × " + classes + " classes do not "
          + "fit the workspace; use a smaller batch");
    }
    return Tensor.of("classifierLogits", Arena.ACTIVATIONS, embeddingT, batch, classes);
  }

  /** The first {@code rows} rows of the logits' own array (rows, vocabulary). */
  public Tensor logits(int rows) {
    return Tensor.of("logits", Arena.LOGITS, 0, rows, vocabulary);
  }

  private static int checked(long offset) {
    if (offset > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("this batch needs " + offset + " activation values, more than "
          + "one Java array holds; use a smaller batch, sequence length or number of mask slots");
    }
    return (int) offset;
  }
}
