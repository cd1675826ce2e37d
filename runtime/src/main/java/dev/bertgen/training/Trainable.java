package dev.bertgen.training;

import dev.bertgen.preprocessing.MaskedLMBatch;

/**
 * What {@link Trainer}'s {@code fit} and {@code evaluate} loops need of a task: one optimizer update,
 * one evaluation step, and whether it was asked to stop. {@code BertMaskedLM} gives one to the loops.
 */
public interface Trainable {
  /**
   * One optimizer update on {@code batch}, with dropout.
   *
   * @param refuseNonFinite whether a step with a non-finite loss or gradient norm is refused (nothing
   *     is updated) with a {@link NonFiniteLossException}; otherwise it is applied
   * @throws IllegalStateException when the task is not compiled
   */
  StepResult trainStep(MaskedLMBatch batch, boolean refuseNonFinite);

  /** Loss and accuracy on {@code batch}: no update, no dropout. */
  StepResult testStep(MaskedLMBatch batch);

  /** Whether the task was asked to stop training after the current batch. */
  boolean stopRequested();
}
