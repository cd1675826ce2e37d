package dev.bertgen.examples.app;

import dev.bertgen.compute.ComputeDevice;
import dev.bertgen.compute.DeviceKind;
import dev.bertgen.compute.Devices;
import dev.bertgen.examples.app.BertGenApp.UserException;
import dev.bertgen.models.BertMaskedLM;
import dev.bertgen.training.CompileOptions;
import dev.bertgen.training.EpochTotals;
import dev.bertgen.training.FitOptions;
import dev.bertgen.training.History;
import dev.bertgen.training.NonFiniteLossException;
import dev.bertgen.training.Optimizers;
import dev.bertgen.training.TextLines;
import dev.bertgen.training.TrainingListener;
import dev.bertgen.training.Verbosity;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * Masked-LM training on the user's text (keras-hub's {@code fit} on raw strings, masked anew every
 * epoch), with checkpoints: run the same command again after Ctrl-C and it resumes where it stopped.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Trains a preset (or a new model, --from-scratch) as a masked LM on text files, writing a "
        + "checkpoint every --checkpoint-every steps, at each epoch's end and on Ctrl-C. Run the same command "
        + "again to resume from the last checkpoint; the trained preset goes to OUTPUT/preset. OUTPUT must be "
        + "new, empty or an earlier output of train: BertGen replaces nothing it did not write."})
final class TrainCommand implements Callable<Integer> {

  @ParentCommand
  BertGenApp app;

  @Mixin
  DeviceOption device = new DeviceOption();

  @Option(names = "--preset", defaultValue = "bert_tiny_en_uncased", paramLabel = "P",
      description = "a preset directory, a preset name, kaggle://... or hf://... (default: ${DEFAULT-VALUE})")
  String preset;

  @Option(names = "--from-scratch",
      description = "start from keras-hub's random initialization of the preset's architecture (a built-in name)")
  boolean fromScratch;

  @Option(names = "--data", required = true, paramLabel = "FILE|DIR",
      description = "UTF-8 text, one example per line (gzip allowed); a folder: all its *.txt and *.txt.gz files")
  Path data;

  @Option(names = "--epochs", description = "default: 1")
  Integer epochs;

  @Option(names = "--batch-size", description = "default: 32")
  Integer batchSize;

  @Option(names = "--sequence-length", description = "default: 128, or the preset's maximum if lower")
  Integer sequenceLength;

  @Option(names = "--mask-slots", description = "mask slots per sequence (default: 15%% of the sequence length)")
  Integer maskSlots;

  @Option(names = "--learning-rate", description = "Adam's; default: keras-hub's 5e-5, or 1e-3 with --from-scratch")
  Double learningRate;

  @Option(names = "--seed", description = "shuffling, masking and initialization seed (default: 42)")
  Long seed;

  @Option(names = "--output", defaultValue = "bertgen-train", paramLabel = "DIR",
      description = "checkpoints and the trained preset: a new or empty folder, or an earlier output of train "
          + "(default: ${DEFAULT-VALUE})")
  Path output;

  @Option(names = "--checkpoint-every", defaultValue = "200", paramLabel = "STEPS",
      description = "steps between checkpoints (default: ${DEFAULT-VALUE})")
  int checkpointEvery;

  @Option(names = "--minutes", description = "stop (with a checkpoint) after this much training time")
  Double minutes;

