package dev.bertgen.spark;

import dev.bertgen.examples.app.BertGenApp.UserException;
import dev.bertgen.examples.app.Checkpoint;
import dev.bertgen.examples.app.OutputFolder;
import dev.bertgen.models.BertMaskedLMPreprocessor;
import dev.bertgen.models.BertTextClassifierPreprocessor;
import dev.bertgen.presets.SavedTask;
import dev.bertgen.presets.hub.HubSettings;
import dev.bertgen.presets.loading.PresetCatalog;
import dev.bertgen.spec.BuiltinPresets;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * Data-parallel training on Spark (masked LM or text classifier), the driver's side: numbers the lines of the data, deals line
 * {@code i} to worker {@code i mod N}, and runs one barrier stage of N {@link TrainingWorker}s. Gradients
 * never pass through the driver: the workers sum them among themselves over a TCP ring.
 *
 * <p>The barrier stage is followed by a shuffle, which makes it a stage Spark restarts when one of its
 * tasks fails (up to {@code spark.stage.maxConsecutiveAttempts} times; a failed barrier result stage would
 * end the job instead). Restarted workers resume from the newest checkpoint.
 */
public final class DataParallelTraining {
  private DataParallelTraining() {}

  /** The state of the newest complete checkpoint in {@code output}, or {@code null}. */
  public static SparkRunState saved(Path output) {
    Path dir = Checkpoint.find(output);
    return dir == null ? null : Checkpoint.readState(dir, SparkRunState.class);
  }

  /**
   * Trains as {@code o} says, resuming the run in {@code o.output()} when there is one (it must have the
   * same settings), and prints what happens to {@code out}.
   *
   * @throws UserException for settings or data that cannot make this run, naming the fix
   */
  public static DataParallelResult run(JavaSparkContext sc, DataParallelOptions o, PrintStream out) {
    Path output = Path.of(o.output());
    OutputFolder folder = OutputFolder.check("--output", output, OutputFolder.Kind.SPARK_TRAIN);
    SparkRunState saved = saved(output);
    if (saved != null) {
      requireSameRun(saved, o);
      if (saved.finished() && o.epochs() <= saved.epochs()) {
        out.println("the run in " + output + " is complete (" + saved.epochs() + " epochs, " + saved.iterations()
            + " updates); its preset is in " + output.resolve(OutputFolder.PRESET) + ". Give a new --output, or "
            + "more --epochs to continue it");
        return new DataParallelResult(saved.lines(), List.of(), 0);
      }
    }
    if (saved == null) {
      requireUsablePreset(o);
    }
    folder.create();

    JavaPairRDD<Long, String> numbered = null;
    long lines;
    try { // zipWithIndex runs a job (the sizes of the partitions): a missing path fails here, with Hadoop's exception
      // kept for the count, the classifier's label pass and the dealing: the files are read twice, not four times
      numbered = sc.textFile(o.data()).map(String::strip).filter(s -> !s.isEmpty()).zipWithIndex()
          .mapToPair(t -> new Tuple2<>(t._2(), t._1())).persist(StorageLevel.MEMORY_AND_DISK());
      lines = numbered.count();
    } catch (Exception e) {
      if (numbered != null) {
        numbered.unpersist(false);
      }
      throw new UserException("--data " + o.data() + " cannot be read (" + firstLine(e) + "); give a text file, a "
          + "folder of them or a glob that Spark's textFile reads");
    }
    try {
      return train(o, out, saved, numbered, lines);
    } finally {
      numbered.unpersist(false);
    }
  }

