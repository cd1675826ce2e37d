package dev.bertgen.compute;

/**
 * The arrays of {@link BertKernels} an operation reads or writes, by what they hold. A {@link Tensor}
 * names one of them; {@link DeviceOps} checks that each operand is in the array its operation reads.
 */
public enum Arena {
  /** [p] the parameter arena, in {@code VariableLayout} order. */
  PARAMETERS("[p] parameters"),
  /** [a] activations: the workspaces' tensors. */
  ACTIVATIONS("[a] activations"),
  /** [ii] integer inputs: token ids, segment ids, padding mask, mask positions, labels. */
  INTS("[ii] integer inputs"),
  /** [out] the download buffer: outputs, per-row losses, squared gradient sums. */
  RESULTS("[out] results"),
  /** [q] the query/key/value product's output. */
  QKV("[q] query/key/value"),
  /** [f] the feed-forward layer's intermediate product. */
  INTERMEDIATE("[f] intermediate"),
  /** [d] the (rows, hidden) products: attention output, feed-forward output, the head's dense layer. */
  DENSE("[d] dense output"),
  /** [l] the masked-LM logits. */
  LOGITS("[l] logits"),
  /** [gr] gradients, laid out as the parameters. */
  GRADIENTS("[gr] gradients"),
  /** [fin] float inputs: sample weights. */
  FLOAT_INPUTS("[fin] float inputs");

  private final String label;

  Arena(String label) {
    this.label = label;
  }

  /** The array as {@link Ops} writes it, e.g. {@code [a] activations}. */
  @Override
  public String toString() {
    return label;
  }
}
