package dev.bertgen.spec;

import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The rules every preset must satisfy, whatever declared it (a YAML file, a {@code @BertSpec}, a
 * config.json loaded at run time). Each problem names the field, the value and a fix.
 */
public final class SpecValidator {
  private SpecValidator() {}

  /** The most elements one Java array holds (the JDK's own limit, {@code Integer.MAX_VALUE - 8}). */
  public static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

  /** The largest {@code hidden_dim} whose {@code hidden_dim × hidden_dim} kernels fit one Java array. */
  public static final int MAX_HIDDEN_DIM = 46_340;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-]*");
  private static final Pattern KAGGLE_HANDLE =
      Pattern.compile("kaggle://[^/\\s]+/[^/\\s]+/[^/\\s]+/[^/\\s]+(/[0-9]+)?");

  /** Every problem of {@code spec}, in schema order; empty when it is valid. */
  public static List<Problem> validate(PresetSpec spec) {
    List<Problem> out = new ArrayList<>();
    if (!NAME.matcher(spec.name()).matches()) {
      out.add(Problem.of(Diagnostic.INVALID_VALUE, "name", "preset name \"" + spec.name()
          + "\" must start with a letter or digit and use only letters, digits, '_', '.' and '-'; "
          + "for example my_bert_en_uncased"));
    }
    if (spec.kaggleHandle() != null && !KAGGLE_HANDLE.matcher(spec.kaggleHandle()).matches()) {
      out.add(Problem.of(Diagnostic.INVALID_VALUE, "kaggle_handle", "kaggle_handle \""
          + spec.kaggleHandle() + "\" must look like kaggle://owner/model/framework/variant[/version], "
          + "for example kaggle://keras/bert/keras/bert_tiny_en_uncased/3"));
    }
    task(spec.task(), out);
    boolean sizesOk = backbone(spec.backbone(), out, UnaryOperator.identity());
    tokenizer(spec.tokenizer(), spec.backbone(), out);
    preprocessor(spec.preprocessor(), spec.backbone(), sizesOk, out);
    if (sizesOk && spec.params() != null && spec.params() != spec.backbone().parameterCount()) {
      out.add(Problem.of(Diagnostic.PARAMETER_COUNT_MISMATCH, "params", "params says "
          + grouped(spec.params()) + " but this architecture has " + grouped(spec.backbone().parameterCount())
          + " backbone parameters (" + spec.backbone().describeShapes() + "); correct params, or "
          + "the sizes if they are the mistake"));
    }
    return List.copyOf(out);
  }

  /** Validates only the backbone (for configs read at run time); problems use YAML paths. */
  public static List<Problem> validateBackbone(BackboneConfig b) {
    return validateBackbone(b, UnaryOperator.identity());
  }

  /**
   * Validates only the backbone, naming its keys in messages as {@code keyName} maps keras-hub's
   * argument names ({@code hidden_dim}, ...), for files that name them otherwise (Hugging Face's
   * config.json: {@code hidden_size}, ...). Fields keep the YAML paths.
   */
  public static List<Problem> validateBackbone(BackboneConfig b, UnaryOperator<String> keyName) {
    List<Problem> out = new ArrayList<>();
    backbone(b, out, keyName);
    return List.copyOf(out);
  }

  private static void task(TaskConfig t, List<Problem> out) {
    if (t.kind() == TaskConfig.Kind.TEXT_CLASSIFIER && t.numClasses() < 2) {
      out.add(Problem.of(Diagnostic.INVALID_VALUE, "task.num_classes", "a TextClassifier needs "
          + "num_classes of at least 2, found " + t.numClasses()));
    }
    if (t.kind() == TaskConfig.Kind.MASKED_LM && t.numClasses() != 0) {
      out.add(Problem.of(Diagnostic.INVALID_VALUE, "task.num_classes", "num_classes is only for "
          + "class_name: TextClassifier; remove it from a MaskedLM task"));
    }
  }

  private static boolean backbone(BackboneConfig b, List<Problem> out, UnaryOperator<String> keyName) {
    int before = out.size();
    Names n = new Names(keyName);
    positive(out, "backbone.vocabulary_size", b.vocabularySize(), "30522", n);
    positive(out, "backbone.num_layers", b.numLayers(), "12", n);
    positive(out, "backbone.num_heads", b.numHeads(), "12", n);
    positive(out, "backbone.hidden_dim", b.hiddenDim(), "768", n);
    positive(out, "backbone.intermediate_dim", b.intermediateDim(), "3072", n);
    positive(out, "backbone.max_sequence_length", b.maxSequenceLength(), "512", n);
    positive(out, "backbone.num_segments", b.numSegments(), "2", n);
    boolean hiddenFits = b.hiddenDim() <= MAX_HIDDEN_DIM;
    if (!hiddenFits) {
      long h = b.hiddenDim();
      out.add(Problem.of(Diagnostic.TENSOR_TOO_LARGE, "backbone.hidden_dim", n.of("hidden_dim") + " "
          + grouped(h) + " is above " + grouped(MAX_HIDDEN_DIM) + ": each attention kernel would hold "
          + grouped(h * h) + " values (" + n.of("hidden_dim") + "²), more than one Java array can (" + grouped(MAX_ARRAY)
          + "); use a smaller " + n.of("hidden_dim") + " (BERT-large has 1,024)"));
    }
    if (hiddenFits && b.numHeads() > 0 && b.hiddenDim() > 0 && b.hiddenDim() % b.numHeads() != 0) {
      out.add(Problem.of(Diagnostic.HEADS_DO_NOT_DIVIDE_HIDDEN, "backbone.num_heads", n.of("num_heads") + " "
          + grouped(b.numHeads()) + " does not divide " + n.of("hidden_dim") + " " + grouped(b.hiddenDim())
          + " (each head would get " + String.format(Locale.ROOT, "%.2f", (double) b.hiddenDim() / b.numHeads())
          + " dimensions); use a " + n.of("num_heads") + " that divides it, such as " + divisors(b.hiddenDim())
          + ", or a " + n.of("hidden_dim") + " that is a multiple of " + grouped(b.numHeads())));
    }
    if (!(b.dropout() >= 0 && b.dropout() < 1)) {
      out.add(Problem.of(Diagnostic.RATE_OUT_OF_RANGE, "backbone.dropout", n.of("dropout") + " " + b.dropout()
          + " is outside [0, 1); keras-hub uses 0.1, and 0 turns dropout off"));
    }
    epsilon(out, "backbone.layer_norm_epsilon", b.layerNormEpsilon(), "1.0e-12", n);
    epsilon(out, "backbone.mlm_head_layer_norm_epsilon", b.mlmHeadLayerNormEpsilon(), "1.0e-5", n);
    if (out.size() == before) {
      sizeLimits(b, out, n);
    }
    return out.size() == before;
  }

  /**
   * The sizes of valid {@code b} (positive, {@code hidden_dim} at most {@link #MAX_HIDDEN_DIM}) against
   * what one Java array holds: the embeddings and the feed-forward kernels, then the whole parameter
   * arena (backbone and masked-LM head in one float array). Bounds are found by division and counts
   * are sums of products of two ints, so nothing overflows a long; the first size out of bounds is
   * the one problem reported.
   */
  private static void sizeLimits(BackboneConfig b, List<Problem> out, Names n) {
    long h = b.hiddenDim();
    String[][] rows = {
      {"vocabulary_size", "token embedding"},
      {"max_sequence_length", "position embedding"},
      {"num_segments", "segment embedding"},
      {"intermediate_dim", "feed-forward kernel"},
    };
    long[] values = {b.vocabularySize(), b.maxSequenceLength(), b.numSegments(), b.intermediateDim()};
    for (int k = 0; k < rows.length; k++) {
      long most = MAX_ARRAY / h;
      if (values[k] > most) {
        String key = n.of(rows[k][0]);
        out.add(Problem.of(Diagnostic.TENSOR_TOO_LARGE, "backbone." + rows[k][0], "the " + rows[k][1]
            + " would hold " + grouped(values[k] * h) + " values (" + key + " " + grouped(values[k]) + " × "
            + n.of("hidden_dim") + " " + grouped(h) + "), more than one Java array can (" + grouped(MAX_ARRAY)
            + "); use at most " + grouped(most) + " for " + key + ", or a smaller " + n.of("hidden_dim")));
        return;
      }
    }
    long fixed = BackboneConfig.nonLayerParameterCount(b) + b.maskedLmHeadParameterCount();
    long perLayer = BackboneConfig.layerParameterCount(b);
    if (fixed > MAX_ARRAY - perLayer) {
      // Even one layer is too many: name the size whose term is largest, and the largest value it may take.
      long i = b.intermediateDim();
      long[] terms = {6 * h * h, b.vocabularySize() * h, b.maxSequenceLength() * h, 2 * h * i};
      String[] keys = {"hidden_dim", "vocabulary_size", "max_sequence_length", "intermediate_dim"};
      int k = 0;
      for (int j = 1; j < terms.length; j++) {
        k = terms[j] > terms[k] ? j : k;
      }
      String key = keys[k];
      long value = k == 0 ? h : k == 1 ? b.vocabularySize() : k == 2 ? b.maxSequenceLength() : i;
      long most = largestThatFits(b, key);
      out.add(Problem.of(Diagnostic.TENSOR_TOO_LARGE, "backbone." + key, n.of(key) + " " + grouped(value)
          + " is above " + grouped(most) + ": with one layer the model would have " + grouped(fixed + perLayer)
          + " parameters (backbone and masked-LM head), more than the one Java float array that holds them "
          + "can (" + grouped(MAX_ARRAY) + "); use a smaller " + n.of(key)));
      return;
    }
    long layers = b.numLayers();
    long mostLayers = (MAX_ARRAY - fixed) / perLayer;
    if (layers > mostLayers) {
      out.add(Problem.of(Diagnostic.TENSOR_TOO_LARGE, "backbone.num_layers", n.of("num_layers") + " "
          + grouped(layers) + " is above " + grouped(mostLayers) + ": more layers (" + grouped(perLayer)
          + " parameters each) would not fit, with the embeddings and the masked-LM head, in the one Java "
          + "float array that holds the parameters (" + grouped(MAX_ARRAY) + " values); use fewer layers or "
          + "smaller sizes"));
    }
  }

  /**
   * The largest value of {@code key} (the others as in {@code b}) with which one layer, the
   * embeddings and the masked-LM head fit one Java array; by bisection, as the count grows with it.
   */
  private static long largestThatFits(BackboneConfig b, String key) {
    long low = 0;
    long high = switch (key) {
      case "hidden_dim" -> b.hiddenDim();
      case "vocabulary_size" -> b.vocabularySize();
      case "max_sequence_length" -> b.maxSequenceLength();
      default -> b.intermediateDim();
    };
    while (low < high) {
      long mid = low + (high - low + 1) / 2;
      if (oneLayerFits(b, key, (int) mid)) {
        low = mid;
      } else {
        high = mid - 1;
      }
    }
    return low;
  }

  private static boolean oneLayerFits(BackboneConfig b, String key, int value) {
    BackboneConfig c = new BackboneConfig(
        key.equals("vocabulary_size") ? value : b.vocabularySize(), 1, 1,
        key.equals("hidden_dim") ? value : b.hiddenDim(),
        key.equals("intermediate_dim") ? value : b.intermediateDim(), b.dropout(),
        key.equals("max_sequence_length") ? value : b.maxSequenceLength(), b.numSegments(),
        b.hiddenActivation(), b.layerNormEpsilon(), b.mlmHeadActivation(), b.mlmHeadLayerNormEpsilon());
    long count = BackboneConfig.nonLayerParameterCount(c) + c.maskedLmHeadParameterCount()
        + BackboneConfig.layerParameterCount(c);
    return count <= MAX_ARRAY;
  }

  /** Key names in messages: keras-hub's argument names, or what {@code keyName} maps them to. */
  private record Names(UnaryOperator<String> keyName) {
    String of(String kerasName) {
      return keyName.apply(kerasName);
    }
  }

  private static void tokenizer(TokenizerConfig t, BackboneConfig b, List<Problem> out) {
    if (t.suffixIndicator().isEmpty()) {
      out.add(Problem.of(Diagnostic.INVALID_VALUE, "tokenizer.suffix_indicator",
          "suffix_indicator must not be empty; BERT vocabularies use \"##\""));
    }
    String[][] tokens = {
      {"tokenizer.oov_token", t.oovToken(), "[UNK]"},
      {"tokenizer.special_tokens.cls", t.clsToken(), "[CLS]"},
      {"tokenizer.special_tokens.sep", t.sepToken(), "[SEP]"},
      {"tokenizer.special_tokens.pad", t.padToken(), "[PAD]"},
      {"tokenizer.special_tokens.mask", t.maskToken(), "[MASK]"},
    };
    Set<String> seen = new HashSet<>();
    for (String[] tok : tokens) {
      if (tok[1].isBlank()) {
        out.add(Problem.of(Diagnostic.INVALID_VALUE, tok[0], tok[0].substring(tok[0].lastIndexOf('.') + 1)
            + " must not be empty; BERT vocabularies use \"" + tok[2] + "\""));
      } else if (!seen.add(tok[1])) {
        out.add(Problem.of(Diagnostic.INVALID_VALUE, tok[0], "special token \"" + tok[1]
            + "\" is used twice; [CLS], [SEP], [PAD], [MASK] and the oov token must differ"));
      }
    }
    if (t.vocabularyAsset().isBlank() || t.vocabularyAsset().startsWith("/")
        || t.vocabularyAsset().contains("..")) {
      out.add(Problem.of(Diagnostic.INVALID_VALUE, "tokenizer.vocabulary_asset", "vocabulary_asset \""
          + t.vocabularyAsset() + "\" must be a relative path inside the preset directory, such as "
          + TokenizerConfig.DEFAULT_VOCABULARY_ASSET));
    }
    if (t.bundledVocabulary() != null) {
      Optional<List<String>> vocab = BuiltinPresets.bundledVocabulary(t.bundledVocabulary());
      if (vocab.isEmpty()) {
        out.add(Problem.of(Diagnostic.VOCABULARY_MISMATCH, "tokenizer.bundled_vocabulary",
            "no bundled vocabulary \"" + t.bundledVocabulary() + "\""
                + Suggestions.didYouMean(t.bundledVocabulary(), BuiltinPresets.bundledVocabularyIds())
                + " Bundled: " + BuiltinPresets.bundledVocabularyIds()
                + "; or set it to null and ship the vocabulary with the preset"));
      } else {
        List<String> v = vocab.get();
        if (b.vocabularySize() > 0 && v.size() != b.vocabularySize()) {
          out.add(Problem.of(Diagnostic.VOCABULARY_MISMATCH, "backbone.vocabulary_size",
              "vocabulary_size " + b.vocabularySize() + " differs from the " + v.size()
                  + " tokens of bundled vocabulary \"" + t.bundledVocabulary() + "\"; set "
                  + "vocabulary_size: " + v.size() + " or use another vocabulary"));
        }
        Set<String> set = new HashSet<>(v);
        for (String[] tok : tokens) {
          if (!tok[1].isBlank() && !set.contains(tok[1])) {
            out.add(Problem.of(Diagnostic.VOCABULARY_MISMATCH, tok[0], "token \"" + tok[1]
                + "\" is not in bundled vocabulary \"" + t.bundledVocabulary() + "\"; use \"" + tok[2]
                + "\" or a token the vocabulary has"));
          }
        }
      }
    }
  }

  private static void preprocessor(PreprocessorConfig p, BackboneConfig b, boolean backboneOk, List<Problem> out) {
    positive(out, "preprocessor.sequence_length", p.sequenceLength(), "512");
    if (p.sequenceLength() > 0 && b.maxSequenceLength() > 0 && p.sequenceLength() > b.maxSequenceLength()) {
      out.add(Problem.of(Diagnostic.SEQUENCE_LENGTH_ABOVE_MAX, "preprocessor.sequence_length",
          "sequence_length " + p.sequenceLength() + " is above the backbone's max_sequence_length "
              + b.maxSequenceLength() + " (there is no position embedding beyond it); use at most "
              + b.maxSequenceLength()));
    }
    positive(out, "preprocessor.mask_selection_length", p.maskSelectionLength(), "96");
    if (backboneOk && p.maskSelectionLength() > MAX_ARRAY / b.vocabularySize()) {
      // keras-hub allows more mask slots than tokens (its default 96 with any sequence length), not this.
      out.add(Problem.of(Diagnostic.TENSOR_TOO_LARGE, "preprocessor.mask_selection_length",
          "mask_selection_length " + grouped(p.maskSelectionLength()) + " is above "
          + grouped(MAX_ARRAY / b.vocabularySize()) + ": the logits of one sequence's mask slots "
          + "(mask_selection_length × vocabulary_size " + grouped(b.vocabularySize()) + ") would not fit one Java array ("
          + grouped(MAX_ARRAY) + "); no sequence has more than sequence_length tokens to mask, so use at most that "
          + "(keras-hub's BERT presets use 96)"));
    }
    rate(out, "preprocessor.mask_selection_rate", p.maskSelectionRate(), "0.15");
    rate(out, "preprocessor.mask_token_rate", p.maskTokenRate(), "0.8");
    rate(out, "preprocessor.random_token_rate", p.randomTokenRate(), "0.1");
    double sum = p.maskTokenRate() + p.randomTokenRate();
    if (inUnit(p.maskTokenRate()) && inUnit(p.randomTokenRate()) && sum > 1 + 1e-9) {
      out.add(Problem.of(Diagnostic.MASK_RATES_ABOVE_ONE, "preprocessor.random_token_rate",
          "mask_token_rate " + p.maskTokenRate() + " + random_token_rate " + p.randomTokenRate()
              + " = " + String.format(Locale.ROOT, "%.4g", sum) + " is above 1; the rest of the "
              + "selected tokens are kept unchanged, so the two must sum to at most 1 (BERT: 0.8 + 0.1)"));
    }
  }

  private static boolean inUnit(double r) {
    return r >= 0 && r <= 1;
  }

  private static void rate(List<Problem> out, String field, double value, String example) {
    if (!inUnit(value)) {
      out.add(Problem.of(Diagnostic.RATE_OUT_OF_RANGE, field, leaf(field) + " " + value
          + " is outside [0, 1]; it is a fraction, for example " + example));
    }
  }

  private static void positive(List<Problem> out, String field, long value, String example) {
    positive(out, field, value, example, new Names(UnaryOperator.identity()));
  }

  private static void positive(List<Problem> out, String field, long value, String example, Names n) {
    if (value <= 0) {
      out.add(Problem.of(Diagnostic.NON_POSITIVE_SIZE, field, n.of(leaf(field)) + " must be positive, found "
          + value + "; for example " + example));
    }
  }

  private static void epsilon(List<Problem> out, String field, double value, String example, Names n) {
    if (!(value > 0 && value < 1)) {
      out.add(Problem.of(Diagnostic.INVALID_VALUE, field, n.of(leaf(field)) + " must be a small positive "
          + "number, found " + value + "; for example " + example));
    }
  }

  private static String leaf(String field) {
    return field.substring(field.lastIndexOf('.') + 1);
  }

  /**
   * The smallest (at most eight) divisors of {@code n > 0}, as text: found in pairs up to the square
   * root, so at most 46,341 steps for any int (a loop up to {@code n} would take seconds and overflow
   * its counter at {@code Integer.MAX_VALUE}).
   */
  static String divisors(int n) {
    TreeSet<Long> d = new TreeSet<>();
    for (long i = 1; i * i <= n; i++) {
      if (n % i == 0) {
        d.add(i);
        d.add(n / i);
      }
    }
    List<Long> first = new ArrayList<>(d).subList(0, Math.min(8, d.size()));
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < first.size(); i++) {
      sb.append(i == 0 ? "" : i == first.size() - 1 ? " or " : ", ").append(grouped(first.get(i)));
    }
    return sb.toString();
  }

  static String grouped(long n) {
    return NumberFormat.getIntegerInstance(Locale.ROOT).format(n);
  }
}
