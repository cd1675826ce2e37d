package dev.bertgen.examples.app;

import dev.bertgen.models.BertMaskedLM;
import dev.bertgen.training.EvaluateOptions;
import dev.bertgen.training.TextLines;
import dev.bertgen.training.Verbosity;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** keras' {@code evaluate} on a text file: loss, weighted accuracy and loss per masked token. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Masks the lines of a text file (fixed seed, so runs compare) and prints the masked-LM loss, "
        + "accuracy and perplexity of a preset on them."})
final class EvaluateCommand implements Callable<Integer> {

  @ParentCommand
  BertGenApp app;

  @Mixin
  DeviceOption device = new DeviceOption();

  @Option(names = "--preset", required = true, paramLabel = "P",
      description = "a preset directory, a preset name, kaggle://... or hf://...")
  String preset;

  @Option(names = "--data", required = true, paramLabel = "FILE",
      description = "UTF-8 text, one example per line (gzip allowed)")
  Path data;

  @Option(names = "--batch-size", defaultValue = "32", description = "default: ${DEFAULT-VALUE}")
  int batchSize;

  @Option(names = "--sequence-length", description = "default: 128, or the preset's maximum if lower")
  Integer sequenceLength;

  @Option(names = "--mask-slots", description = "mask slots per sequence (default: 15%% of the sequence length)")
  Integer maskSlots;

  @Option(names = "--seed", defaultValue = "42", description = "masking seed (default: ${DEFAULT-VALUE})")
  long seed;

  @Override
  public Integer call() {
    Arguments.atLeast("--batch-size", batchSize, 1);
    Arguments.textFile("--data", data);
    List<String> lines = TextLines.read(data);
    if (lines.isEmpty()) {
      throw new BertGenApp.UserException("--data " + data + " has no text lines");
    }
    BertMaskedLM mlm = Models.load(preset, device.select());
    int length = sequenceLength != null ? sequenceLength : Math.min(128, mlm.backbone().config().maxSequenceLength());
    mlm.setPreprocessor(Models.preprocessor(mlm, length, maskSlots));
    Map<String, Double> m = mlm.evaluate(lines, EvaluateOptions.defaults().withBatchSize(batchSize).withSeed(seed)
        .withVerbosity(Verbosity.AUTO).withOutput(app.out));
    app.out.printf(Locale.ROOT, "%s on %s (%,d lines, %d tokens per sequence, device %s):%n", preset, data,
        lines.size(), length, mlm.backbone().device());
    app.out.printf(Locale.ROOT, "  loss %.4f  sparse_categorical_accuracy %.4f  masked_token_loss %.4f  "
        + "perplexity %.1f%n", m.get("loss"), m.get("sparse_categorical_accuracy"), m.get("masked_token_loss"),
        Math.exp(m.get("masked_token_loss")));
    return 0;
  }
}
