package dev.bertgen.examples.app;

import dev.bertgen.examples.app.BertGenApp.UserException;
import dev.bertgen.models.BertTextClassifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** The most probable classes of each text (or sentence pair), from the arguments or standard input. */
@Command(name = "classify", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Prints the most probable classes of each text with a text classifier, with their probabilities "
        + "(one text per argument, or one per line of standard input when none is given, each answered as soon as "
        + "it arrives; first<TAB>second is a sentence pair; blank lines are skipped)."})
final class ClassifyCommand implements Callable<Integer> {

  @ParentCommand
  BertGenApp app;

  @Mixin
  DeviceOption device = new DeviceOption();

  @Option(names = "--preset", required = true, paramLabel = "P",
      description = "a classifier preset (e.g. bertgen-classifier/preset from train-classifier, "
          + "bert_tiny_en_uncased_sst2), kaggle://... or hf://...")
  String preset;

  @Option(names = "--top-k", paramLabel = "K", description = "classes shown per text (default: all, at most 5)")
  Integer topK;

  @Option(names = "--batch-size", defaultValue = "32", paramLabel = "N",
      description = "texts classified together at most, also of standard input's lines that arrive together "
          + "(default: ${DEFAULT-VALUE})")
  int batchSize;

  @Parameters(paramLabel = "TEXT", arity = "0..*", description = "texts to classify (first<TAB>second: a pair)")
  List<String> texts = new ArrayList<>();

  /** A text or sentence pair to classify, with where it came from for messages. */
  record Input(String where, String first, String second) {
    String shown() {
      return second == null ? first : first + " " + second;
    }
  }

  @Override
  public Integer call() {
    if (topK != null) {
      Arguments.atLeast("--top-k", topK, 1);
    }
    Arguments.atLeast("--batch-size", batchSize, 1);
    List<Input> inputs = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      String where = "argument " + (i + 1) + " (\"" + abbreviate(texts.get(i)) + "\")";
      String problem = problem(texts.get(i));
      if (problem != null) {
        throw new UserException(where + " " + problem);
      }
      inputs.add(input(where, texts.get(i)));
    }
    // the model first, then the texts: standard input is answered as its lines arrive
    BertTextClassifier classifier = ClassifierModels.load(preset, null, 42, device.select());
    if (classifier.preprocessor() == null) {
      throw new UserException(preset + " has no vocabulary (no tokenizer files), so it cannot read text; use a "
          + "preset saved with its tokenizer");
    }
    int k = Math.min(topK != null ? topK : 5, classifier.numClasses());
    if (!inputs.isEmpty()) {
      for (int from = 0; from < inputs.size(); from += batchSize) {
        answer(classifier, inputs.subList(from, Math.min(inputs.size(), from + batchSize)), k);
      }
      return 0;
    }
    return answerStandardInput(classifier, k);
  }

  /**
   * Answers standard input line by line as lines arrive (those that arrived together as one batch); a
   * line that cannot be answered is reported on standard error and the exit code is then 2.
   */
  private int answerStandardInput(BertTextClassifier classifier, int k) {
    if (System.console() != null) {
      app.err.println("bertgen classify: type a text (or first<TAB>second) and press Enter; Ctrl-D ends");
    }
    StandardInputLines lines = StandardInputLines.start(System.in, 4 * batchSize);
    int seen = 0;
    int refused = 0;
    for (List<StandardInputLines.Line> arrived; ; ) {
      try {
        arrived = lines.next(batchSize);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 1;
      }
      if (arrived.isEmpty()) {
        break;
      }
      List<Input> batch = new ArrayList<>();
      for (StandardInputLines.Line line : arrived) {
        if (line.text().isBlank()) {
          continue;
        }
        seen++;
        String where = "line " + line.number() + " (\"" + abbreviate(line.text()) + "\")";
        String problem = problem(line.text());
        if (problem != null) {
          refused++;
          app.err.println("bertgen classify: " + where + " " + problem);
          app.err.flush();
        } else {
          batch.add(input(where, line.text()));
        }
      }
      answer(classifier, batch, k);
    }
    if (seen == 0) {
      throw new UserException("no text: give texts as arguments or lines on standard input");
    }
    return refused == 0 ? 0 : BertGenApp.USAGE;
  }

  /** Why a text or line cannot be classified, or null. */
  static String problem(String text) {
    String[] parts = text.split("\t", -1);
    if (text.isBlank()) {
      return "is empty; give a text";
    }
    if (parts.length > 2) {
      return "has " + (parts.length - 1) + " tabs; give a text, or a sentence pair as first<TAB>second";
    }
    if (parts.length == 2 && (parts[0].isBlank() || parts[1].isBlank())) {
      return "has an empty " + (parts[0].isBlank() ? "first" : "second") + " text; give a text on each side of the "
          + "tab (or no tab)";
    }
    return null;
  }

  private static Input input(String where, String text) {
    String[] parts = text.split("\t", -1);
    return parts.length == 2 ? new Input(where, parts[0].strip(), parts[1].strip())
        : new Input(where, text.strip(), null);
  }

  /** Classifies {@code batch} (single texts and pairs as two calls) and prints the answers in order. */
  private void answer(BertTextClassifier c, List<Input> batch, int k) {
    if (batch.isEmpty()) {
      return;
    }
    List<Input> singles = batch.stream().filter(i -> i.second() == null).toList();
    List<Input> pairs = batch.stream().filter(i -> i.second() != null).toList();
    float[][] singleScores = singles.isEmpty() ? new float[0][]
        : c.predictProbabilities(singles.stream().map(Input::first).toList());
    float[][] pairScores = pairs.isEmpty() ? new float[0][]
        : c.predictProbabilities(pairs.stream().map(Input::first).toList(), pairs.stream().map(Input::second).toList());
    int s = 0;
    int p = 0;
    for (Input in : batch) {
      float[] probabilities = in.second() == null ? singleScores[s++] : pairScores[p++];
      app.out.println(in.shown());
      app.out.println(topClasses(probabilities, k, c.classifierConfig()::className));
    }
    app.out.flush();
  }

  /** "  name 0.912  other 0.051": the {@code k} most probable classes, most probable first. */
  static String topClasses(float[] probabilities, int k, java.util.function.IntFunction<String> name) {
    Integer[] order = new Integer[probabilities.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Float.compare(probabilities[b], probabilities[a]));
    StringBuilder sb = new StringBuilder("  ");
    for (int i = 0; i < Math.min(k, order.length); i++) {
      sb.append(i == 0 ? "" : "  ").append(name.apply(order[i]))
          .append(String.format(Locale.ROOT, " %.3f", probabilities[order[i]]));
    }
    return sb.toString();
  }

  private static String abbreviate(String text) {
    String flat = text.replace('\t', ' ');
    return flat.length() <= 60 ? flat : flat.substring(0, 57) + "...";
  }
}
