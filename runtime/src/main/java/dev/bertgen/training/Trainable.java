package dev.bertgen.training;

import dev.bertgen.preprocessing.TaskBatch;

/**
 * What {@link Trainer}'s {@code fit} and {@code evaluate} loops need of a task: one optimizer update,
 * one evaluation step, and whether it was asked to stop. {@code BertMaskedLM} and {@code BertTextClassifier} give one to the loops.
 *
 * @param <B> the task's batch type
 */
public interface Trainable<B extends TaskBatch<B>> {
  /**
   * One optimizer update on {@code batch}, with dropout.
   *
   * @param refuseNonFinite whether a step with a non-finite loss or gradient norm is refused (nothing
   *     is updated) with a {@link NonFiniteLossException}; otherwise it is applied
   * @throws IllegalStateException when the task is not compiled
   */
  StepResult trainStep(B batch, boolean refuseNonFinite);

  /** Loss and accuracy on {@code batch}: no update, no dropout. */
  StepResult testStep(B batch);

  /** Whether the metrics include {@code masked_token_loss} (a masked LM's loss per masked token). */
  default boolean reportsMaskedTokenLoss() {
    return true;
  }

  /** Whether the task was asked to stop training after the current batch. */
  boolean stopRequested();
}
