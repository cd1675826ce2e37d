package dev.bertgen.training;

import java.io.PrintStream;
import java.util.Objects;

/**
 * keras' {@code evaluate} arguments.
 *
 * @param batchSize examples per batch (keras' default 32)
 * @param seed seed of the masks drawn for raw strings (fixed, so repeated evaluations agree)
 * @param verbosity what to print
 * @param output where to print
 */
public record EvaluateOptions(int batchSize, long seed, Verbosity verbosity, PrintStream output) {

  public EvaluateOptions {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
    }
    Objects.requireNonNull(verbosity, "verbosity");
    Objects.requireNonNull(output, "output");
  }

  /** Batch 32, the default seed, a progress bar on a terminal. */
  public static EvaluateOptions defaults() {
    return new EvaluateOptions(32, FitOptions.DEFAULT_SEED, Verbosity.AUTO, System.out);
  }

  public EvaluateOptions withBatchSize(int value) {
    return new EvaluateOptions(value, seed, verbosity, output);
  }

  public EvaluateOptions withSeed(long value) {
    return new EvaluateOptions(batchSize, value, verbosity, output);
  }

  public EvaluateOptions withVerbosity(Verbosity value) {
    return new EvaluateOptions(batchSize, seed, value, output);
  }

  public EvaluateOptions withOutput(PrintStream value) {
    return new EvaluateOptions(batchSize, seed, verbosity, value);
  }
}
