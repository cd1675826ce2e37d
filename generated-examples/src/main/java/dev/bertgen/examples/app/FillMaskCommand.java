package dev.bertgen.examples.app;

import dev.bertgen.models.BertMaskedLM;
import dev.bertgen.models.FillMaskCandidate;
import dev.bertgen.models.MaskPrediction;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Top-k candidates for every {@code [MASK]} of each text, from the arguments or standard input. */
@Command(name = "fill-mask", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Prints the most likely tokens for every [MASK] in each text (one text per argument, or one "
        + "per line of standard input when none is given)."})
final class FillMaskCommand implements Callable<Integer> {

  @ParentCommand
  BertGenApp app;

  @Mixin
  DeviceOption device = new DeviceOption();

  @Option(names = "--preset", required = true, paramLabel = "P",
      description = "a preset directory (e.g. bertgen-demo/preset), a preset name, kaggle://... or hf://...")
  String preset;

  @Option(names = "--top-k", defaultValue = "5", description = "candidates per [MASK] (default: ${DEFAULT-VALUE})")
  int topK;

  @Parameters(paramLabel = "TEXT", arity = "0..*", description = "texts with [MASK] tokens")
  List<String> texts = new ArrayList<>();

  @Override
  public Integer call() {
    Arguments.atLeast("--top-k", topK, 1);
    List<String> inputs = texts.isEmpty() ? stdinLines() : texts;
    if (inputs.isEmpty()) {
      throw new BertGenApp.UserException("no text: give texts with [MASK] as arguments or lines on standard input");
    }
    for (String text : inputs) {
      if (!text.contains("[MASK]")) {
        throw new BertGenApp.UserException("\"" + text + "\" has no [MASK] token; write [MASK] where a word is missing");
      }
    }
    BertMaskedLM mlm = Models.load(preset, device.select());
    List<List<MaskPrediction>> all = mlm.fillMask(inputs, topK);
    for (int i = 0; i < inputs.size(); i++) {
      app.out.println(inputs.get(i));
      List<MaskPrediction> predictions = all.get(i);
      for (int m = 0; m < predictions.size(); m++) {
        app.out.println("  [MASK] " + (m + 1) + ": " + candidates(predictions.get(m).candidates()));
      }
    }
    return 0;
  }

  /** "dog 0.412  cat 0.120 ..." */
  static String candidates(List<FillMaskCandidate> list) {
    return list.stream().map(c -> String.format(Locale.ROOT, "%s %.3f", c.token(), c.probability()))
        .collect(Collectors.joining("  "));
  }

  private static List<String> stdinLines() {
    List<String> lines = new ArrayList<>();
    try {
      BufferedReader r = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line; (line = r.readLine()) != null; ) {
        if (!line.isBlank()) {
          lines.add(line.strip());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read standard input: " + e.getMessage(), e);
    }
    return lines;
  }
}
