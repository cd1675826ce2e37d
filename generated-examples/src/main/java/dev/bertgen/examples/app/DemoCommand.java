package dev.bertgen.examples.app;

import dev.bertgen.compute.ComputeDevice;
import dev.bertgen.compute.DeviceKind;
import dev.bertgen.compute.Devices;
import dev.bertgen.examples.presets.TinyBertConfig;
import dev.bertgen.examples.app.BertGenApp.UserException;
import dev.bertgen.examples.presets.TinyBertMaskedLM;
import dev.bertgen.models.BertTokenizer;
import dev.bertgen.models.MaskPrediction;
import dev.bertgen.training.CompileOptions;
import dev.bertgen.training.EvaluateOptions;
import dev.bertgen.training.FitOptions;
import dev.bertgen.training.History;
import dev.bertgen.training.LearningRateSchedule;
import dev.bertgen.training.Optimizers;
import dev.bertgen.training.TrainingListener;
import dev.bertgen.training.Verbosity;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * The README's main job: pre-trains the generated {@code TinyBertMaskedLM} from scratch on the embedded
 * WordNet corpus for a bounded time, with held-out loss before, during and after, then writes a loss
 * curve and a preset and fills masks with what it learned.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Pre-trains a bert_tiny-shaped masked LM (the classes generated for "
        + "@BertPreset(\"bert_tiny_en_uncased\")) from scratch on the embedded WordNet glosses, shows the loss "
        + "falling, writes a loss-curve PNG and a preset, then fills masks. No network."})
final class DemoCommand implements Callable<Integer> {

  /** Sentences shaped like the corpus' glosses, each with one masked word. */
  static final List<String> SENTENCES = List.of(
      "a [MASK] of the genus canis",
      "a small [MASK] that lives in trees",
      "the [MASK] of a plant",
      "a person who [MASK] in a school",
      "a large body of [MASK] surrounded by land");

  /** Steps of the learning rate's linear warm-up. */
  static final int WARMUP_STEPS = 50;
  /** Fraction of the budget after which the learning rate decays. */
  static final double DECAY_FROM = 0.8;
  /** The decayed rate never goes below this fraction of the peak. */
  static final double MIN_RATE_FRACTION = 0.02;

  @ParentCommand
  BertGenApp app;

  @Mixin
  DeviceOption device = new DeviceOption();

  @Option(names = "--minutes", defaultValue = "3", description = "training time (default: ${DEFAULT-VALUE})")
  double minutes;

  @Option(names = "--max-steps", defaultValue = "0",
      description = "stop after this many optimizer steps as well (0: only the time limit)")
  int maxSteps;

  @Option(names = "--output", defaultValue = "bertgen-demo",
      description = "folder for the preset and loss-curve.png: a new or empty folder, or an earlier output of "
          + "demo (default: ${DEFAULT-VALUE})")
  Path output;

  @Option(names = "--batch-size", defaultValue = "32", description = "default: ${DEFAULT-VALUE}")
  int batchSize;

  @Option(names = "--sequence-length", defaultValue = "16",
      description = "tokens per example, [CLS] and [SEP] included; a gloss is about 11 tokens, longer ones are "
          + "cut, and short sequences train fastest (default: ${DEFAULT-VALUE})")
  int sequenceLength;

  @Option(names = "--learning-rate", defaultValue = "1e-3", description = "Adam's (default: ${DEFAULT-VALUE})")
  double learningRate;

  @Option(names = "--decay", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "warm the learning rate up over the first " + WARMUP_STEPS + " steps and decay it linearly "
          + "towards 0 over the last 20 %% of the time (default: ${DEFAULT-VALUE}); --no-decay keeps it constant")
  boolean decay;

  @Option(names = "--dropout", defaultValue = "0",
      description = "dropout rate while training (bert_tiny's own is 0.1; a few minutes from scratch are far from "
          + "overfitting, and learn faster without it) (default: ${DEFAULT-VALUE})")
  double dropout;

  @Option(names = "--pack", negatable = true, defaultValue = "false", fallbackValue = "true",
      description = "join consecutive glosses with \" ; \" into examples that fill the sequence, instead of one "
          + "gloss per example: more real tokens per step with a longer --sequence-length (default: "
          + "${DEFAULT-VALUE})")
  boolean pack;

  @Option(names = "--held-out", defaultValue = "512",
      description = "corpus lines kept out of training to measure the loss on (default: ${DEFAULT-VALUE})")
  int heldOut;

  @Option(names = "--eval-every", defaultValue = "100",
      description = "measure the held-out loss every this many steps (default: ${DEFAULT-VALUE})")
  int evalEvery;

