package dev.bertgen.layers;

import java.util.Objects;

/**
 * What a training forward pass keeps for the backward pass, and where: the step's
 * {@link TrainingWorkspace} and the dropout in effect. The layers' {@code forward} methods take one
 * (training) or {@code null} (inference: no dropout, nothing kept, the encoder works in place).
 *
 * @param workspace where the kept activations and the scratch space are
 * @param dropout the step's dropout ({@link Dropout#NONE} for none)
 */
public record KeepPlan(TrainingWorkspace workspace, Dropout dropout) {

  public KeepPlan {
    Objects.requireNonNull(workspace, "workspace");
    Objects.requireNonNull(dropout, "dropout");
  }
}
