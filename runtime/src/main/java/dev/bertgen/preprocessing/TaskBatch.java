package dev.bertgen.preprocessing;

/**
 * A batch of a task's preprocessed examples (inputs, labels, sample weights), as the {@code fit} and
 * {@code evaluate} loops handle it: {@link MaskedLMBatch}, {@link TextClassifierBatch}.
 *
 * @param <B> the batch's own type
 */
public interface TaskBatch<B extends TaskBatch<B>> {
  /** Number of examples. */
  int size();

  /** Tokens per example. */
  int sequenceLength();

  /**
   * The examples {@code rows} (in that order) as a new batch.
   *
   * @throws IndexOutOfBoundsException for a row outside [0, size)
   */
  B select(int... rows);
}
