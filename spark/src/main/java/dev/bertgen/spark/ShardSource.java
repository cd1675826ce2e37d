package dev.bertgen.spark;

import dev.bertgen.models.BertMaskedLMPreprocessor;
import dev.bertgen.preprocessing.MaskedLMBatch;
import dev.bertgen.training.Trainer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One worker's shard of the data as {@code fit}'s batches: each example is masked with randomness from
 * (run seed, epoch, its line number in the whole data), never from the batch it falls in. So an example
 * gets the same masks whichever worker holds it and however large the batches are: 2 workers with batch
 * B see, step by step, exactly the examples and masks of 1 worker with batch 2B (when not shuffled).
 */
final class ShardSource implements Trainer.Source<MaskedLMBatch> {
  private final BertMaskedLMPreprocessor preprocessor;
  private final List<String> texts;
  private final long[] lineNumbers;
  private final long seed;

  ShardSource(BertMaskedLMPreprocessor preprocessor, List<String> texts, long[] lineNumbers, long seed) {
    this.preprocessor = Objects.requireNonNull(preprocessor, "preprocessor");
    this.texts = List.copyOf(texts);
    if (lineNumbers.length != this.texts.size()) {
      throw new IllegalArgumentException(lineNumbers.length + " line numbers for " + texts.size() + " texts");
    }
    this.lineNumbers = lineNumbers.clone();
    this.seed = seed;
  }

  @Override
  public int size() {
    return texts.size();
  }

  @Override
  public MaskedLMBatch batch(int[] rows, long batchSeed) {
    return batch(rows, batchSeed, 0);
  }

  @Override
  public MaskedLMBatch batch(int[] rows, long batchSeed, int epoch) {
    List<String> chosen = new ArrayList<>(rows.length);
    long[] seeds = new long[rows.length];
    for (int i = 0; i < rows.length; i++) {
      chosen.add(texts.get(rows[i]));
      seeds[i] = Trainer.mix(seed, epoch, lineNumbers[rows[i]]);
    }
    return preprocessor.call(chosen, seeds);
  }
}
