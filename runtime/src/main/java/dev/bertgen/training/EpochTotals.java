package dev.bertgen.training;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sums behind an epoch's running metrics (keras' metric trackers): the loss averaged over
 * examples, the per-token loss and the accuracy over sample weights. Saved with a checkpoint and
 * given back to {@link FitOptions.Builder#initialEpoch(int, int, EpochTotals)}, they let a resumed
 * epoch report the metrics of the whole epoch, as an unbroken run does.
 *
 * @param examples examples seen
 * @param weightedLoss Σ batch loss × batch size
 * @param lossSum Σ weight · cross-entropy over the mask slots
 * @param correctSum Σ weight · [argmax = label]
 * @param weightSum Σ weight
 */
public record EpochTotals(long examples, double weightedLoss, double lossSum, double correctSum, double weightSum) {

  /** Nothing seen yet. */
  public static final EpochTotals NONE = new EpochTotals(0, 0, 0, 0, 0);

  public EpochTotals {
    if (examples < 0 || !(weightSum >= 0)) {
      throw new IllegalArgumentException("epoch totals need examples >= 0 and weightSum >= 0, got " + examples
          + " and " + weightSum);
    }
  }

  /** These totals and one more batch of {@code batch} examples. */
  public EpochTotals plus(StepResult r, int batch) {
    return new EpochTotals(examples + batch, weightedLoss + r.loss() * batch, lossSum + r.lossSum(),
        correctSum + r.correctSum(), weightSum + r.weightSum());
  }

  /** keras' metrics under their names, each prefixed ({@code ""} or {@code "val_"}). */
  public Map<String, Double> logs(String prefix) {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put(prefix + "loss", examples == 0 ? Double.NaN : weightedLoss / examples);
    m.put(prefix + "sparse_categorical_accuracy", weightSum == 0 ? 0 : correctSum / weightSum);
    m.put(prefix + "masked_token_loss", weightSum == 0 ? Double.NaN : lossSum / weightSum);
    return m;
  }
}