  /** The checks that need the data, then the training stage. */
  private static DataParallelResult train(DataParallelOptions o, PrintStream out,
      SparkRunState saved, JavaPairRDD<Long, String> numbered, long lines) {
    Path output = Path.of(o.output());
    if (lines == 0) {
      throw new UserException("--data " + o.data() + " has no text lines");
    }
    if (lines / o.workers() < o.batchSize()) {
      throw new UserException("--data " + o.data() + " has " + lines + " lines: " + o.workers() + " workers get "
          + lines / o.workers() + " or " + (lines + o.workers() - 1) / o.workers() + " each, fewer than one batch of "
          + o.batchSize() + "; give more data, fewer --workers or a smaller --batch-size");
    }
    long steps = lines / o.workers() / o.batchSize(); // the smallest shard holds lines / workers (rounded down)
    if (o.stepsPerEpoch() > 0) {
      steps = Math.min(steps, o.stepsPerEpoch());
    }
    if (saved != null && saved.lines() == lines && saved.stepsPerEpoch() != steps) {
      throw new UserException(output + " holds a run of " + saved.stepsPerEpoch() + " steps per epoch; these "
          + "settings give " + steps + ". Resume it with --steps-per-epoch " + saved.stepsPerEpoch()
          + ", or give a new --output");
    }
    if (saved != null && saved.lines() != lines) {
      throw new UserException(output + " holds a run on " + saved.data() + " with " + saved.lines() + " lines; --data "
          + o.data() + " has " + lines + ". Resume it with its data, or give a new --output");
    }
    Classes classes = null;
    if (o.task() == TaskKind.CLASSIFIER) {
      Classes before = null;
      String from = null;
      if (saved != null) {
        before = new Classes(saved.numClasses(), saved.classNames(), saved.pairs(), false);
        from = "the run being resumed";
      } else if (!o.fromScratch() && o.numClasses() == null) {
        SavedTask head = classifierHead(o.preset());
        if (head != null) { // a classifier preset: its head goes on training, on its classes
          before = new Classes(head.numClasses(), head.classNames(), false, true);
          from = "the classifier " + o.preset();
        }
      }
      classes = numbered.aggregate(new LabelSummary(), (u, t) -> u.add(t._1(), t._2()), LabelSummary::merge)
          .classes(o.data(), o.numClasses(), before, from);
    }
    out.printf(Locale.ROOT, "training %s%s%s on %s (%,d %s) with %d workers, batch %d per worker (%d in all), "
            + "%d epoch%s, Adam %.0e; checkpoints every %d updates in %s%n",
        classes == null ? "" : String.format(Locale.ROOT, "a %d-class classifier%s%s on ", classes.numClasses(),
            classes.names().isEmpty() ? "" : " " + abbreviate(classes.names()),
            classes.presetHead() ? " (the preset's head)" : saved == null ? " (a fresh head)" : ""), o.preset(),
        o.fromScratch() ? " from scratch" : "", o.data(), lines, classes == null ? "lines" : classes.pairs()
            ? "labelled pairs" : "labelled texts", o.workers(), o.batchSize(),
        o.workers() * o.batchSize(), o.epochs(), o.epochs() == 1 ? "" : "s", o.learningRate(), o.checkpointEvery(),
        output.resolve(Checkpoint.DIR));

    if (saved != null) {
      out.printf(Locale.ROOT, "resuming from %s: epoch %d, step %d (%,d updates done)%n",
          Checkpoint.find(output), saved.epoch() + 1, saved.step(), saved.iterations());
    }
    JavaPairRDD<Long, String> shards = numbered.partitionBy(new ShardPartitioner(o.workers()));
    ClassTag<WorkerReport> tag = ClassTag$.MODULE$.apply(WorkerReport.class);
    RDD<WorkerReport> trained = shards.rdd().barrier().mapPartitions(new TrainingWorker(o, lines, classes), false, tag);
    long start = System.nanoTime();
    List<WorkerReport> reports = new ArrayList<>(new JavaRDD<>(trained, tag).repartition(1).collect());
    double seconds = (System.nanoTime() - start) / 1e9;
    reports.sort(Comparator.comparingInt(WorkerReport::rank));
    DataParallelResult result = new DataParallelResult(lines, reports, seconds);
    WorkerReport first = reports.get(0);
    if (first.stageAttempt() > 0) {
      out.printf(Locale.ROOT, "the training stage ran %d times: the last attempt resumed from update %,d%n",
          first.stageAttempt() + 1, first.resumedAt());
    }
    out.printf(Locale.ROOT, "done: %,d updates (%,d in this job), %,.0f tokens/s over %d worker%s, %s; loss %.4f, "
            + "accuracy %.4f; trained preset in %s%n", result.iterations(), first.updates(), result.tokensPerSecond(),
        o.workers(), o.workers() == 1 ? "" : "s", o.workers() == 1 ? "no all-reduce" : String.format(Locale.ROOT,
            "all-reduce %.1f%% of the step time (%,d floats per update)", 100 * result.allReduceShare(),
            first.allReduceFloats()), first.loss(), first.accuracy(), output.resolve(OutputFolder.PRESET));
    return result;
  }

