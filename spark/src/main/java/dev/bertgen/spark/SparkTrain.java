package dev.bertgen.spark;

import dev.bertgen.compute.DeviceException;
import dev.bertgen.examples.app.BertGenApp.UserException;
import dev.bertgen.models.BertTextClassifier;
import dev.bertgen.presets.PresetException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bertgen-spark.jar}'s entry point: data-parallel training (masked LM, or text classifier) on Spark. Run it with
 * {@code spark-submit --class dev.bertgen.spark.SparkTrain bertgen-spark.jar ...} on a cluster, or with
 * {@code --master local[N]} on one machine; without a master it runs on {@code local[WORKERS,4]}.
 */
@Command(name = "bertgen-spark", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Trains a preset (or a new model, --from-scratch) as a masked LM on text, or with --task "
        + "classifier as a text classifier on labelled lines, data-parallel on Spark: --workers barrier tasks each hold a replica and a shard of the data, and sum their gradients "
        + "over a TCP ring every step. Worker 0 writes a checkpoint every --checkpoint-every updates; a restarted "
        + "stage, or the same command run again, resumes from it. The trained preset goes to OUTPUT/preset."})
public final class SparkTrain implements Callable<Integer> {

  /** Exit code of bad arguments and bad input. */
  static final int USAGE = 2;

  private final PrintStream out;

  SparkTrain(PrintStream out) {
    this.out = out;
  }

  @Option(names = "--data", required = true, paramLabel = "PATH",
      description = "text, one example per line: a file, folder or glob Spark's textFile reads (local, hdfs://, "
          + "s3a://, ...; gzip allowed)")
  String data;

  @Option(names = "--preset", paramLabel = "P",
      description = "a preset directory, a preset name, kaggle://... or hf://... (default: bert_tiny_en_uncased)")
  String preset;

  @Option(names = "--from-scratch",
      description = "start from keras-hub's random initialization of the preset's architecture (a built-in name)")
  boolean fromScratch;

  @Option(names = "--output", required = true, paramLabel = "DIR",
      description = "checkpoints and the trained preset: a folder every worker reaches (a shared file system on a "
          + "cluster); new, empty or an earlier output of bertgen-spark")
  Path output;

  @Option(names = "--workers", description = "barrier tasks, one model replica each (default: 2)")
  Integer workers;

  @Option(names = "--batch-size", description = "examples per worker and step (default: 32)")
  Integer batchSize;

  @Option(names = "--epochs", description = "default: 1")
  Integer epochs;

  @Option(names = "--steps-per-epoch", description = "at most this many steps per epoch (default: as many as the "
      + "smallest shard allows)")
  Integer stepsPerEpoch;

  @Option(names = "--sequence-length", description = "default: 128 (a classifier: 64), or the preset's maximum if "
      + "lower")
  Integer sequenceLength;

  @Option(names = "--mask-slots", description = "mask slots per sequence (default: 15%% of the sequence length)")
  Integer maskSlots;

  @Option(names = "--learning-rate", description = "Adam's; default: keras-hub's 5e-5, or 1e-3 with --from-scratch")
  Double learningRate;

  @Option(names = "--seed", description = "shuffling, masking, dropout and initialization seed (default: 42)")
  Long seed;

  @Option(names = "--no-shuffle", description = "keep each shard in line order (runs then match one worker with "
      + "WORKERS times the batch)")
  boolean noShuffle;

  @Option(names = "--checkpoint-every", defaultValue = "200", paramLabel = "UPDATES",
      description = "updates between checkpoints (default: ${DEFAULT-VALUE})")
  int checkpointEvery;

  @Option(names = "--task", paramLabel = "masked-lm|classifier", defaultValue = "masked-lm",
      description = "masked-lm (default): text, one example per line; classifier: label<TAB>text or "
          + "label<TAB>first<TAB>second lines (labels: class ids 0..N-1 or names), a fresh head over the preset")
  String task;

  @Option(names = "--num-classes", paramLabel = "N", description = "a classifier's classes (default: from the labels)")
  Integer numClasses;

  @Option(names = "--freeze-backbone", description = "a classifier: train the head alone")
  boolean freezeBackbone;

  @Option(names = "--dropout", paramLabel = "RATE", description = "the dropout rate of training (default: the "
      + "preset's; a classifier's head: keras-hub's 0.1)")
  Double dropout;

  @Option(names = "--device", paramLabel = "auto|gpu|cpu|java",
      description = "each worker's device: OpenCL GPU, OpenCL CPU (PoCL) or Java threads (default: auto; a task "
          + "given a Spark GPU resource uses the OpenCL GPU of that index)")
  String device;

  @Option(names = "--all-reduce-timeout", defaultValue = "600", paramLabel = "SECONDS",
      description = "the longest a worker waits for another in the gradient all-reduce; longer than a checkpoint "
          + "takes to write (default: ${DEFAULT-VALUE})")
  double allReduceTimeout;

  @Option(names = "--fail-at-update", paramLabel = "U",
      description = "to test recovery: the last worker fails at update U on the stage's first attempt")
  Long failAtUpdate;

