package dev.bertgen.layers;

import dev.bertgen.compute.Ops;
import dev.bertgen.dsl.Activation;

/** Maps activations to kernel activation codes. */
final class Activations {
  private Activations() {}

  static int code(Activation a) {
    return switch (a) {
      case GELU -> Ops.ACT_GELU;
      case GELU_APPROXIMATE -> Ops.ACT_GELU_TANH;
    };
  }
}
