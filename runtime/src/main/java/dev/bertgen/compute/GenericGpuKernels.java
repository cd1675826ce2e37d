package dev.bertgen.compute;

import dev.bertgen.spec.BackboneConfig;

/**
 * The GPU family's kernel class for architectures known only at run time: {@link #gpuDispatch} with
 * sizes read from fields (the generated {@code XGpuKernels} pass constants).
 */
public final class GenericGpuKernels extends GpuBertKernels {
  private final int hidden;
  private final int heads;
  private final int headDim;
  private final int intermediate;
  private final int vocabulary;

  public GenericGpuKernels(BackboneConfig config) {
    this.hidden = config.hiddenDim();
    this.heads = config.numHeads();
    this.headDim = config.headDim();
    this.intermediate = config.intermediateDim();
    this.vocabulary = config.vocabularySize();
  }

  @Override
  public void run() {
    gpuDispatch(hidden, heads, headDim, intermediate, vocabulary);
  }
}