  @Override
  public Integer call() {
    PrintStream out = app.out;
    if (epochs != null) {
      Arguments.atLeast("--epochs", epochs, 1);
    }
    if (batchSize != null) {
      Arguments.atLeast("--batch-size", batchSize, 1);
    }
    if (learningRate != null) {
      Arguments.positive("--learning-rate", learningRate);
    }
    if (minutes != null) {
      Arguments.positive("--minutes", minutes);
    }
    Arguments.atLeast("--checkpoint-every", checkpointEvery, 1);
    Arguments.textFileOrFolder("--data", data);
    OutputFolder folder = OutputFolder.check("--output", output, OutputFolder.Kind.TRAIN);
    List<String> lines = readData(data);
    ComputeDevice dev = device.select();
    folder.create();

    Path checkpoint = Checkpoint.find(output);
    Checkpoint.State start;
    BertMaskedLM mlm;
    if (checkpoint != null) {
      Checkpoint.State saved = Checkpoint.readState(checkpoint);
      start = resumable(saved, lines.size());
      if (saved.finished()) {
        out.println("the run in " + output + " is complete (" + saved.epochs() + " epochs); its preset is in "
            + output.resolve("preset") + ". Give a new --output, or more --epochs to continue it");
        if (epochs == null || epochs <= saved.epochs()) {
          return 0;
        }
        start = withEpochs(start, epochs);
      }
      mlm = Models.load(checkpoint.toString(), dev);
      mlm.setPreprocessor(Models.preprocessor(mlm, start.sequenceLength(), start.maskSlots()));
      mlm.compile(new CompileOptions(Optimizers.adam(start.learningRate())));
      mlm.setOptimizerState(Checkpoint.optimizer(checkpoint));
      out.printf(Locale.ROOT, "resuming from %s: epoch %d, step %d (%,d updates done)%n", checkpoint,
          start.epoch() + 1, start.step(), mlm.iterations());
    } else {
      long s = seed == null ? 42 : seed;
      mlm = fromScratch ? Models.fromScratch(preset, s, dev) : Models.load(preset, dev);
      int length = sequenceLength != null ? sequenceLength : Math.min(128, mlm.backbone().config().maxSequenceLength());
      mlm.setPreprocessor(Models.preprocessor(mlm, length, maskSlots));
      double lr = learningRate != null ? learningRate : fromScratch ? 1e-3 : 5e-5;
      mlm.compile(new CompileOptions(Optimizers.adam(lr)));
      start = new Checkpoint.State(preset, fromScratch, data.toAbsolutePath().toString(), lines.size(),
          epochs == null ? 1 : epochs, batchSize == null ? 32 : batchSize, length,
          mlm.preprocessor().config().maskSelectionLength(), lr, s, 0, 0, 0, false, null);
      out.printf(Locale.ROOT, "training %s%s on %s (%,d lines) on %s: %d epoch%s, batch %d x %d tokens, Adam %.0e%n",
          preset, fromScratch ? " from scratch" : "", data, lines.size(), mlm.backbone().device(), start.epochs(),
          start.epochs() == 1 ? "" : "s",
          start.batchSize(), start.sequenceLength(), start.learningRate());
    }

    if (dev.kind() == DeviceKind.JAVA && Devices.openCl().isEmpty()) {
      out.println("note: " + Devices.NO_OPENCL);
    }
    int perEpoch = (lines.size() + start.batchSize() - 1) / start.batchSize();
    Checkpoint.State run = start;
    int[] position = {start.epoch(), start.step()};
    EpochTotals[] totals = {start.totals()}; // behind the running metrics, saved so a resumed epoch reports all of it
    long[] savedAt = {mlm.iterations()}; // the update count of the newest checkpoint: each is written once
    FitOptions.Builder fit = FitOptions.builder().batchSize(start.batchSize()).epochs(start.epochs())
        .seed(start.seed()).initialEpoch(start.epoch(), start.step(), start.totals()).verbosity(Verbosity.AUTO)
        .output(out)
        .listener(new TrainingListener() {
          @Override
          public void onBatchEnd(int epoch, int step, Map<String, Double> logs, EpochTotals sums) {
            totals[0] = sums;
            position[0] = step + 1 == perEpoch ? epoch + 1 : epoch;
            position[1] = step + 1 == perEpoch ? 0 : step + 1;
            if (mlm.iterations() % checkpointEvery == 0) {
              Checkpoint.save(mlm, at(run, position, mlm.iterations(), false, totals[0]), output);
              savedAt[0] = mlm.iterations();
            }
          }

          @Override
          public void onEpochEnd(int epoch, Map<String, Double> logs) {
            out.printf(Locale.ROOT, "epoch %d/%d: loss %.4f, masked_token_loss %.4f, accuracy %.4f%n", epoch + 1,
                run.epochs(), logs.get("loss"), logs.get("masked_token_loss"), logs.get("sparse_categorical_accuracy"));
            // the run's last epoch is saved once, as finished, when fit returns
            if (mlm.iterations() != savedAt[0] && position[0] < run.epochs()) {
              Checkpoint.save(mlm, at(run, position, mlm.iterations(), false, totals[0]), output);
              savedAt[0] = mlm.iterations();
            }
          }
        });
    if (minutes != null) {
      fit.timeLimit(Duration.ofMillis(Math.max(1, Math.round(minutes * 60_000))));
    }
    StopOnSignal signal = StopOnSignal.install(mlm::stopTraining);
    try {
      History history;
      try {
        history = mlm.fit(lines, fit.build());
      } catch (NonFiniteLossException e) {
        // nothing is saved: the newest checkpoint holds the last state written before the bad batch
        Path kept = Checkpoint.find(output);
        throw new BertGenApp.Diverged(String.format(Locale.ROOT, "training diverged at epoch %d, batch %d "
            + "(update %,d): loss %.4g, gradient norm %.4g; nothing was saved from it%s. Train again with a lower "
            + "--learning-rate (it was %.3g) and a new --output", e.epoch() + 1, e.step() + 1, e.update(), e.loss(),
            e.gradientNorm(), kept == null ? "" : String.format(Locale.ROOT, "; %s keeps the last good checkpoint "
                + "(update %,d)", kept, Checkpoint.readState(kept).iterations()), e.learningRate()), e);
      }
      boolean finished = history.stopReason() == History.StopReason.COMPLETED;
      if (mlm.iterations() != savedAt[0] || finished) {
        Checkpoint.save(mlm, at(run, position, mlm.iterations(), finished, totals[0]), output);
      }
      if (history.steps() > 0 || finished) {
        out.printf(Locale.ROOT, "checkpoint: %s (epoch %d, step %d, %,d updates)%n", output.resolve(Checkpoint.DIR),
            position[0] + 1, position[1], mlm.iterations());
      }
      if (finished) {
        Path presetDir = folder.savePreset(mlm);
        out.printf(Locale.ROOT, "done: %,d steps, %,.0f tokens/s; trained preset in %s%n", history.steps(),
            history.tokensPerSecond(), presetDir);
      } else {
        String why = switch (history.stopReason()) {
          case TIME_LIMIT -> "at the time limit";
          case INTERRUPTED -> "interrupted";
          default -> "on request";
        };
        out.printf(Locale.ROOT, "stopped %s after %,d steps; run the same command again to resume%n", why,
            history.steps());
      }
    } finally {
      signal.close();
    }
    return signal.signalled() ? 130 : 0;
  }

