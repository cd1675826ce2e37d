package dev.bertgen.spark;

import dev.bertgen.training.EpochTotals;

/**
 * Where a data-parallel run stands, in its checkpoints' {@code training_state.json} (beside the preset
 * and {@code optimizer.bin}, as {@code bertgen train} writes them) with the settings a resumed run must
 * keep.
 *
 * @param lines the examples of the data (non-blank lines)
 * @param stepsPerEpoch the steps every worker takes per epoch
 * @param epoch the epoch to continue in (0-based)
 * @param step the step within {@code epoch} to continue at
 * @param iterations optimizer updates done
 * @param totals worker 0's sums behind the running metrics of {@code epoch} up to {@code step}
 */
public record SparkRunState(String preset, boolean fromScratch, String data, long lines, int workers, int epochs,
    int batchSize, int stepsPerEpoch, int sequenceLength, int maskSlots, double learningRate, long seed,
    boolean shuffle, int epoch, int step, long iterations, boolean finished, EpochTotals totals) {

  /** This state at another position. */
  SparkRunState at(int epoch, int step, long iterations, boolean finished, EpochTotals totals) {
    return new SparkRunState(preset, fromScratch, data, lines, workers, epochs, batchSize, stepsPerEpoch,
        sequenceLength, maskSlots, learningRate, seed, shuffle, epoch, step, iterations, finished,
        step == 0 ? null : totals);
  }

  /** This state with another number of epochs (a finished run continued). */
  SparkRunState withEpochs(int value) {
    return new SparkRunState(preset, fromScratch, data, lines, workers, value, batchSize, stepsPerEpoch,
        sequenceLength, maskSlots, learningRate, seed, shuffle, epoch, step, iterations, false, totals);
  }
}
