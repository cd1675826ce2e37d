package dev.bertgen.training;

import java.util.Map;

/**
 * keras' {@code Callback} for {@code fit}: called on the training thread between batches, so a
 * listener may save the model or call {@code stopTraining()}. Metric maps use keras' names
 * ({@code loss}, {@code sparse_categorical_accuracy}, {@code val_loss}, ...).
 */
public interface TrainingListener {

  /** Before the first batch of epoch {@code epoch} (from 0). */
  default void onEpochBegin(int epoch) {}

  /**
   * After each optimizer update.
   *
   * @param step the batch within the epoch (from 0)
   * @param logs the epoch's running metrics, as the progress bar shows them
   */
  default void onBatchEnd(int epoch, int step, Map<String, Double> logs) {}

  /**
   * After each optimizer update, with the sums behind {@code logs} as well: what a checkpoint saves so
   * that a run resumed there reports its epoch's metrics as an unbroken run does
   * ({@link FitOptions.Builder#initialEpoch(int, int, EpochTotals)}). By default calls
   * {@link #onBatchEnd(int, int, Map)}.
   */
  default void onBatchEnd(int epoch, int step, Map<String, Double> logs, EpochTotals totals) {
    onBatchEnd(epoch, step, logs);
  }

  /**
   * After each optimizer update, just before {@link #onBatchEnd}, with this batch's own metrics
   * (measured before the update, as keras measures them) instead of the epoch's running means: a loss
   * curve's points.
   */
  default void onTrainBatch(int epoch, int step, Map<String, Double> batchLogs) {}

  /** After the epoch's validation, with the epoch's metrics (those {@link History} records). */
  default void onEpochEnd(int epoch, Map<String, Double> logs) {}
}
