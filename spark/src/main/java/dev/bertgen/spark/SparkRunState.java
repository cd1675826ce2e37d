package dev.bertgen.spark;

import dev.bertgen.training.EpochTotals;
import java.util.List;

/**
 * Where a data-parallel run stands, in its checkpoints' {@code training_state.json} (beside the preset
 * and {@code optimizer.bin}, as {@code bertgen train} writes them) with the settings a resumed run must
 * keep.
 *
 * @param lines the examples of the data (non-blank lines)
 * @param stepsPerEpoch the steps every worker takes per epoch
 * @param maskSlots the masked LM's mask slots (0 for a classifier)
 * @param epoch the epoch to continue in (0-based)
 * @param step the step within {@code epoch} to continue at
 * @param iterations optimizer updates done
 * @param totals worker 0's sums behind the running metrics of {@code epoch} up to {@code step}
 * @param task {@link TaskKind#id()}
 * @param numClasses a classifier's classes (0 for a masked LM)
 * @param classNames a classifier's class names, empty when its labels are ids
 * @param pairs whether a classifier's examples are sentence pairs
 * @param freezeBackbone whether a classifier trains its head alone
 * @param dropout the dropout rate of training
 */
public record SparkRunState(String preset, boolean fromScratch, String data, long lines, int workers, int epochs,
    int batchSize, int stepsPerEpoch, int sequenceLength, int maskSlots, double learningRate, long seed,
    boolean shuffle, int epoch, int step, long iterations, boolean finished, EpochTotals totals, String task,
    int numClasses, List<String> classNames, boolean pairs, boolean freezeBackbone, double dropout) {

  public SparkRunState {
    classNames = classNames == null ? List.of() : List.copyOf(classNames);
  }

  /** What the run trains. */
  public TaskKind taskKind() {
    return TaskKind.of(task);
  }

  /** This state at another position. */
  SparkRunState at(int epoch, int step, long iterations, boolean finished, EpochTotals totals) {
    return new SparkRunState(preset, fromScratch, data, lines, workers, epochs, batchSize, stepsPerEpoch,
        sequenceLength, maskSlots, learningRate, seed, shuffle, epoch, step, iterations, finished,
        step == 0 ? null : totals, task, numClasses, classNames, pairs, freezeBackbone, dropout);
  }

  /** This state with another number of epochs (a finished run continued). */
  SparkRunState withEpochs(int value) {
    return new SparkRunState(preset, fromScratch, data, lines, workers, value, batchSize, stepsPerEpoch,
        sequenceLength, maskSlots, learningRate, seed, shuffle, epoch, step, iterations, false, totals, task,
        numClasses, classNames, pairs, freezeBackbone, dropout);
  }
}