  public static void main(String[] args) {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
    System.exit(run(args, out, err));
  }

  /** Runs a command line; returns the exit code: 0 done, 2 bad arguments or input, 1 anything else. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    CommandLine cl = new CommandLine(new SparkTrain(out));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    cl.setParameterExceptionHandler((e, a) -> {
      err.println("bertgen-spark: " + e.getMessage() + " (see: bertgen-spark --help)");
      return USAGE;
    });
    cl.setExecutionExceptionHandler((e, c, parsed) -> {
      boolean userError = e instanceof IllegalArgumentException || e instanceof PresetException
          || e instanceof DeviceException || e instanceof UncheckedIOException || e instanceof UserException;
      if (userError) {
        err.println("bertgen-spark: " + oneLine(e.getMessage() == null ? e.toString() : e.getMessage()));
        return USAGE;
      }
      if (e instanceof SparkException) {
        err.println("bertgen-spark: the training job failed: " + oneLine(String.valueOf(e.getMessage()))
            + " (the checkpoint in the output folder is kept: run the same command again to resume)");
      } else {
        err.println("bertgen-spark: " + e.getClass().getSimpleName() + ": " + oneLine(String.valueOf(e.getMessage())));
      }
      if (System.getenv("BERTGEN_STACKTRACE") != null) {
        e.printStackTrace(err);
      }
      return 1;
    });
    return cl.execute(args);
  }

  @Override
  public Integer call() {
    DataParallelOptions o = options();
    QuietLogs.apply();
    SparkConf conf = new SparkConf().setAppName("bertgen-spark train");
    if (!conf.contains("spark.master")) {
      conf.setMaster("local[" + o.workers() + ",4]");
    }
    if (conf.get("spark.master").startsWith("local")) {
      // one machine: everything on the loopback, no web UI
      conf.setIfMissing("spark.driver.host", "127.0.0.1").setIfMissing("spark.driver.bindAddress", "127.0.0.1")
          .setIfMissing("spark.ui.enabled", "false");
    }
    conf.setIfMissing("spark.ui.showConsoleProgress", "false");
    try (JavaSparkContext sc = new JavaSparkContext(conf)) {
      out.println("Spark " + sc.version() + ", master " + sc.master());
      DataParallelTraining.run(sc, o, out);
    }
    return 0;
  }

  /** The options, with the saved run's settings for what this command line leaves out when it resumes. */
  DataParallelOptions options() {
    Path out = output.toAbsolutePath().normalize();
    SparkRunState saved = java.nio.file.Files.isDirectory(out) ? DataParallelTraining.saved(out) : null;
    String p = preset != null ? preset : saved != null ? saved.preset() : "bert_tiny_en_uncased";
    boolean scratch = fromScratch || (preset == null && saved != null && saved.fromScratch());
    int w = workers != null ? workers : saved != null ? saved.workers() : 2;
    int b = batchSize != null ? batchSize : saved != null ? saved.batchSize() : 32;
    int e = epochs != null ? epochs : saved != null ? saved.epochs() : 1;
    TaskKind kind;
    try {
      kind = TaskKind.of(task);
    } catch (IllegalArgumentException bad) {
      throw new UserException("--task " + task + " is not a task; use masked-lm or classifier");
    }
    double lr = learningRate != null ? learningRate : saved != null ? saved.learningRate()
        : kind == TaskKind.CLASSIFIER ? BertTextClassifier.DEFAULT_LEARNING_RATE : scratch ? 1e-3 : 5e-5;
    boolean freeze = freezeBackbone || (saved != null && saved.freezeBackbone());
    long s = seed != null ? seed : saved != null ? saved.seed() : 42;
    boolean shuffle = saved != null && !noShuffle ? saved.shuffle() : !noShuffle;
    Integer length = sequenceLength != null ? sequenceLength : saved != null ? saved.sequenceLength() : null;
    Integer slots = maskSlots != null ? maskSlots : saved != null ? saved.maskSlots() : null;
    if (allReduceTimeout <= 0 || Double.isNaN(allReduceTimeout)) {
      throw new UserException("--all-reduce-timeout must be a positive number of seconds, got " + allReduceTimeout);
    }
    try {
      return new DataParallelOptions(data, p, scratch, out.toString(), w, b, e,
          stepsPerEpoch != null ? stepsPerEpoch : saved != null ? saved.stepsPerEpoch() : 0, length, slots, lr, s, shuffle, checkpointEvery, device,
          Math.round(allReduceTimeout * 1000), failAtUpdate == null ? -1 : failAtUpdate, kind, numClasses, freeze,
          dropout != null ? dropout : saved != null ? Double.valueOf(saved.dropout()) : null);
    } catch (IllegalArgumentException bad) {
      // the record names its components (batchSize); the user typed options (--batch-size)
      String m = bad.getMessage();
      int space = m.indexOf(' ');
      String component = space < 0 ? m : m.substring(0, space);
      throw new UserException("--" + component.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT)
          + (space < 0 ? "" : m.substring(space)));
    }
  }

  private static String oneLine(String message) {
    return message.replaceAll("\\s*\\R\\s*", " ").strip();
  }
}
