package dev.bertgen.training;

import dev.bertgen.preprocessing.TaskBatch;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * keras' {@code fit} arguments.
 *
 * @param batchSize examples per optimizer update (keras' default 32); the last batch of an epoch
 *     may be smaller
 * @param epochs passes over the data
 * @param shuffle whether each epoch visits the examples in a new random order
 * @param seed seed of the shuffling and of the masks drawn for raw strings: the same seed, data and
 *     model give the same run
 * @param stepsPerEpoch at most this many batches per epoch; 0 for the whole data
 * @param validationTexts raw strings to evaluate after each epoch (masked with a fixed seed, so the
 *     numbers are comparable from epoch to epoch), or {@code null}
 * @param validationData preprocessed data of the task ({@code MaskedLMBatch}, {@code TextClassifierBatch})
 *     to evaluate after each epoch, or {@code null}
 * @param timeLimit stop after the batch that passes this much training time, or {@code null}
 * @param verbosity what to print
 * @param output where to print (standard output by default)
 * @param listeners called between batches and epochs
 * @param initialEpoch the epoch to start at (keras' {@code initial_epoch}, 0-based): resuming a run
 * @param initialStep the step within {@code initialEpoch} to start at; with the same seed, data and batch
 *     size, a run resumed at (epoch, step) sees exactly the batches and masks the interrupted run had left
 * @param initialTotals the sums behind the running metrics of {@code initialEpoch} up to
 *     {@code initialStep} (saved by a checkpoint), so that a resumed epoch reports the metrics of the
 *     whole epoch; {@code null} to count from the resumed step
 * @param terminateOnNaN keras' {@code TerminateOnNaN}, on by default: the first batch whose loss or
 *     gradient norm is NaN or infinite stops {@code fit} with a {@link NonFiniteLossException}
 *     before the optimizer applies it (the weights stay those of the batch before); off, such
 *     batches are applied and training goes on, as keras does without the callback
 */
public record FitOptions(int batchSize, int epochs, boolean shuffle, long seed, int stepsPerEpoch,
    List<String> validationTexts, TaskBatch<?> validationData, Duration timeLimit, Verbosity verbosity,
    PrintStream output, List<TrainingListener> listeners, int initialEpoch, int initialStep,
    EpochTotals initialTotals, boolean terminateOnNaN) {

  /** Seed used when none is given. */
  public static final long DEFAULT_SEED = 0x5EEDL;

  public FitOptions {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
    }
    if (epochs < 1) {
      throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
    }
    if (stepsPerEpoch < 0) {
      throw new IllegalArgumentException("stepsPerEpoch must be >= 0 (0 for the whole data), got "
          + stepsPerEpoch);
    }
    if (validationTexts != null && validationData != null) {
      throw new IllegalArgumentException("give validationTexts or validationData, not both");
    }
    if (timeLimit != null && (timeLimit.isNegative() || timeLimit.isZero())) {
      throw new IllegalArgumentException("timeLimit must be positive, got " + timeLimit);
    }
    if (initialEpoch < 0 || initialStep < 0) {
      throw new IllegalArgumentException("initialEpoch and initialStep must be >= 0, got " + initialEpoch + " and "
          + initialStep);
    }
    validationTexts = validationTexts == null ? null : List.copyOf(validationTexts);
    Objects.requireNonNull(verbosity, "verbosity");
    Objects.requireNonNull(output, "output");
    listeners = List.copyOf(listeners);
  }

  /** keras' defaults: batch 32, one epoch, shuffled, progress bar on a terminal. */
  public static FitOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builder of {@link FitOptions}. */
  public static final class Builder {
    private int batchSize = 32;
    private int epochs = 1;
    private boolean shuffle = true;
    private long seed = DEFAULT_SEED;
    private int stepsPerEpoch;
    private List<String> validationTexts;
    private TaskBatch<?> validationData;
    private Duration timeLimit;
    private Verbosity verbosity = Verbosity.AUTO;
    private PrintStream output = System.out;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private int initialEpoch;
    private int initialStep;
    private EpochTotals initialTotals;
    private boolean terminateOnNaN = true;

    private Builder() {}

    public Builder batchSize(int value) {
      this.batchSize = value;
      return this;
    }

    public Builder epochs(int value) {
      this.epochs = value;
      return this;
    }

    public Builder shuffle(boolean value) {
      this.shuffle = value;
      return this;
    }

    public Builder seed(long value) {
      this.seed = value;
      return this;
    }

    public Builder stepsPerEpoch(int value) {
      this.stepsPerEpoch = value;
      return this;
    }

    /** Raw strings evaluated after each epoch ({@code val_loss}, ...). */
    public Builder validationTexts(List<String> value) {
      this.validationTexts = value;
      return this;
    }

    /** Preprocessed data evaluated after each epoch ({@code val_loss}, ...). */
    public Builder validationData(TaskBatch<?> value) {
      this.validationData = value;
      return this;
    }

    public Builder timeLimit(Duration value) {
      this.timeLimit = value;
      return this;
    }

    public Builder verbosity(Verbosity value) {
      this.verbosity = value;
      return this;
    }

    public Builder output(PrintStream value) {
      this.output = value;
      return this;
    }

    public Builder listener(TrainingListener value) {
      this.listeners.add(Objects.requireNonNull(value, "listener"));
      return this;
    }

    /**
     * Starts at {@code epoch} (0-based) and, within it, at {@code step}: resuming an interrupted run
     * (keras' {@code initial_epoch}, plus the step). {@code epochs} stays the total count.
     */
    public Builder initialEpoch(int epoch, int step) {
      return initialEpoch(epoch, step, null);
    }

    /**
     * As {@link #initialEpoch(int, int)}, with the running metrics' sums of the interrupted epoch (from
     * {@link TrainingListener#onBatchEnd(int, int, java.util.Map, EpochTotals)} at the checkpoint), so
     * that the resumed epoch's metrics are those of the whole epoch.
     */
    public Builder initialEpoch(int epoch, int step, EpochTotals totals) {
      this.initialEpoch = epoch;
      this.initialStep = step;
      this.initialTotals = totals;
      return this;
    }

    /**
     * Whether a NaN or infinite loss or gradient norm stops training before the update is applied
     * (default: true; keras' {@code TerminateOnNaN}).
     */
    public Builder terminateOnNaN(boolean value) {
      this.terminateOnNaN = value;
      return this;
    }

    public FitOptions build() {
      return new FitOptions(batchSize, epochs, shuffle, seed, stepsPerEpoch, validationTexts, validationData,
          timeLimit, verbosity, output, listeners, initialEpoch, initialStep, initialTotals, terminateOnNaN);
    }
  }
}
