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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Top-k candidates for every {@code [MASK]} of each text, from the arguments or standard input. */
@Command(name = "fill-mask", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Prints the most likely tokens for every [MASK] in each text (one text per argument, or one "
        + "per line of standard input when none is given, each line answered as soon as it arrives)."})
final class FillMaskCommand implements Callable<Integer> {

  /** Lines of standard input answered together at most, when they arrived together. */
  private static final int BATCH = 32;

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
    for (String text : texts) {
      if (!text.contains("[MASK]")) {
        throw new BertGenApp.UserException("\"" + text + "\" has no [MASK] token; write [MASK] where a word is "
            + "missing");
      }
    }
    // the model first, then the texts: standard input is answered line by line as lines arrive
    BertMaskedLM mlm = Models.load(preset, device.select());
    if (!texts.isEmpty()) {
      List<List<MaskPrediction>> all = mlm.fillMask(texts, topK);
      for (int i = 0; i < texts.size(); i++) {
        print(texts.get(i), all.get(i));
      }
      return 0;
    }
    return answerStandardInput(mlm);
  }

  /**
   * Answers each line of standard input as soon as it has arrived (lines that arrived together are
   * answered as one batch); a line that cannot be answered is reported on standard error.
   */
  private int answerStandardInput(BertMaskedLM mlm) {
    if (System.console() != null) {
      app.err.println("bertgen fill-mask: type a text with [MASK] and press Enter; Ctrl-D ends");
    }
    BlockingQueue<Line> lines = readLinesInBackground();
    int seen = 0;
    int refused = 0;
    for (boolean end = false; !end; ) {
      List<Line> arrived = new ArrayList<>();
      try {
        arrived.add(lines.take());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 1;
      }
      lines.drainTo(arrived, BATCH - 1);
      List<Line> batch = new ArrayList<>();
      for (Line line : arrived) {
        if (line.error() != null) {
          throw new UncheckedIOException("cannot read standard input: " + line.error().getMessage(), line.error());
        }
        end = line.text() == null;
        if (end) {
          break;
        }
        if (line.text().isEmpty()) {
          continue;
        }
        seen++;
        if (line.text().contains("[MASK]")) {
          batch.add(line);
        } else {
          refused++;
          refuse(line, "has no [MASK] token; write [MASK] where a word is missing");
        }
      }
      refused += answer(mlm, batch);
    }
    if (seen == 0) {
      throw new BertGenApp.UserException("no text: give texts with [MASK] as arguments or lines on standard input");
    }
    return refused == 0 ? 0 : BertGenApp.USAGE;
  }

  /** A line of standard input (stripped; null at its end) or the error that ended reading it. */
  private record Line(int number, String text, IOException error) {}

  /** Standard input's lines, read by a daemon thread so that waiting for a line never holds up answers. */
  private static BlockingQueue<Line> readLinesInBackground() {
    BlockingQueue<Line> lines = new LinkedBlockingQueue<>(4 * BATCH);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    Thread reader = new Thread(() -> {
      int number = 0;
      try {
        try {
          for (String line; (line = in.readLine()) != null; ) {
            lines.put(new Line(++number, line.strip(), null));
          }
          lines.put(new Line(number + 1, null, null));
        } catch (IOException e) {
          lines.put(new Line(number + 1, null, e));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "bertgen-stdin");
    reader.setDaemon(true);
    reader.start();
    return lines;
  }

  /** Answers the lines of {@code batch}; returns how many could not be answered. */
  private int answer(BertMaskedLM mlm, List<Line> batch) {
    if (batch.isEmpty()) {
      return 0;
    }
    List<List<MaskPrediction>> all;
    try {
      all = mlm.fillMask(batch.stream().map(Line::text).toList(), topK);
    } catch (IllegalArgumentException e) { // a line of the batch it cannot answer: each on its own
      if (batch.size() > 1) {
        int refused = 0;
        for (Line line : batch) {
          refused += answer(mlm, List.of(line));
        }
        return refused;
      }
      refuse(batch.get(0), e.getMessage().replaceFirst("^text \\d+ \\(\".*?\"\\) ", ""));
      return 1;
    }
    for (int i = 0; i < batch.size(); i++) {
      print(batch.get(i).text(), all.get(i));
    }
    return 0;
  }

  private void refuse(Line line, String problem) {
    app.err.println("bertgen fill-mask: line " + line.number() + " (\"" + abbreviate(line.text()) + "\") " + problem);
    app.err.flush();
  }

  private void print(String text, List<MaskPrediction> predictions) {
    app.out.println(text);
    for (int m = 0; m < predictions.size(); m++) {
      app.out.println("  [MASK] " + (m + 1) + ": " + candidates(predictions.get(m).candidates()));
    }
    app.out.flush();
  }

  private static String abbreviate(String text) {
    return text.length() <= 60 ? text : text.substring(0, 57) + "...";
  }

  /** "dog 0.412  cat 0.120 ..." */
  static String candidates(List<FillMaskCandidate> list) {
    return list.stream().map(c -> String.format(Locale.ROOT, "%s %.3f", c.token(), c.probability()))
        .collect(Collectors.joining("  "));
  }
}
