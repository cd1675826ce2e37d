package dev.bertgen.layers;

import dev.bertgen.spec.BackboneConfig;

/**
 * Where one forward pass keeps its tensors: offsets into the integer arena and the activation
 * arena for a batch of {@code batch} rows of {@code seq} tokens with {@code slots} mask slots.
 * The encoder updates the hidden states in place, layer by layer.
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

  private Workspace(BackboneConfig c, int batch, int seq, int slots) {
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

  private static int checked(long offset) {
    if (offset > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("this batch needs " + offset + " activation values, more than "
          + "one Java array holds; use a smaller batch, sequence length or number of mask slots");
    }
    return (int) offset;
  }
}
