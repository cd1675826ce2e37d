package dev.bertgen.examples.app;

import dev.bertgen.examples.app.BertGenApp.UserException;
import dev.bertgen.models.BertTextClassifier;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The most probable classes of each text (or sentence pair), from the arguments or standard input. */
@Command(name = "classify", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Prints the most probable classes of each text with a text classifier (one text per argument, "
        + "or one per line of standard input when none is given, each answered as soon as it arrives; a line "
        + "first<TAB>second is a sentence pair)."})
final class ClassifyCommand implements Callable<Integer> {

  @picocli.CommandLine.ParentCommand
  BertGenApp app;

  @Mixin
  DeviceOption device = new DeviceOption();

  @Option(names = "--preset", required = true, paramLabel = "P",
      description = "a classifier preset (e.g. bertgen-classifier/preset from train-classifier, "
          + "bert_tiny_en_uncased_sst2), kaggle://... or hf://...")
  String preset;

  @Option(names = "--top-k", description = "classes shown per text (default: all, at most 5)")
  Integer topK;

  @Parameters(paramLabel = "TEXT", arity = "0..*", description = "texts to classify (first<TAB>second: a pair)")
  List<String> texts = new ArrayList<>();

  @Override
  public Integer call() {
    if (topK != null) {
      Arguments.atLeast("--top-k", topK, 1);
    }
    for (String text : texts) {
      if (text.isBlank()) {
        throw new UserException("a text to classify is empty; give a text, or read standard input by giving none");
      }
    }
    BertTextClassifier classifier = ClassifierModels.load(preset, null, 42, device.select());
    if (classifier.preprocessor() == null) {
      throw new UserException(preset + " has no vocabulary (no tokenizer files), so it cannot read text");
    }
    int k = Math.min(topK != null ? topK : 5, classifier.numClasses());
    if (!texts.isEmpty()) {
      for (String text : texts) {
        print(classifier, text, k);
      }
      return 0;
    }
    if (System.console() != null) {
      app.err.println("bertgen classify: type a text (or first<TAB>second) and press Enter; Ctrl-D ends");
    }
    try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        if (!line.isBlank()) {
          print(classifier, line, k);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read standard input: " + e.getMessage(), e);
    }
    return 0;
  }

  private void print(BertTextClassifier c, String line, int k) {
    String[] parts = line.split("\t", -1);
    if (parts.length > 2) {
      throw new UserException("\"" + line + "\" has " + (parts.length - 1) + " tabs; a line is a text or "
          + "first<TAB>second");
    }
    float[] p = parts.length == 2 ? c.predictProbabilities(List.of(parts[0]), List.of(parts[1]))[0]
        : c.predictProbabilities(List.of(line))[0];
    Integer[] order = new Integer[p.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> Float.compare(p[b], p[a]));
    StringBuilder sb = new StringBuilder("  ");
    for (int i = 0; i < k; i++) {
      sb.append(i == 0 ? "" : "  ").append(c.classifierConfig().className(order[i]))
          .append(String.format(Locale.ROOT, " %.3f", p[order[i]]));
    }
    app.out.println(line.replace('\t', ' '));
    app.out.println(sb);
  }
}
