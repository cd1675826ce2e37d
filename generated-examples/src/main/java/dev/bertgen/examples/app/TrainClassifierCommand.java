package dev.bertgen.examples.app;

import dev.bertgen.compute.ComputeDevice;
import dev.bertgen.examples.app.BertGenApp.UserException;
import dev.bertgen.models.BertTextClassifier;
import dev.bertgen.presets.SavedTask;
import dev.bertgen.presets.hub.HubSettings;
import dev.bertgen.presets.loading.PresetCatalog;
import dev.bertgen.preprocessing.PackedInputs;
import dev.bertgen.preprocessing.TextClassifierBatch;
import dev.bertgen.training.CompileOptions;
import dev.bertgen.training.EpochTotals;
import dev.bertgen.training.FitOptions;
import dev.bertgen.training.History;
import dev.bertgen.training.NonFiniteLossException;
import dev.bertgen.training.Optimizers;
import dev.bertgen.training.TextLines;
import dev.bertgen.training.TrainingListener;
import dev.bertgen.training.Verbosity;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * Fine-tunes a text classifier (keras-hub's {@code BertTextClassifier}) on labelled text, with the
 * checkpoints of {@code train}: run the same command again after Ctrl-C and it resumes where it
 * stopped. Ends with the held-out accuracy, the majority-class baseline and a confusion matrix.
 */
@Command(name = "train-classifier", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Fine-tunes a text classifier on labelled examples (label<TAB>text, or label<TAB>first<TAB>second "
        + "for sentence pairs; labels are class ids 0..N-1 or names), by default the embedded WordNet set (noun "
        + "definitions labelled by their lexicographer file). Any BERT preset gets a fresh head (a classifier preset "
        + "keeps its own unless --num-classes is given). Writes a checkpoint every --checkpoint-every steps, at each "
        + "epoch's end and on Ctrl-C; run the same command again to resume. Prints the held-out accuracy, the "
        + "majority-class baseline and a confusion matrix; the classifier goes to OUTPUT/preset."})
final class TrainClassifierCommand implements Callable<Integer> {

  @ParentCommand
  BertGenApp app;

  @Mixin
  DeviceOption device = new DeviceOption();

  @Option(names = "--preset", defaultValue = "bert_tiny_en_uncased", paramLabel = "P",
      description = "a preset directory (a masked LM from demo or train, a classifier), a preset name, kaggle://... "
          + "or hf://... (default: ${DEFAULT-VALUE})")
  String preset;

  @Option(names = "--from-scratch",
      description = "start from keras-hub's random initialization of the preset's architecture (a built-in name)")
  boolean fromScratch;

  @Option(names = "--data", paramLabel = "FILE",
      description = "labelled examples, UTF-8, one per line (gzip allowed); default: the embedded WordNet set")
  Path data;

  @Option(names = "--held-out", paramLabel = "FILE",
      description = "labelled held-out examples (default: the embedded set's own, or --validation-split of --data)")
  Path heldOut;

  @Option(names = "--validation-split", paramLabel = "F",
      description = "fraction of --data held out when no --held-out is given (default: 0.1)")
  Double validationSplit;

  @Option(names = "--num-classes", paramLabel = "N",
      description = "number of classes (default: from the labels; a classifier preset's own keeps its head)")
  Integer numClasses;

  @Option(names = "--epochs", paramLabel = "E", description = "default: 1")
  Integer epochs;

  @Option(names = "--max-steps", paramLabel = "STEPS", description = "stop after this many optimizer steps (the run then counts as done)")
  Integer maxSteps;

  @Option(names = "--batch-size", paramLabel = "N", description = "default: 32")
  Integer batchSize;

  @Option(names = "--sequence-length", paramLabel = "TOKENS", description = "default: 64, or the preset's maximum if lower")
  Integer sequenceLength;

  @Option(names = "--learning-rate", paramLabel = "LR", description = "Adam's; default: keras-hub's 5e-5")
  Double learningRate;

  @Option(names = "--freeze-backbone", description = "train only the classifier's logits layer")
  boolean freezeBackbone;

  @Option(names = "--dropout", paramLabel = "RATE",
      description = "the backbone's dropout rate while training (default: the preset's; the classifier's own "
          + "dropout layer keeps its rate)")
  Double dropout;

  @Option(names = "--seed", paramLabel = "SEED", description = "shuffling, split, dropout and head initialization seed (default: 42)")
  Long seed;

  @Option(names = "--output", defaultValue = "bertgen-classifier", paramLabel = "DIR",
      description = "checkpoints and the trained classifier: a new or empty folder, or an earlier output of "
          + "train-classifier (default: ${DEFAULT-VALUE})")
  Path output;

  @Option(names = "--checkpoint-every", defaultValue = "200", paramLabel = "STEPS",
      description = "steps between checkpoints (default: ${DEFAULT-VALUE})")
  int checkpointEvery;

  @Option(names = "--minutes", paramLabel = "M", description = "stop (with a checkpoint) after this much training time")
  Double minutes;

  /** Where a classifier run stands and the settings it was started with. */
  record State(String preset, boolean fromScratch, String data, int examples, int numClasses, int epochs,
      int maxSteps, int batchSize, int sequenceLength, double learningRate, boolean freezeBackbone, double dropout,
      long seed, int epoch, int step, long iterations, boolean finished, EpochTotals totals) {}

  @Override
  public Integer call() {
    PrintStream out = app.out;
    checkArguments();
    OutputFolder folder = OutputFolder.check("--output", output, OutputFolder.Kind.TRAIN_CLASSIFIER);
    long s = seed == null ? 42 : seed;
    Path checkpoint = Checkpoint.find(output);
    State saved = checkpoint == null ? null : Checkpoint.readState(checkpoint, State.class);

    if (saved != null && saved.finished()) {
      out.println("the run in " + output + " is complete; its classifier is in " + output.resolve("preset")
          + ". Give a new --output to train another");
      return 0;
    }
    // the classes: a checkpoint's or a classifier preset's head (kept as it is) names them; otherwise the labels
    boolean keepHead = saved == null && !fromScratch && numClasses == null && isClassifier(preset);
    ComputeDevice dev = device.select();
    BertTextClassifier classifier = null;
    Split split;
    if (saved != null || keepHead) {
      classifier = ClassifierModels.load(saved != null ? checkpoint.toString() : preset, null, s, dev);
      split = readData(classifier.numClasses(), classifier.classifierConfig().classNames(), s,
          saved != null ? "the checkpoint " + checkpoint : "the classifier " + preset);
    } else {
      split = readData(numClasses, List.of(), s, null);
    }
    LabelledData train = split.train();
    LabelledData test = split.heldOut();
    folder.create();

    State start;
    if (saved != null) {
      start = resumable(saved, train);
      classifier.setPreprocessor(classifier.preprocessor().withSequenceLength(start.sequenceLength()));
      classifier.compile(new CompileOptions(Optimizers.adam(start.learningRate())));
      classifier.setOptimizerState(Checkpoint.optimizer(checkpoint));
      classifier.backbone().setTrainable(!start.freezeBackbone());
      classifier.setDropoutRate(start.dropout());
      out.printf(Locale.ROOT, "resuming from %s: epoch %d, step %d (%,d updates done)%n", checkpoint,
          start.epoch() + 1, start.step(), classifier.iterations());
    } else {
      if (!keepHead) {
        classifier = fromScratch ? ClassifierModels.fromScratch(preset, train.numClasses(), s, dev)
            : ClassifierModels.load(preset, train.numClasses(), s, dev);
      }
      if (!train.classNames().isEmpty()) {
        classifier.setClassNames(train.classNames());
      }
      if (classifier.preprocessor() == null) {
        throw new UserException(preset + " has no vocabulary (no tokenizer files), so it cannot read text; use a "
            + "preset saved with its tokenizer");
      }
      int max = classifier.backbone().config().maxSequenceLength();
      int length = sequenceLength != null ? sequenceLength : Math.min(64, max);
      if (length < 4 || length > max) {
        throw new UserException("--sequence-length must be between 4 and the model's max_sequence_length " + max
            + ", got " + length);
      }
      classifier.setPreprocessor(classifier.preprocessor().withSequenceLength(length));
      double lr = learningRate != null ? learningRate : BertTextClassifier.DEFAULT_LEARNING_RATE;
      classifier.compile(new CompileOptions(Optimizers.adam(lr)));
      classifier.backbone().setTrainable(!freezeBackbone);
      if (dropout != null) {
        classifier.setDropoutRate(dropout);
      }
      start = new State(preset, fromScratch, data == null ? "embedded" : data.toAbsolutePath().toString(),
          train.size(), train.numClasses(), epochs == null ? 1 : epochs, maxSteps == null ? 0 : maxSteps,
          batchSize == null ? 32 : batchSize, length, lr, freezeBackbone, classifier.dropoutRate(), s, 0, 0, 0, false,
          null);
      out.printf(Locale.ROOT, "training a %d-class classifier on %s%s (%s) on %s: %,d examples, %,d held out, %d "
          + "epoch%s%s, batch %d x %d tokens, Adam %.0e%s%n", train.numClasses(), preset,
          fromScratch ? " from scratch" : keepHead ? " (its own head)" : " (a fresh head)",
          data == null ? "the embedded WordNet set" : data.toString(), dev, train.size(), test.size(), start.epochs(),
          start.epochs() == 1 ? "" : "s", start.maxSteps() > 0 ? " or " + start.maxSteps() + " steps" : "",
          start.batchSize(), start.sequenceLength(), start.learningRate(), freezeBackbone ? ", backbone frozen" : "");
    }

    TextClassifierBatch examples = preprocess(classifier, train);
    int perEpoch = (train.size() + start.batchSize() - 1) / start.batchSize();
    State run = start;
    int[] position = {start.epoch(), start.step()};
    EpochTotals[] totals = {start.totals()};
    long[] savedAt = {classifier.iterations()};
    BertTextClassifier model = classifier;
    FitOptions.Builder fit = FitOptions.builder().batchSize(start.batchSize()).epochs(start.epochs())
        .seed(start.seed()).initialEpoch(start.epoch(), start.step(), start.totals()).verbosity(Verbosity.AUTO)
        .output(out)
        .listener(new TrainingListener() {
          @Override
          public void onBatchEnd(int epoch, int step, Map<String, Double> logs, EpochTotals sums) {
            totals[0] = sums;
            position[0] = step + 1 == perEpoch ? epoch + 1 : epoch;
            position[1] = step + 1 == perEpoch ? 0 : step + 1;
            if (run.maxSteps() > 0 && model.iterations() >= run.maxSteps()) {
              model.stopTraining();
            } else if (model.iterations() % checkpointEvery == 0) {
              save(model, at(run, position, model.iterations(), false, totals[0]));
              savedAt[0] = model.iterations();
            }
          }

          @Override
          public void onEpochEnd(int epoch, Map<String, Double> logs) {
            out.printf(Locale.ROOT, "epoch %d/%d: loss %.4f, accuracy %.4f%n", epoch + 1, run.epochs(),
                logs.get("loss"), logs.get("sparse_categorical_accuracy"));
            if (model.iterations() != savedAt[0] && position[0] < run.epochs()
                && !(run.maxSteps() > 0 && model.iterations() >= run.maxSteps())) {
              save(model, at(run, position, model.iterations(), false, totals[0]));
              savedAt[0] = model.iterations();
            }
          }
        });
    if (minutes != null) {
      fit.timeLimit(Duration.ofMillis(Math.max(1, Math.round(minutes * 60_000))));
    }
    boolean done = run.maxSteps() > 0 && classifier.iterations() >= run.maxSteps();
    StopOnSignal signal = StopOnSignal.install(classifier::stopTraining);
    try {
      History history = null;
      if (!done) {
        try {
          history = classifier.fit(examples, fit.build());
        } catch (NonFiniteLossException e) {
          throw new BertGenApp.Diverged(String.format(Locale.ROOT, "training diverged at epoch %d, batch %d "
              + "(update %,d): loss %.4g, gradient norm %.4g; nothing was saved from it. Train again with a lower "
              + "--learning-rate (it was %.3g) and a new --output", e.epoch() + 1, e.step() + 1, e.update(), e.loss(),
              e.gradientNorm(), e.learningRate()), e);
        }
      }
      boolean finished = history == null || history.stopReason() == History.StopReason.COMPLETED
          || (run.maxSteps() > 0 && classifier.iterations() >= run.maxSteps() && !signal.signalled());
      if (classifier.iterations() != savedAt[0] || finished) {
        save(classifier, at(run, position, classifier.iterations(), finished, totals[0]));
      }
      if (!finished) {
        String why = switch (history.stopReason()) {
          case TIME_LIMIT -> "at the time limit";
          case INTERRUPTED -> "interrupted";
          default -> "on request";
        };
        out.printf(Locale.ROOT, "stopped %s after %,d updates; checkpoint in %s: run the same command again to "
            + "resume%n", why, classifier.iterations(), output.resolve(Checkpoint.DIR));
        return signal.signalled() ? 130 : 0;
      }
      report(out, classifier, train, test);
      Path presetDir = folder.savePreset(classifier::saveToPreset);
      out.printf(Locale.ROOT, "done: %,d updates; the classifier is in %s (bertgen classify --preset %s \"...\")%n",
          classifier.iterations(), presetDir, presetDir);
    } finally {
      signal.close();
    }
    return signal.signalled() ? 130 : 0;
  }

  private void checkArguments() {
    if (epochs != null) {
      Arguments.atLeast("--epochs", epochs, 1);
    }
    if (maxSteps != null) {
      Arguments.atLeast("--max-steps", maxSteps, 1);
    }
    if (batchSize != null) {
      Arguments.atLeast("--batch-size", batchSize, 1);
    }
    if (numClasses != null) {
      Arguments.atLeast("--num-classes", numClasses, 1);
    }
    if (learningRate != null) {
      Arguments.positive("--learning-rate", learningRate);
    }
    if (minutes != null) {
      Arguments.positive("--minutes", minutes);
    }
    if (dropout != null && !(dropout >= 0 && dropout < 1)) {
      throw new UserException("--dropout must be in [0, 1), got " + dropout);
    }
    if (validationSplit != null && !(validationSplit > 0 && validationSplit < 1)) {
      throw new UserException("--validation-split must be between 0 and 1 (exclusive), got " + validationSplit);
    }
    if (validationSplit != null && (data == null || heldOut != null)) {
      throw new UserException("--validation-split splits --data; it needs --data and no --held-out");
    }
    if (heldOut != null && data == null) {
      throw new UserException("--held-out needs --data (the embedded set has its own held-out part)");
    }
    Arguments.atLeast("--checkpoint-every", checkpointEvery, 1);
    if (data != null) {
      Arguments.textFile("--data", data);
    }
    if (heldOut != null) {
      Arguments.textFile("--held-out", heldOut);
    }
  }

  private static boolean isClassifier(String preset) {
    try {
      Optional<SavedTask> t = PresetCatalog.savedTaskDetails(preset, HubSettings::fromEnvironment);
      return t.isPresent() && t.get().isTextClassifier();
    } catch (RuntimeException e) {
      return false; // loading reports the preset's problem with its own message
    }
  }

  record Split(LabelledData train, LabelledData heldOut) {}

  /** The training and held-out examples: the embedded set, --data with --held-out, or --data split. */
  private Split readData(Integer classes, List<String> names, long s, String classesFrom) {
    if (data == null) {
      LabelledData train = LabelledData.parse(LabelledData.resourceLines(LabelledData.TRAIN_RESOURCE), "the embedded "
          + "set", classes, names, classesFrom);
      return new Split(train, LabelledData.embeddedHeldOut(train));
    }
    LabelledData all = LabelledData.parse(TextLines.read(data), data.toString(), classes, names, classesFrom);
    if (heldOut != null) {
      LabelledData test = LabelledData.parse(TextLines.read(heldOut), heldOut.toString(), all.numClasses(),
          all.classNames(), "--data " + data);
      if (test.pairs() != all.pairs()) {
        throw new UserException("--held-out " + heldOut + " has " + (test.pairs() ? "pairs" : "single texts")
            + " but --data has " + (all.pairs() ? "pairs" : "single texts"));
      }
      return new Split(all, test);
    }
    double fraction = validationSplit == null ? 0.1 : validationSplit;
    int n = all.size();
    int held = (int) Math.round(n * fraction);
    if (held < 1 || held >= n) {
      throw new UserException("--data " + data + " has " + n + " examples: too few to hold out " + fraction
          + " of them; give more examples or --held-out FILE");
    }
    int[] order = dev.bertgen.training.Trainer.order(n, true, s);
    return new Split(select(all, order, held, n), select(all, order, 0, held));
  }

  private static LabelledData select(LabelledData d, int[] order, int from, int to) {
    List<String> first = new ArrayList<>();
    List<String> second = d.pairs() ? new ArrayList<>() : null;
    int[] labels = new int[to - from];
    for (int i = from; i < to; i++) {
      first.add(d.first().get(order[i]));
      if (second != null) {
        second.add(d.second().get(order[i]));
      }
      labels[i - from] = d.labels()[order[i]];
    }
    return new LabelledData(first, second, labels, d.classNames(), d.numClasses());
  }

  static TextClassifierBatch preprocess(BertTextClassifier c, LabelledData d) {
    return d.pairs() ? c.preprocessor().call(d.first(), d.second(), d.labels())
        : c.preprocessor().call(d.first(), d.labels());
  }

  /** Held-out accuracy, the majority-class baseline and the confusion matrix. */
  static ConfusionMatrix report(PrintStream out, BertTextClassifier c, LabelledData train, LabelledData test) {
    ConfusionMatrix m = new ConfusionMatrix(c.numClasses());
    for (int from = 0; from < test.size(); from += 64) {
      LabelledData part = test.rows(from, Math.min(test.size(), from + 64));
      PackedInputs x = preprocess(c, part).inputs();
      float[][] scores = c.predict(x);
      for (int i = 0; i < scores.length; i++) {
        int best = 0;
        for (int k = 1; k < scores[i].length; k++) {
          best = scores[i][k] > scores[i][best] ? k : best;
        }
        m.add(part.labels()[i], best);
      }
    }
    int majority = ConfusionMatrix.majorityClass(train.labels(), c.numClasses());
    List<String> names = new ArrayList<>();
    for (int k = 0; k < c.numClasses(); k++) {
      names.add(c.classifierConfig().className(k));
    }
    out.printf(Locale.ROOT, "held-out accuracy: %.4f on %,d examples (majority-class baseline, always \"%s\": %.4f)%n",
        m.accuracy(), m.total(), names.get(majority), m.baseline(majority));
    out.println("confusion matrix (rows: true class, columns: predicted):");
    m.print(out, names);
    return m;
  }

  private void save(BertTextClassifier c, State state) {
    Checkpoint.save(c::saveToPreset, c::optimizerState, state, output);
  }

  private static State at(State s, int[] position, long iterations, boolean finished, EpochTotals totals) {
    return new State(s.preset(), s.fromScratch(), s.data(), s.examples(), s.numClasses(), s.epochs(), s.maxSteps(),
        s.batchSize(), s.sequenceLength(), s.learningRate(), s.freezeBackbone(), s.dropout(), s.seed(), position[0],
        position[1],
        iterations, finished, position[1] == 0 ? null : totals);
  }

  /** The saved run, after checking that this command line asks for the same one. */
  private State resumable(State s, LabelledData train) {
    List<String> differences = new ArrayList<>();
    if (batchSize != null && batchSize != s.batchSize()) {
      differences.add("--batch-size " + s.batchSize());
    }
    if (sequenceLength != null && sequenceLength != s.sequenceLength()) {
      differences.add("--sequence-length " + s.sequenceLength());
    }
    if (learningRate != null && learningRate != s.learningRate()) {
      differences.add("--learning-rate " + s.learningRate());
    }
    if (seed != null && seed != s.seed()) {
      differences.add("--seed " + s.seed());
    }
    if (epochs != null && epochs != s.epochs()) {
      differences.add("--epochs " + s.epochs());
    }
    if (maxSteps != null && maxSteps != s.maxSteps()) {
      differences.add("--max-steps " + s.maxSteps());
    }
    if (dropout != null && dropout != s.dropout()) {
      differences.add("--dropout " + s.dropout());
    }
    if (numClasses != null && numClasses != s.numClasses()) {
      differences.add("--num-classes " + s.numClasses());
    }
    if (freezeBackbone != s.freezeBackbone()) {
      differences.add(s.freezeBackbone() ? "--freeze-backbone" : "no --freeze-backbone");
    }
    if (train.size() != s.examples()) {
      differences.add("--data with " + s.examples() + " training examples (" + s.data() + "; this one has "
          + train.size() + ")");
    }
    if (!differences.isEmpty()) {
      throw new UserException(output + " holds a run started with " + String.join(", ", differences)
          + "; resume it with those, or give a new --output");
    }
    return s;
  }

}
