package dev.bertgen.training;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * keras' {@code History}: what {@code fit} measured, one value per epoch under keras' names
 * ({@code loss}, {@code sparse_categorical_accuracy}, and with validation data {@code val_loss},
 * {@code val_sparse_categorical_accuracy}), plus {@code masked_token_loss} (Σ w·CE / Σ w: the
 * cross-entropy per masked token, which starts near ln(vocabulary) for a fresh model, whereas
 * keras' {@code loss} divides by every mask slot, used or not).
 */
public final class History {

  /** Why {@code fit} returned. */
  public enum StopReason {
    /** Every epoch ran. */
    COMPLETED,
    /** {@code stopTraining()} was called. */
    STOPPED,
    /** The time limit of {@link FitOptions#timeLimit()} passed. */
    TIME_LIMIT,
    /** The training thread was interrupted; the model holds the last completed update. */
    INTERRUPTED
  }

  private final Map<String, List<Double>> metrics = new LinkedHashMap<>();
  private long steps;
  private long tokens;
  private Duration elapsed = Duration.ZERO;
  private StopReason stopReason = StopReason.COMPLETED;

  /** Creates an empty history; {@code fit} fills it. */
  public History() {}

  /** Appends the metrics of one epoch. */
  public void addEpoch(Map<String, Double> logs) {
    int before = epochs();
    for (Map.Entry<String, Double> e : logs.entrySet()) {
      List<Double> values = metrics.computeIfAbsent(e.getKey(), k -> {
        List<Double> list = new ArrayList<>();
        for (int i = 0; i < before; i++) {
          list.add(Double.NaN);
        }
        return list;
      });
      values.add(e.getValue());
    }
    for (List<Double> values : metrics.values()) {
      while (values.size() < before + 1) {
        values.add(Double.NaN);
      }
    }
  }

  /** Records totals at the end of {@code fit}. */
  public void finish(long steps, long tokens, Duration elapsed, StopReason reason) {
    this.steps = steps;
    this.tokens = tokens;
    this.elapsed = elapsed;
    this.stopReason = reason;
  }

  /** keras' {@code history.history}: metric name → one value per epoch. */
  public Map<String, List<Double>> history() {
    Map<String, List<Double>> copy = new LinkedHashMap<>();
    metrics.forEach((k, v) -> copy.put(k, Collections.unmodifiableList(new ArrayList<>(v))));
    return Collections.unmodifiableMap(copy);
  }

  /**
   * The values of one metric, one per epoch.
   *
   * @throws IllegalArgumentException for a metric fit did not record, listing those it did
   */
  public List<Double> get(String metric) {
    List<Double> values = metrics.get(metric);
    if (values == null) {
      throw new IllegalArgumentException("no metric \"" + metric + "\" in this history; it has "
          + metrics.keySet());
    }
    return Collections.unmodifiableList(new ArrayList<>(values));
  }

  /** The value of {@code metric} after the last epoch. */
  public double last(String metric) {
    List<Double> values = get(metric);
    if (values.isEmpty()) {
      throw new IllegalStateException("no epoch finished, so there is no value of " + metric);
    }
    return values.get(values.size() - 1);
  }

  /** Epochs recorded (a partly run last epoch counts). */
  public int epochs() {
    return metrics.isEmpty() ? 0 : metrics.values().iterator().next().size();
  }

  /** Optimizer updates made. */
  public long steps() {
    return steps;
  }

  /** Token positions processed (batch × sequence length, summed over batches). */
  public long tokens() {
    return tokens;
  }

  /** Training time, validation included. */
  public Duration elapsed() {
    return elapsed;
  }

  /** Token positions per second over the whole run. */
  public double tokensPerSecond() {
    double s = elapsed.toNanos() / 1e9;
    return s > 0 ? tokens / s : 0;
  }

  public StopReason stopReason() {
    return stopReason;
  }

  @Override
  public String toString() {
    return "History[epochs=" + epochs() + ", steps=" + steps + ", stop=" + stopReason + ", " + metrics + "]";
  }
}
