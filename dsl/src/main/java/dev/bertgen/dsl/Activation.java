package dev.bertgen.dsl;

/** Activations of the BERT feed-forward and masked-LM head layers. */
public enum Activation {
  /** Exact GELU, 0.5·x·(1 + erf(x/√2)): Keras {@code "gelu"}, Hugging Face {@code "gelu"}. */
  GELU("gelu"),
  /** tanh approximation of GELU: keras-hub's {@code gelu_approximate}, used by its BERT encoder. */
  GELU_APPROXIMATE("gelu_approximate");

  private final String yamlName;

  Activation(String yamlName) {
    this.yamlName = yamlName;
  }

  /** The spelling used in preset YAML files. */
  public String yamlName() {
    return yamlName;
  }
}
