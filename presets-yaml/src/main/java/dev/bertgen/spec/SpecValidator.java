package dev.bertgen.spec;

import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules every preset must satisfy, whatever declared it (a YAML file, a {@code @BertSpec}, a
 * config.json loaded at run time). Each problem names the field, the value and a fix.
 */
public final class SpecValidator {
  private SpecValidator() {}

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
    boolean sizesOk = backbone(spec.backbone(), out);
    tokenizer(spec.tokenizer(), spec.backbone(), out);
    preprocessor(spec.preprocessor(), spec.backbone(), out);
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
    List<Problem> out = new ArrayList<>();
    backbone(b, out);
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

  private static boolean backbone(BackboneConfig b, List<Problem> out) {
    int before = out.size();
    positive(out, "backbone.vocabulary_size", b.vocabularySize(), "30522");
    positive(out, "backbone.num_layers", b.numLayers(), "12");
    positive(out, "backbone.num_heads", b.numHeads(), "12");
    positive(out, "backbone.hidden_dim", b.hiddenDim(), "768");
    positive(out, "backbone.intermediate_dim", b.intermediateDim(), "3072");
    positive(out, "backbone.max_sequence_length", b.maxSequenceLength(), "512");
    positive(out, "backbone.num_segments", b.numSegments(), "2");
    if (b.numHeads() > 0 && b.hiddenDim() > 0 && b.hiddenDim() % b.numHeads() != 0) {
      out.add(Problem.of(Diagnostic.HEADS_DO_NOT_DIVIDE_HIDDEN, "backbone.num_heads", "num_heads "
          + b.numHeads() + " does not divide hidden_dim " + b.hiddenDim() + " (each head would get "
          + String.format(Locale.ROOT, "%.2f", (double) b.hiddenDim() / b.numHeads())
          + " dimensions); use a num_heads that divides it, such as " + divisors(b.hiddenDim())
          + ", or a hidden_dim that is a multiple of " + b.numHeads()));
    }
    if (!(b.dropout() >= 0 && b.dropout() < 1)) {
      out.add(Problem.of(Diagnostic.RATE_OUT_OF_RANGE, "backbone.dropout", "dropout " + b.dropout()
          + " is outside [0, 1); keras-hub uses 0.1, and 0 turns dropout off"));
    }
    epsilon(out, "backbone.layer_norm_epsilon", b.layerNormEpsilon(), "1.0e-12");
    epsilon(out, "backbone.mlm_head_layer_norm_epsilon", b.mlmHeadLayerNormEpsilon(), "1.0e-5");
    if (out.size() == before) {
      long h = b.hiddenDim();
      tooLarge(out, "backbone.vocabulary_size", "token embedding", b.vocabularySize() * h);
      tooLarge(out, "backbone.max_sequence_length", "position embedding", b.maxSequenceLength() * h);
      tooLarge(out, "backbone.intermediate_dim", "feed-forward kernel", b.intermediateDim() * h);
    }
    return out.size() == before;
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

  private static void preprocessor(PreprocessorConfig p, BackboneConfig b, List<Problem> out) {
    positive(out, "preprocessor.sequence_length", p.sequenceLength(), "512");
    if (p.sequenceLength() > 0 && b.maxSequenceLength() > 0 && p.sequenceLength() > b.maxSequenceLength()) {
      out.add(Problem.of(Diagnostic.SEQUENCE_LENGTH_ABOVE_MAX, "preprocessor.sequence_length",
          "sequence_length " + p.sequenceLength() + " is above the backbone's max_sequence_length "
              + b.maxSequenceLength() + " (there is no position embedding beyond it); use at most "
              + b.maxSequenceLength()));
    }
    positive(out, "preprocessor.mask_selection_length", p.maskSelectionLength(), "96");
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
    if (value <= 0) {
      out.add(Problem.of(Diagnostic.NON_POSITIVE_SIZE, field, leaf(field) + " must be positive, found "
          + value + "; for example " + example));
    }
  }

  private static void epsilon(List<Problem> out, String field, double value, String example) {
    if (!(value > 0 && value < 1)) {
      out.add(Problem.of(Diagnostic.INVALID_VALUE, field, leaf(field) + " must be a small positive "
          + "number, found " + value + "; for example " + example));
    }
  }

  private static void tooLarge(List<Problem> out, String field, String what, long elements) {
    if (elements > Integer.MAX_VALUE - 8) {
      out.add(Problem.of(Diagnostic.TENSOR_TOO_LARGE, field, "the " + what + " would hold "
          + grouped(elements) + " values, more than one Java array can (" + grouped(Integer.MAX_VALUE - 8)
          + "); reduce " + leaf(field) + " or hidden_dim"));
    }
  }

  private static String leaf(String field) {
    return field.substring(field.lastIndexOf('.') + 1);
  }

  private static String divisors(int n) {
    List<Integer> d = new ArrayList<>();
    for (int i = 1; i <= n && d.size() < 8; i++) {
      if (n % i == 0) {
        d.add(i);
      }
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < d.size(); i++) {
      sb.append(i == 0 ? "" : i == d.size() - 1 ? " or " : ", ").append(d.get(i));
    }
    return sb.toString();
  }

  static String grouped(long n) {
    return NumberFormat.getIntegerInstance(Locale.ROOT).format(n);
  }
}
