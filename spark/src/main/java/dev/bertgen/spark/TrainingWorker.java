package dev.bertgen.spark;

import dev.bertgen.compute.ComputeDevice;
import dev.bertgen.compute.DeviceKind;
import dev.bertgen.compute.Devices;
import dev.bertgen.examples.app.Checkpoint;
import dev.bertgen.examples.app.OutputFolder;
import dev.bertgen.training.EpochTotals;
import dev.bertgen.training.FitOptions;
import dev.bertgen.training.GradientExchange;
import dev.bertgen.training.History;
import dev.bertgen.training.RingAllReduce;
import dev.bertgen.training.Trainer;
import dev.bertgen.training.TrainingListener;
import dev.bertgen.training.Verbosity;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.resource.ResourceInformation;
import scala.Tuple2;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction1;

/**
 * One barrier task of data-parallel training (a masked LM or a text classifier, behind {@link Replica}): takes its shard (the lines whose number modulo the worker
 * count is its rank), finds the other workers with {@code allGather} (ring addresses, shard sizes, the
 * checkpoint each one sees), agrees on the steps per epoch, joins the ring, loads or creates the model
 * (from the newest checkpoint when there is one: after a restart every worker resumes there), and runs
 * {@code fit} with the gradients summed over the ring at every step. Worker 0 prints progress and writes the
 * checkpoints and the final preset.
 */
