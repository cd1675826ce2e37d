package dev.bertgen.compute;

import dev.bertgen.spec.BackboneConfig;

/**
 * The kernel class for architectures known only at run time: the same {@link #dispatch} as the
 * generated classes, with sizes read from fields.
 */
public final class GenericBertKernels extends BertKernels {
  private final int hidden;
  private final int heads;
  private final int headDim;
  private final int intermediate;
  private final int vocabulary;

  public GenericBertKernels(BackboneConfig config) {
    this.hidden = config.hiddenDim();
    this.heads = config.numHeads();
    this.headDim = config.headDim();
    this.intermediate = config.intermediateDim();
    this.vocabulary = config.vocabularySize();
  }

  @Override
  public void run() {
    dispatch(hidden, heads, headDim, intermediate, vocabulary);
  }
}