  private static Checkpoint.State at(Checkpoint.State s, int[] position, long iterations, boolean finished,
      EpochTotals totals) {
    return new Checkpoint.State(s.preset(), s.fromScratch(), s.data(), s.lines(), s.epochs(), s.batchSize(),
        s.sequenceLength(), s.maskSlots(), s.learningRate(), s.seed(), position[0], position[1], iterations, finished,
        position[1] == 0 ? null : totals);
  }

  private static Checkpoint.State withEpochs(Checkpoint.State s, int epochs) {
    return new Checkpoint.State(s.preset(), s.fromScratch(), s.data(), s.lines(), epochs, s.batchSize(),
        s.sequenceLength(), s.maskSlots(), s.learningRate(), s.seed(), s.epoch(), s.step(), s.iterations(), false,
        s.totals());
  }

  /** The saved run, after checking that this command line asks for the same one. */
  private Checkpoint.State resumable(Checkpoint.State s, int lineCount) {
    List<String> differences = new ArrayList<>();
    if (batchSize != null && batchSize != s.batchSize()) {
      differences.add("--batch-size " + s.batchSize());
    }
    if (sequenceLength != null && sequenceLength != s.sequenceLength()) {
      differences.add("--sequence-length " + s.sequenceLength());
    }
    if (maskSlots != null && maskSlots != s.maskSlots()) {
      differences.add("--mask-slots " + s.maskSlots());
    }
    if (learningRate != null && learningRate != s.learningRate()) {
      differences.add("--learning-rate " + s.learningRate());
    }
    if (seed != null && seed != s.seed()) {
      differences.add("--seed " + s.seed());
    }
    if (lineCount != s.lines()) {
      differences.add("--data with " + s.lines() + " lines (" + s.data() + "; this one has " + lineCount + ")");
    }
    if (!differences.isEmpty()) {
      throw new UserException(output + " holds a run started with " + String.join(", ", differences)
          + "; resume it with those, or give a new --output");
    }
    if (epochs != null && epochs < s.epochs() && !s.finished()) {
      throw new UserException(output + " holds a run of " + s.epochs() + " epochs; resume it with --epochs "
          + s.epochs() + " or more, or give a new --output");
    }
    return epochs != null && !s.finished() ? withEpochs(s, epochs) : s;
  }

  /** The lines of a file, or of every *.txt / *.txt.gz file of a folder in name order. */
  static List<String> readData(Path data) {
    if (!Files.isDirectory(data)) {
      List<String> lines = TextLines.read(data);
      if (lines.isEmpty()) {
        throw new UserException("--data " + data + " has no text lines");
      }
      return lines;
    }
    List<Path> files;
    try (Stream<Path> list = Files.list(data)) {
      files = list.filter(p -> Files.isRegularFile(p) && (p.toString().endsWith(".txt")
          || p.toString().endsWith(".txt.gz"))).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list --data " + data + ": " + e.getMessage(), e);
    }
    if (files.isEmpty()) {
      throw new UserException("--data " + data + " has no *.txt or *.txt.gz files; give a text file, or a folder "
          + "of them");
    }
    List<String> lines = new ArrayList<>();
    for (Path f : files) {
      Arguments.textFile("--data", f);
      lines.addAll(TextLines.read(f));
    }
    if (lines.isEmpty()) {
      throw new UserException("--data " + data + " has no text lines");
    }
    return lines;
  }
}