  @Option(names = "--seed", defaultValue = "42", description = "initialization, shuffling and masking seed")
  long seed;

  @Option(names = "--top-k", defaultValue = "5", description = "candidates per [MASK] (default: ${DEFAULT-VALUE})")
  int topK;

  @Override
  public Integer call() {
    PrintStream out = app.out;
    Arguments.positive("--minutes", minutes);
    Arguments.atLeast("--max-steps", maxSteps, 0);
    Arguments.atLeast("--batch-size", batchSize, 1);
    Arguments.atLeast("--eval-every", evalEvery, 1);
    Arguments.atLeast("--top-k", topK, 1);
    Arguments.positive("--learning-rate", learningRate);
    if (!(dropout >= 0 && dropout < 1)) {
      throw new UserException("--dropout must be in [0, 1), got " + dropout);
    }
    OutputFolder folder = OutputFolder.check("--output", output, OutputFolder.Kind.DEMO);

    ComputeDevice dev = device.select();
    folder.create();
    List<String> corpus = EmbeddedCorpus.lines();
    EmbeddedCorpus.Split split = EmbeddedCorpus.split(corpus, heldOut, seed);
    TinyBertMaskedLM mlm = TinyBertMaskedLM.create(seed);
    mlm.backbone().setDevice(dev);
    mlm.setPreprocessor(Models.preprocessor(mlm, sequenceLength, null));
    mlm.setDropoutRate(dropout);
    List<String> examples = split.train();
    if (pack) {
      BertTokenizer tokenizer = mlm.preprocessor().tokenizer();
      examples = EmbeddedCorpus.pack(examples, line -> tokenizer.tokenize(line).length, sequenceLength - 2);
    }
    // warm-up, stable, decay on the clock: linear warm-up over the first steps, the full rate until
    // DECAY_FROM of the time (or step) budget, then linear decay towards 0: the high rate moves the
    // model off the unigram plateau sooner, the short decay at the end lowers the loss further
    long budgetNanos = Math.max(1, Math.round(minutes * 60e9));
    long[] fitStart = {0};
    LearningRateSchedule schedule = step -> {
      double warm = Math.min(1.0, step / (double) WARMUP_STEPS);
      double used = fitStart[0] == 0 ? 0 : (System.nanoTime() - fitStart[0]) / (double) budgetNanos;
      if (maxSteps > 0) {
        used = Math.max(used, step / (double) maxSteps);
      }
      double cool = used <= DECAY_FROM ? 1 : (1 - used) / (1 - DECAY_FROM);
      return learningRate * warm * Math.max(MIN_RATE_FRACTION, cool);
    };
    mlm.compile(new CompileOptions(Optimizers.adam(decay ? schedule : LearningRateSchedule.constant(learningRate))));
    int vocabulary = mlm.backbone().config().vocabularySize();

    out.printf(Locale.ROOT, "BertGen demo: pre-training %s (%s; %,d parameters) from scratch%n",
        TinyBertConfig.PRESET_NAME, "generated TinyBertMaskedLM", mlm.parameterCount());
    out.printf(Locale.ROOT, "corpus: %,d lines of WordNet 3.0 glosses, definitions and examples (%,d for training%s, "
        + "%,d held out)%n", corpus.size(), split.train().size(),
        pack ? String.format(Locale.ROOT, ", packed into %,d examples", examples.size()) : "", split.heldOut().size());
    out.printf(Locale.ROOT, "device: %s; batch %d x %d tokens, %d mask slots, Adam %.0e%s, dropout %s, up to %s%s%n",
        dev, batchSize, sequenceLength, mlm.preprocessor().config().maskSelectionLength(), learningRate,
        decay ? " (warm-up; decay over the last 20 %)" : "",
        dropout == 0 ? "off" : String.valueOf(dropout), minutesText(minutes),
        maxSteps > 0 ? " or " + maxSteps + " steps" : "");
    if (dev.kind() == DeviceKind.JAVA && Devices.openCl().isEmpty()) {
      out.println("note: " + Devices.NO_OPENCL);
    }

    LossCurve curve = new LossCurve("bert_tiny from scratch on WordNet glosses (BertGen, " + dev.kind() + ")");
    curve.reference(Math.log(vocabulary), String.format(Locale.ROOT, "ln(%,d) = %.2f", vocabulary,
        Math.log(vocabulary)));
    EvaluateOptions eval = EvaluateOptions.defaults().withBatchSize(64).withSeed(seed).withVerbosity(Verbosity.SILENT);
    double before = mlm.evaluate(split.heldOut(), eval).get("masked_token_loss");
    curve.addHeldOut(0, before);
    out.printf(Locale.ROOT, "held-out masked-LM loss before training: %.3f nats per masked token "
        + "(a uniform guess: ln %,d = %.3f)%n", before, vocabulary, Math.log(vocabulary));

    double[] firstBatch = {Double.NaN};
    boolean terminal = System.console() != null;
    long start = System.nanoTime();
    fitStart[0] = start;
    FitOptions.Builder fit = FitOptions.builder().batchSize(batchSize).seed(seed)
        .epochs(maxSteps > 0 ? Integer.MAX_VALUE / 2 : 1000)
        .timeLimit(Duration.ofMillis(Math.max(1, Math.round(minutes * 60_000))))
        .verbosity(terminal ? Verbosity.PROGRESS_BAR : Verbosity.SILENT).output(out)
        .listener(new TrainingListener() {
          @Override
          public void onTrainBatch(int epoch, int step, Map<String, Double> batchLogs) {
            double loss = batchLogs.get("masked_token_loss");
            if (Double.isNaN(firstBatch[0])) {
              firstBatch[0] = loss;
            }
            curve.addTrain(mlm.iterations(), loss);
          }

          @Override
          public void onBatchEnd(int epoch, int step, Map<String, Double> logs) {
            long done = mlm.iterations();
            if (done % evalEvery == 0) {
              double heldOutLoss = mlm.evaluate(split.heldOut(), eval).get("masked_token_loss");
              curve.addHeldOut(done, heldOutLoss);
              if (!terminal) { // a log, not a console: a line instead of the progress bar
                List<LossCurve.Point> recent = LossCurve.movingAverage(curve.train(), 15);
                out.printf(Locale.ROOT, "step %d, %.0f s: masked-LM loss %.3f (last 15 batches), held-out %.3f%n",
                    done, (System.nanoTime() - start) / 1e9, recent.get(recent.size() - 1).loss(), heldOutLoss);
              }
            }
            if (maxSteps > 0 && done >= maxSteps) {
              mlm.stopTraining();
            }
          }
        });
    // Ctrl-C stops training after the current batch; the preset and the curve are still written.
    StopOnSignal signal = StopOnSignal.install(mlm::stopTraining);
    try {
      History history = mlm.fit(examples, fit.build());
      double after = mlm.evaluate(split.heldOut(), eval).get("masked_token_loss");
      curve.addHeldOut(mlm.iterations(), after);
      List<LossCurve.Point> smoothed = LossCurve.movingAverage(curve.train(), 15);
      double lastBatches = smoothed.isEmpty() ? Double.NaN : smoothed.get(smoothed.size() - 1).loss();
      out.printf(Locale.ROOT, "trained %,d steps (%,d tokens) in %.1f s, held-out evaluations included: %,.0f tokens/s "
          + "(%s)%n", history.steps(),
          history.tokens(), history.elapsed().toMillis() / 1000.0, history.tokensPerSecond(),
          history.stopReason().toString().toLowerCase(Locale.ROOT).replace('_', ' '));
      out.printf(Locale.ROOT, "masked-LM loss, training batches: first %.3f, last 15 (mean) %.3f: %.2f nats lower%n",
          firstBatch[0], lastBatches, firstBatch[0] - lastBatches);
      out.printf(Locale.ROOT, "masked-LM loss, held-out text: %.3f before, %.3f after: %.2f nats lower%n", before,
          after, before - after);

      Path preset = folder.savePreset(mlm);
      Path png = output.resolve(OutputFolder.LOSS_CURVE);
      curve.write(png);
      out.println("wrote " + preset + " (a keras-hub preset: bertgen fill-mask --preset " + preset + " ...)");
      out.println("wrote " + png);
    } finally {
      signal.close();
    }
    if (signal.signalled()) {
      return 130;
    }

    out.println();
    out.println("fill-mask, top " + topK + ":");
    List<List<MaskPrediction>> predictions = mlm.fillMask(SENTENCES, topK);
    for (int i = 0; i < SENTENCES.size(); i++) {
      out.println("  " + SENTENCES.get(i));
      for (MaskPrediction p : predictions.get(i)) {
        out.println("    " + FillMaskCommand.candidates(p.candidates()));
      }
    }
    return 0;
  }

  static String minutesText(double minutes) {
    return minutes == Math.rint(minutes) ? String.format(Locale.ROOT, "%.0f min", minutes)
        : String.format(Locale.ROOT, "%.0f s", minutes * 60);
  }
}