final class TrainingWorker extends AbstractFunction1<Iterator<Tuple2<Long, String>>, Iterator<WorkerReport>>
    implements Serializable {
  private static final long serialVersionUID = 1L;

  private final DataParallelOptions o;
  private final long lines;
  private final Classes classes;

  /**
   * @param lines the examples in the whole data
   * @param classes a classifier's classes (found by the driver in the whole data), or {@code null}
   */
  TrainingWorker(DataParallelOptions options, long lines, Classes classes) {
    this.o = options;
    this.lines = lines;
    this.classes = classes;
  }

  @Override
  public Iterator<WorkerReport> apply(Iterator<Tuple2<Long, String>> shard) {
    QuietLogs.apply();
    BarrierTaskContext ctx = BarrierTaskContext.get();
    int rank = ctx.partitionId();
    int n = ctx.getTaskInfos().length;
    if (n != o.workers()) {
      throw new IllegalStateException("the training stage has " + n + " tasks for " + o.workers() + " workers");
    }
    List<Tuple2<Long, String>> rows = new ArrayList<>();
    shard.foreach(t -> rows.add(t));
    rows.sort(Comparator.comparingLong(Tuple2::_1));
    List<String> texts = new ArrayList<>(rows.size());
    long[] lineNumbers = new long[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      lineNumbers[i] = rows.get(i)._1();
      texts.add(rows.get(i)._2());
    }

    Path output = Path.of(o.output());
    Path checkpoint = Checkpoint.find(output);
    SparkRunState saved = checkpoint == null ? null : Checkpoint.readState(checkpoint, SparkRunState.class);
    String where = "worker " + rank + " of " + n + " (stage attempt " + ctx.stageAttemptNumber() + ")";
    try (RingAllReduce ring = RingAllReduce.open(rank, n, Duration.ofMillis(o.allReduceTimeoutMillis()),
        bindAddress(ctx, rank))) {
      InetSocketAddress me = ring.address();
      String ringAddress = me == null ? "-" : me.getAddress().getHostAddress() + ":" + me.getPort();
      String[] all = ctx.allGather(ringAddress + " " + texts.size()
          + " " + (saved == null ? -1 : saved.iterations()));
      List<InetSocketAddress> addresses = new ArrayList<>();
      int smallest = Integer.MAX_VALUE;
      for (int r = 0; r < n; r++) {
        String[] f = all[r].split(" ");
        if (n > 1) {
          int colon = f[0].lastIndexOf(':');
          addresses.add(new InetSocketAddress(f[0].substring(0, colon), Integer.parseInt(f[0].substring(colon + 1))));
        }
        smallest = Math.min(smallest, Integer.parseInt(f[1]));
        long theirs = Long.parseLong(f[2]);
        long mine = saved == null ? -1 : saved.iterations();
        if (theirs != mine) {
          throw new IllegalStateException(where + " sees " + seen(mine) + " in " + output + " but worker " + r
              + " sees " + seen(theirs) + ": --output must be one folder every worker reads and writes (a shared "
              + "file system on a cluster), and only BertGen may write into it while it runs");
        }
      }
      int steps = smallest / o.batchSize();
      if (o.stepsPerEpoch() > 0) {
        steps = Math.min(steps, o.stepsPerEpoch());
      }
      if (steps == 0) {
        throw new IllegalArgumentException("the smallest shard holds " + smallest + " examples, fewer than one "
            + "batch of " + o.batchSize() + " per worker: give more data, fewer workers or a smaller --batch-size");
      }
      if (saved != null && saved.taskKind() != o.task()) {
        throw new IllegalStateException(output + " holds a " + saved.taskKind().id() + " run; give a new --output");
      }
      if (saved != null && saved.stepsPerEpoch() != steps) {
        throw new IllegalStateException(output + " holds a run of " + saved.stepsPerEpoch() + " steps per epoch, "
            + "this data, these workers and --steps-per-epoch give " + steps + "; resume it with the data and "
            + "--steps-per-epoch it started with, or give a new --output");
      }
      ring.connect(addresses);
      ComputeDevice device = device(ctx);
      PrintStream out = System.out;
      try (Replica replica = o.task() == TaskKind.CLASSIFIER
          ? Replica.classifier(o, classes, checkpoint, saved, device, texts)
          : Replica.maskedLm(o, checkpoint, saved, device, texts, lineNumbers)) {
        SparkRunState run = saved != null ? saved.withEpochs(o.epochs())
            : new SparkRunState(o.preset(), o.fromScratch(), o.data(), lines, n, o.epochs(), o.batchSize(), steps,
                replica.sequenceLength(), replica.maskSlots(), o.learningRate(), o.seed(), o.shuffle(), 0, 0, 0,
                false, null, o.task().id(), classes == null ? 0 : classes.numClasses(),
                classes == null ? List.of() : classes.names(), classes != null && classes.pairs(),
                o.freezeBackbone(), replica.dropoutRate());
        if (rank == 0) {
          out.printf(Locale.ROOT, "worker 0 of %d on %s, %s: %,d examples in its shard, %d steps per epoch%n", n,
              replica.device(), saved == null ? "new run" : String.format(Locale.ROOT, "resuming from %s at epoch %d, "
                  + "step %d (%,d updates done)", checkpoint, saved.epoch() + 1, saved.step(), saved.iterations()),
              texts.size(), steps);
        }
        RingGradientExchange exchange = new RingGradientExchange(ring, n);
        // one worker: the sum is the worker's own gradients, so nothing leaves the device
        replica.prepare(n == 1 ? GradientExchange.LOCAL : exchange, Trainer.mix(o.seed(), rank, -2));
        long startIterations = replica.iterations();
        long[] started = {System.nanoTime()};
        int[] position = {run.epoch(), run.step()};
        EpochTotals[] totals = {null};
        long[] savedAt = {replica.iterations()};
        double[] last = {Double.NaN, Double.NaN};
        int perEpoch = steps;
        SparkRunState runState = run;
        FitOptions fit = FitOptions.builder().batchSize(o.batchSize()).epochs(run.epochs()).stepsPerEpoch(steps)
            .shuffle(run.shuffle()).seed(Trainer.mix(run.seed(), rank, -1)).initialEpoch(run.epoch(), run.step())
            .verbosity(rank == 0 ? Verbosity.AUTO : Verbosity.SILENT).output(out)
            .listener(new TrainingListener() {
              @Override
              public void onBatchEnd(int epoch, int step, Map<String, Double> logs, EpochTotals sums) {
                totals[0] = sums;
                position[0] = step + 1 == perEpoch ? epoch + 1 : epoch;
                position[1] = step + 1 == perEpoch ? 0 : step + 1;
                long done = replica.iterations();
                if (rank == 0 && done % o.checkpointEvery() == 0 && position[0] < runState.epochs()) {
                  save(replica, runState.at(position[0], position[1], done, false, sums), output);
                  savedAt[0] = done;
                  out.printf(Locale.ROOT, "update %,d of %,d: checkpoint written (epoch %d, step %d); worker 0's loss "
                      + "this epoch %.4f, %,.0f tokens/s per worker%n", done, (long) runState.epochs() * perEpoch,
                      position[0] + 1, position[1], logs.get("loss"),
                      (done - startIterations) * (double) o.batchSize() * runState.sequenceLength()
                          / ((System.nanoTime() - started[0]) / 1e9));
                }
                if (done == o.failAtUpdate() && rank == n - 1 && ctx.stageAttemptNumber() == 0) {
                  throw new InjectedFailure(where + ": failing at update " + done + " as --fail-at-update asks");
                }
              }

              @Override
              public void onEpochEnd(int epoch, Map<String, Double> logs) {
                EpochTotals t = totals[0] == null ? EpochTotals.NONE : totals[0];
                float[] sums = {t.examples(), (float) t.weightedLoss(), (float) t.lossSum(), (float) t.correctSum(),
                    (float) t.weightSum()};
                ring.sum(sums);
                EpochTotals global = new EpochTotals(Math.round(sums[0]), sums[1], sums[2], sums[3], sums[4]);
                Map<String, Double> g = global.logs("");
                last[0] = g.get("loss");
                last[1] = g.get("sparse_categorical_accuracy");
                if (rank == 0) {
                  out.printf(Locale.ROOT, "epoch %d/%d, all %d workers: loss %.4f%s, accuracy %.4f%n", epoch + 1,
                      runState.epochs(), n, g.get("loss"), o.task() == TaskKind.MASKED_LM
                          ? String.format(Locale.ROOT, ", masked_token_loss %.4f", g.get("masked_token_loss")) : "",
                      g.get("sparse_categorical_accuracy"));
                }
              }
            }).build();
        long t0 = System.nanoTime();
        History history = replica.fit(fit);
        double seconds = (System.nanoTime() - t0) / 1e9;
        boolean finished = history.stopReason() == History.StopReason.COMPLETED;
        if (rank == 0) {
          if (replica.iterations() != savedAt[0] || finished) {
            save(replica, runState.at(position[0], position[1], replica.iterations(), finished, totals[0]), output);
          }
          if (finished) {
            OutputFolder.check("--output", output, OutputFolder.Kind.SPARK_TRAIN).savePreset(replica::saveToPreset);
          }
        }
        long updates = replica.iterations() - startIterations;
        WorkerReport report = new WorkerReport(rank, ctx.stageAttemptNumber(), replica.device(), ringAddress,
            saved == null ? 0 : saved.iterations(), updates, replica.iterations(), texts.size(),
            updates * o.batchSize() * run.sequenceLength(), seconds, exchange.seconds(), exchange.floatsPerUpdate(),
            last[0], last[1]);
        return CollectionConverters.asScala(List.of(report).iterator());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(where + ": cannot open a port for the all-reduce (" + e.getMessage() + ")", e);
    }
  }

  private static String seen(long iterations) {
    return iterations < 0 ? "no checkpoint" : "a checkpoint at update " + iterations;
  }

  private static void save(Replica replica, SparkRunState state, Path output) {
    Checkpoint.save(replica::saveToPreset, replica::optimizerState, state, output);
  }

  /**
   * The task's device: the OpenCL GPU of the index Spark assigned (resource {@code gpu}), else what
   * {@code --device} asks for.
   */
  private ComputeDevice device(BarrierTaskContext ctx) {
    ResourceInformation gpu = ctx.resourcesJMap().get("gpu");
    if (gpu != null && gpu.addresses().length > 0) {
      List<ComputeDevice> gpus = Devices.openCl().stream().filter(d -> d.kind() == DeviceKind.GPU).toList();
      String address = gpu.addresses()[0];
      int index;
      try {
        index = Integer.parseInt(address.trim());
      } catch (NumberFormatException e) {
        throw new IllegalStateException("Spark assigned GPU \"" + address + "\"; BertGen needs the GPU's index "
            + "among the OpenCL GPUs (a discovery script that prints indices 0, 1, ...)");
      }
      if (index < 0 || index >= gpus.size()) {
        throw new IllegalStateException("Spark assigned GPU " + index + " but OpenCL sees " + gpus.size()
            + " GPU" + (gpus.size() == 1 ? "" : "s") + " here (" + gpus + "); check the GPU discovery script");
      }
      return Devices.withRequestedKernels(gpus.get(index));
    }
    return o.device() == null ? Devices.fromEnvironment() : Devices.select(o.device());
  }

  /** The address this worker's ring port binds to: the executor's host as Spark knows it. */
  private static InetAddress bindAddress(BarrierTaskContext ctx, int rank) throws IOException {
    String address = ctx.getTaskInfos()[rank].address();
    int colon = address.lastIndexOf(':');
    String host = colon > 0 ? address.substring(0, colon) : address;
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return InetAddress.getByName(host);
  }

  /** The failure {@code --fail-at-update} asks for. */
  static final class InjectedFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InjectedFailure(String message) {
      super(message);
    }
  }
}
