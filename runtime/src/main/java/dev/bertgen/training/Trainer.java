package dev.bertgen.training;

import dev.bertgen.preprocessing.TaskBatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * keras' {@code fit} and {@code evaluate} loops for a task ({@link Trainable}, such as
 * {@code BertMaskedLM}): batches (masked anew each epoch when they come from raw strings, prepared on a
 * second thread while the device trains), keras' running metrics, validation, progress, listeners, and
 * stopping between batches. Tasks call it from their {@code fit} and {@code evaluate}; it is public only
 * for them.
 */
public final class Trainer {
  private Trainer() {}

  /** Where batches come from. */
  public interface Source<B extends TaskBatch<B>> {
    /** Number of examples. */
    int size();

    /** The examples {@code rows}, masked (for raw strings) with randomness from {@code seed}. */
    B batch(int[] rows, long seed);

    /**
     * The batch of step {@code seed}'s {@code epoch}: what {@code fit} calls. By default
     * {@link #batch(int[], long)}; a source whose masks depend on the example rather than on the batch
     * (data-parallel training, where the same example may fall in batches of other sizes) overrides it.
     */
    default B batch(int[] rows, long seed, int epoch) {
      return batch(rows, seed);
    }
  }

  /** What a preprocessor does to texts: makes a batch of them (a masked LM's: masked with randomness from a seed). */
  @FunctionalInterface
  public interface Masker<B> {
    /** The batch of {@code texts}. */
    B call(List<String> texts, long seed);
  }

  /** Raw strings through a preprocessor ({@code preprocessor::call}): new masks for every seed. */
  public static <B extends TaskBatch<B>> Source<B> texts(Masker<B> preprocessor, List<String> texts, String what) {
    List<String> copy = List.copyOf(texts); // rejects null entries
    if (copy.isEmpty()) {
      throw new IllegalArgumentException(what + " is empty; give at least one text");
    }
    return new Source<B>() {
      @Override
      public int size() {
        return copy.size();
      }

      @Override
      public B batch(int[] rows, long seed) {
        List<String> chosen = new ArrayList<>(rows.length);
        for (int r : rows) {
          chosen.add(copy.get(r));
        }
        return preprocessor.call(chosen, seed);
      }
    };
  }

  /** Preprocessed examples: the same masks every epoch. */
  public static <B extends TaskBatch<B>> Source<B> preprocessed(B data, String what) {
    if (data.size() == 0) {
      throw new IllegalArgumentException(what + " has no examples");
    }
    return new Source<B>() {
      @Override
      public int size() {
        return data.size();
      }

      @Override
      public B batch(int[] rows, long seed) {
        return data.select(rows);
      }
    };
  }