  /**
   * Fails on the driver, before any task starts, for a preset the workers could not train (each task would
   * fail the same way, and Spark would restart the stage for nothing).
   */
  private static void requireUsablePreset(DataParallelOptions o) {
    if (o.fromScratch()) {
      if (!BuiltinPresets.names().contains(o.preset())) {
        throw new UserException("--from-scratch needs a built-in preset name, got " + o.preset() + "; one of "
            + BuiltinPresets.names());
      }
      return;
    }
    Object p;
    try {
      p = o.task() == TaskKind.CLASSIFIER ? BertTextClassifierPreprocessor.fromPreset(o.preset())
          : BertMaskedLMPreprocessor.fromPreset(o.preset());
    } catch (RuntimeException e) {
      throw new UserException("--preset " + o.preset() + " cannot be read: " + firstLine(e));
    }
    if (p == null) {
      throw new UserException("--preset " + o.preset() + " has no vocabulary (no tokenizer assets), so it cannot "
          + "read text; use a preset saved with its tokenizer");
    }
  }

  private static void requireSameRun(SparkRunState s, DataParallelOptions o) {
    List<String> differences = new ArrayList<>();
    if (s.workers() != o.workers()) {
      differences.add("--workers " + s.workers());
    }
    if (s.batchSize() != o.batchSize()) {
      differences.add("--batch-size " + s.batchSize());
    }
    if (o.sequenceLength() != null && s.sequenceLength() != o.sequenceLength()) {
      differences.add("--sequence-length " + s.sequenceLength());
    }
    if (o.maskSlots() != null && s.maskSlots() != o.maskSlots()) {
      differences.add("--mask-slots " + s.maskSlots());
    }
    if (s.learningRate() != o.learningRate()) {
      differences.add("--learning-rate " + s.learningRate());
    }
    if (s.seed() != o.seed()) {
      differences.add("--seed " + s.seed());
    }
    if (s.taskKind() != o.task()) {
      differences.add("--task " + s.taskKind().id());
    }
    if (s.freezeBackbone() != o.freezeBackbone()) {
      differences.add(s.freezeBackbone() ? "--freeze-backbone" : "the backbone trained (no --freeze-backbone)");
    }
    if (o.dropout() != null && s.dropout() != o.dropout()) {
      differences.add("--dropout " + s.dropout());
    }
    if (s.shuffle() != o.shuffle()) {
      differences.add(s.shuffle() ? "shuffling" : "--no-shuffle");
    }
    if (!differences.isEmpty()) {
      throw new UserException(o.output() + " holds a run started with " + String.join(", ", differences)
          + "; resume it with those, or give a new --output");
    }
    if (!s.finished() && o.epochs() < s.epochs()) {
      throw new UserException(o.output() + " holds a run of " + s.epochs() + " epochs; resume it with --epochs "
          + s.epochs() + " or more, or give a new --output");
    }
  }

  /** The saved task of {@code preset} when it is a text classifier, else {@code null}. */
  private static SavedTask classifierHead(String preset) {
    try {
      SavedTask t = PresetCatalog.savedTaskDetails(preset, HubSettings::fromEnvironment).orElse(null);
      return t != null && t.isTextClassifier() ? t : null;
    } catch (RuntimeException e) {
      return null; // the workers' loading reports the preset's problem with its own message
    }
  }

  private static String abbreviate(List<String> names) {
    return names.size() <= 6 ? names.toString() : names.subList(0, 6).toString().replace("]", ", ...]");
  }

  private static String firstLine(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getMessage() == null) {
      t = t.getCause();
    }
    String m = t.getMessage() == null ? t.toString() : t.getMessage();
    return m.lines().findFirst().orElse(m);
  }
}