  /** keras' {@code fit}: epochs of optimizer updates of {@code model} on {@code train}. */
  public static <B extends TaskBatch<B>> History fit(Trainable<B> model, Source<B> train, Source<B> validation,
      FitOptions o) {
    int n = train.size();
    int perEpoch = (n + o.batchSize() - 1) / o.batchSize();
    if (o.stepsPerEpoch() > 0) {
      perEpoch = Math.min(perEpoch, o.stepsPerEpoch());
    }
    ProgressBar bar = new ProgressBar(o.output(), o.verbosity());
    History history = new History();
    long start = System.nanoTime();
    long deadline = o.timeLimit() == null ? Long.MAX_VALUE : start + o.timeLimit().toNanos();
    long steps = 0;
    long tokens = 0;
    History.StopReason reason = History.StopReason.COMPLETED;
    ExecutorService prefetch = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "bertgen-fit-batches");
      t.setDaemon(true);
      return t;
    });
    try {
      epochs:
      for (int epoch = o.initialEpoch(); epoch < o.epochs(); epoch++) {
        int first = epoch == o.initialEpoch() ? Math.min(o.initialStep(), perEpoch) : 0;
        for (TrainingListener l : o.listeners()) {
          l.onEpochBegin(epoch);
        }
        bar.begin("Epoch " + (epoch + 1) + "/" + o.epochs(), perEpoch);
        int[] order = order(n, o.shuffle(), mix(o.seed(), epoch, -1));
        EpochTotals means = epoch == o.initialEpoch() && o.initialTotals() != null ? o.initialTotals()
            : EpochTotals.NONE;
        long epochTokens = 0;
        long epochStart = System.nanoTime();
        Future<B> next = first < perEpoch ? prepare(prefetch, train, order, first, o, epoch) : null;
        int done = first;
        for (int step = first; step < perEpoch; step++) {
          B batch = await(next);
          if (batch == null) {
            reason = History.StopReason.INTERRUPTED;
            break;
          }
          next = step + 1 < perEpoch ? prepare(prefetch, train, order, step + 1, o, epoch) : null;
          StepResult r;
          try {
            r = model.trainStep(batch, o.terminateOnNaN());
          } catch (NonFiniteLossException e) {
            bar.abort();
            throw e.at(epoch, step);
          }
          int b = batch.size();
          means = means.plus(r, b);
          long t = (long) b * batch.sequenceLength();
          epochTokens += t;
          tokens += t;
          steps++;
          done = step + 1;
          Map<String, Double> logs = logs(model, means, "");
          double rate = epochTokens / ((System.nanoTime() - epochStart) / 1e9);
          bar.update(done, logs, rate);
          if (!o.listeners().isEmpty()) {
            Map<String, Double> batchLogs = logs(model, EpochTotals.NONE.plus(r, b), "");
            for (TrainingListener l : o.listeners()) {
              l.onTrainBatch(epoch, step, batchLogs);
              l.onBatchEnd(epoch, step, logs, means);
            }
          }
          if (Thread.currentThread().isInterrupted()) {
            reason = History.StopReason.INTERRUPTED;
          } else if (model.stopRequested()) {
            reason = History.StopReason.STOPPED;
          } else if (System.nanoTime() >= deadline) {
            reason = History.StopReason.TIME_LIMIT;
          }
          if (reason != History.StopReason.COMPLETED) {
            break;
          }
        }
        if (next != null) {
          next.cancel(true);
        }
        if (done == first) {
          if (first == perEpoch && first > 0) {
            continue; // resumed at the end of an epoch: nothing left of it
          }
          break;
        }
        Map<String, Double> logs = logs(model, means, "");
        if (validation != null && reason != History.StopReason.INTERRUPTED) {
          logs.putAll(logs(model, evaluate(model, validation, o.batchSize(), mix(o.seed(), -1, -1), null), "val_"));
        }
        double rate = epochTokens / ((System.nanoTime() - epochStart) / 1e9);
        bar.end(done, logs, rate);
        history.addEpoch(logs);
        for (TrainingListener l : o.listeners()) {
          l.onEpochEnd(epoch, logs);
        }
        if (reason == History.StopReason.COMPLETED && model.stopRequested()) {
          reason = History.StopReason.STOPPED;
        }
        if (reason != History.StopReason.COMPLETED) {
          break epochs;
        }
      }
    } finally {
      prefetch.shutdownNow();
    }
    history.finish(steps, tokens, Duration.ofNanos(System.nanoTime() - start), reason);
    return history;
  }

  /** Loss and accuracy over all of {@code data}, no dropout, no update. */
  static <B extends TaskBatch<B>> EpochTotals evaluate(Trainable<B> model, Source<B> data, int batchSize, long seed,
      ProgressBar bar) {
    int n = data.size();
    int steps = (n + batchSize - 1) / batchSize;
    if (bar != null) {
      bar.begin(null, steps);
    }
    EpochTotals means = EpochTotals.NONE;
    long tokens = 0;
    long start = System.nanoTime();
    for (int step = 0; step < steps; step++) {
      int from = step * batchSize;
      int[] rows = new int[Math.min(batchSize, n - from)];
      for (int i = 0; i < rows.length; i++) {
        rows[i] = from + i;
      }
      B batch = data.batch(rows, mix(seed, step, 0));
      means = means.plus(model.testStep(batch), rows.length);
      tokens += (long) rows.length * batch.sequenceLength();
      if (bar != null) {
        bar.update(step + 1, logs(model, means, ""), tokens / ((System.nanoTime() - start) / 1e9));
      }
    }
    if (bar != null) {
      bar.end(steps, logs(model, means, ""), tokens / ((System.nanoTime() - start) / 1e9));
    }
    return means;
  }

  /** keras' {@code evaluate(return_dict=True)} of {@code model} on {@code data}. */
  public static <B extends TaskBatch<B>> Map<String, Double> evaluate(Trainable<B> model, Source<B> data,
      EvaluateOptions o) {
    return logs(model, evaluate(model, data, o.batchSize(), o.seed(), new ProgressBar(o.output(), o.verbosity())), "");
  }

  private static <B extends TaskBatch<B>> Future<B> prepare(ExecutorService prefetch, Source<B> source, int[] order,
      int step,
      FitOptions o, int epoch) {
    int from = step * o.batchSize();
    int[] rows = java.util.Arrays.copyOfRange(order, from, Math.min(order.length, from + o.batchSize()));
    long seed = mix(o.seed(), epoch, step);
    return prefetch.submit(() -> source.batch(rows, seed, epoch));
  }

  /** The prepared batch, or null when this thread was interrupted while waiting. */
  private static <B> B await(Future<B> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      f.cancel(true);
      Thread.currentThread().interrupt();
      return null;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException("preparing a batch failed: " + cause, cause);
    }
  }

  /** keras' metrics of {@code totals}, without the per-token loss for a task that has none. */
  private static Map<String, Double> logs(Trainable<?> model, EpochTotals totals, String prefix) {
    Map<String, Double> m = totals.logs(prefix);
    if (!model.reportsMaskedTokenLoss()) {
      m.remove(prefix + "masked_token_loss");
    }
    return m;
  }

  /** 0..n-1, shuffled with {@code seed} when asked. */
  public static int[] order(int n, boolean shuffle, long seed) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    if (shuffle) {
      SplittableRandom random = new SplittableRandom(seed);
      for (int i = n - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
    }
    return order;
  }

  /** A seed for (run seed, epoch, step): SplitMix64 finalizer over the combination. */
  public static long mix(long seed, long epoch, long step) {
    long z = seed + 0x9E3779B97F4A7C15L * (epoch + 1) + 0xC2B2AE3D27D4EB4FL * (step + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
