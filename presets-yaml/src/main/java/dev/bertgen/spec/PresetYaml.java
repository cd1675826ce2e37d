package dev.bertgen.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.bertgen.dsl.Activation;
import dev.bertgen.dsl.TokenizerFlavor;
import dev.bertgen.dsl.Truncation;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Reads and writes preset YAML files (schema version {@value PresetSpec#SCHEMA_VERSION}, described
 * in {@code presets-yaml/SCHEMA.md}). Reading never throws for bad input: every problem is returned
 * with its file, line and column, and a fix.
 */
public final class PresetYaml {
  private PresetYaml() {}

  /** Keys of each section, in the order files are written. */
  static final List<String> TOP_KEYS = List.of("schema_version", "name", "description", "params",
      "kaggle_handle", "task", "backbone", "tokenizer", "preprocessor");
  static final List<String> TASK_KEYS = List.of("class_name", "num_classes");
  static final List<String> BACKBONE_KEYS = List.of("vocabulary_size", "num_layers", "num_heads",
      "hidden_dim", "intermediate_dim", "dropout", "max_sequence_length", "num_segments",
      "hidden_activation", "layer_norm_epsilon", "mlm_head_activation", "mlm_head_layer_norm_epsilon");
  static final List<String> TOKENIZER_KEYS = List.of("flavor", "lowercase", "strip_accents", "split",
      "split_on_cjk", "suffix_indicator", "oov_token", "special_tokens", "vocabulary_asset",
      "bundled_vocabulary");
  static final List<String> SPECIAL_TOKEN_KEYS = List.of("cls", "sep", "pad", "mask");
  static final List<String> PREPROCESSOR_KEYS = List.of("sequence_length", "truncate",
      "mask_selection_rate", "mask_selection_length", "mask_token_rate", "random_token_rate");

  /**
   * The outcome of reading a file.
   *
   * @param spec the preset, or {@code null} when there are problems
   * @param problems every problem found, in file order
   * @param defaulted schema paths of keys the file left out, which took their defaults
   */
  public record Result(PresetSpec spec, List<Problem> problems, Set<String> defaulted) {
    public boolean ok() {
      return problems.isEmpty();
    }

    /** All problems, one per line. */
    public String describeProblems() {
      StringBuilder sb = new StringBuilder();
      for (Problem p : problems) {
        sb.append(p.render()).append('\n');
      }
      return sb.toString();
    }
  }

  /**
   * Reads a preset file and validates it ({@link SpecValidator}).
   *
   * @param source the file's name for messages, for example {@code presets/my_bert.yaml}
   * @param text the file's contents
   */
  public static Result parse(String source, String text) {
    List<Problem> problems = new ArrayList<>();
    YamlNode root;
    try (JsonParser p = new YAMLFactory().createParser(text)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        problems.add(Problem.of(Diagnostic.SCHEMA_VIOLATION, "",
            "the file is empty; a preset needs at least 'name' and a 'backbone' section with "
                + "vocabulary_size, num_layers, num_heads, hidden_dim and intermediate_dim (see SCHEMA.md)")
            .at(source, 1, 1));
        return new Result(null, problems, Set.of());
      }
      root = YamlNode.read(p);
      if (p.nextToken() != null) {
        JsonLocation loc = p.currentTokenLocation();
        problems.add(Problem.of(Diagnostic.MALFORMED_YAML, "",
            "more than one YAML document; keep one preset per file")
            .at(source, loc.getLineNr(), loc.getColumnNr()));
        return new Result(null, problems, Set.of());
      }
    } catch (YamlNode.DuplicateKeyException e) {
      problems.add(Problem.of(Diagnostic.SCHEMA_VIOLATION, e.key,
          "key '" + e.key + "' appears twice (first on line " + e.firstLine + "); remove one of them")
          .at(source, e.line, e.column));
      return new Result(null, problems, Set.of());
    } catch (JsonProcessingException e) {
      JsonLocation loc = e.getLocation();
      String msg = e.getOriginalMessage() == null ? e.getClass().getSimpleName()
          : e.getOriginalMessage().replaceAll("\\s+", " ").trim();
      problems.add(Problem.of(Diagnostic.MALFORMED_YAML, "",
          "not valid YAML: " + msg + "; check indentation (spaces only), colons after keys, and "
              + "quote values that start with '#', '[', '{' or '@'")
          .at(source, loc == null ? 0 : loc.getLineNr(), loc == null ? 0 : loc.getColumnNr()));
      return new Result(null, problems, Set.of());
    } catch (IOException e) {
      problems.add(Problem.of(Diagnostic.MALFORMED_YAML, "", "cannot read: " + e.getMessage())
          .at(source, 0, 0));
      return new Result(null, problems, Set.of());
    }

    Reader r = new Reader(source, problems);
    PresetSpec spec = r.preset(root);
    if (!problems.isEmpty()) {
      return new Result(null, sorted(problems), Set.copyOf(r.defaulted));
    }
    for (Problem p : SpecValidator.validate(spec)) {
      int[] at = r.locate(p.field());
      problems.add(p.at(source, at[0], at[1]));
    }
    return new Result(problems.isEmpty() ? spec : null, sorted(problems), Set.copyOf(r.defaulted));
  }

  private static List<Problem> sorted(List<Problem> problems) {
    List<Problem> out = new ArrayList<>(problems);
    out.sort(Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column));
    return List.copyOf(out);
  }

  /** Walks the tree, records positions of every field, collects schema problems. */
  private static final class Reader {
    final String source;
    final List<Problem> problems;
    final Map<String, int[]> positions = new HashMap<>();
    final Set<String> defaulted = new TreeSet<>();

    Reader(String source, List<Problem> problems) {
      this.source = source;
      this.problems = problems;
    }

    /** Position of a field, or of the closest enclosing section that is in the file. */
    int[] locate(String field) {
      String f = field;
      while (true) {
        int[] at = positions.get(f);
        if (at != null) {
          return at;
        }
        int dot = f.lastIndexOf('.');
        if (dot < 0) {
          return positions.getOrDefault("", new int[] {1, 1});
        }
        f = f.substring(0, dot);
      }
    }

    void problem(Diagnostic d, String field, String message, int line, int column) {
      problems.add(Problem.of(d, field, message).at(source, line, column));
    }

    PresetSpec preset(YamlNode root) {
      positions.put("", new int[] {root.line(), root.column()});
      Section top = section("", root);
      if (top == null) {
        return null;
      }
      top.known(TOP_KEYS);
      Long version = top.optLong("schema_version", (long) PresetSpec.SCHEMA_VERSION);
      if (version != null && version != PresetSpec.SCHEMA_VERSION) {
        int[] at = locate("schema_version");
        problem(Diagnostic.SCHEMA_VIOLATION, "schema_version", "schema_version " + version
            + " is not supported; this BertGen reads version " + PresetSpec.SCHEMA_VERSION
            + " (see SCHEMA.md)", at[0], at[1]);
      }
      String name = top.requiredString("name", "my_bert_en");
      String description = top.optString("description", "");
      Long params = top.optLong("params", null);
      String handle = top.optString("kaggle_handle", null);
      TaskConfig task = task(top.sub("task"));
      BackboneConfig backbone = backbone(top.sub("backbone"), top);
      TokenizerConfig tokenizer = tokenizer(top.sub("tokenizer"));
      PreprocessorConfig preprocessor = preprocessor(top.sub("preprocessor"));
      top.finish();
      if (!problems.isEmpty()) {
        return null;
      }
      return new PresetSpec(name, description, params, handle, task, backbone, tokenizer, preprocessor);
    }

    TaskConfig task(Section s) {
      if (s == null) {
        defaulted.add("task");
        return TaskConfig.maskedLm();
      }
      s.known(TASK_KEYS);
      TaskConfig.Kind kind = s.optEnum("class_name", TaskConfig.Kind.values(),
          TaskConfig.Kind::className, TaskConfig.Kind.MASKED_LM);
      Long classes = 0L;
      if (kind == TaskConfig.Kind.TEXT_CLASSIFIER && !s.has("num_classes")) {
        s.used.add("num_classes");
        s.missing("num_classes", "2");
      } else if (kind == TaskConfig.Kind.TEXT_CLASSIFIER || s.has("num_classes")) {
        classes = s.optLong("num_classes", 0L);
      }
      s.finish();
      return new TaskConfig(kind == null ? TaskConfig.Kind.MASKED_LM : kind,
          classes == null ? 0 : (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, classes)));
    }

    BackboneConfig backbone(Section s, Section top) {
      if (s == null) {
        if (!top.has("backbone")) {
          top.missing("backbone", "{vocabulary_size: 30522, num_layers: 2, num_heads: 2, "
              + "hidden_dim: 128, intermediate_dim: 512}");
        }
        return null;
      }
      s.known(BACKBONE_KEYS);
      int v = s.requiredInt("vocabulary_size", "30522");
      int l = s.requiredInt("num_layers", "12");
      int n = s.requiredInt("num_heads", "12");
      int h = s.requiredInt("hidden_dim", "768");
      int i = s.requiredInt("intermediate_dim", "3072");
      double dropout = s.optDouble("dropout", BackboneConfig.DEFAULT_DROPOUT);
      int p = s.optInt("max_sequence_length", BackboneConfig.DEFAULT_MAX_SEQUENCE_LENGTH);
      int t = s.optInt("num_segments", BackboneConfig.DEFAULT_NUM_SEGMENTS);
      Activation act = s.optEnum("hidden_activation", Activation.values(), Activation::yamlName,
          Activation.GELU_APPROXIMATE);
      double eps = s.optDouble("layer_norm_epsilon", BackboneConfig.DEFAULT_LAYER_NORM_EPSILON);
      Activation headAct = s.optEnum("mlm_head_activation", Activation.values(), Activation::yamlName,
          Activation.GELU);
      double headEps = s.optDouble("mlm_head_layer_norm_epsilon",
          BackboneConfig.KERAS_HUB_MLM_HEAD_LAYER_NORM_EPSILON);
      s.finish();
      if (act == null || headAct == null) {
        return null;
      }
      return new BackboneConfig(v, l, n, h, i, dropout, p, t, act, eps, headAct, headEps);
    }

    TokenizerConfig tokenizer(Section s) {
      TokenizerConfig d = TokenizerConfig.kerasHub(false, null);
      if (s == null) {
        defaulted.add("tokenizer");
        return d;
      }
      s.known(TOKENIZER_KEYS);
      TokenizerFlavor flavor = s.optEnum("flavor", TokenizerFlavor.values(), TokenizerFlavor::yamlName,
          TokenizerFlavor.KERAS_HUB);
      boolean lowercase = s.optBoolean("lowercase", d.lowercase());
      boolean strip = s.optBoolean("strip_accents", d.stripAccents());
      boolean split = s.optBoolean("split", d.split());
      boolean cjk = s.optBoolean("split_on_cjk", d.splitOnCjk());
      String suffix = s.optString("suffix_indicator", d.suffixIndicator());
      String oov = s.optString("oov_token", d.oovToken());
      String cls = d.clsToken();
      String sep = d.sepToken();
      String pad = d.padToken();
      String mask = d.maskToken();
      Section specials = s.sub("special_tokens");
      if (specials != null) {
        specials.known(SPECIAL_TOKEN_KEYS);
        cls = specials.optString("cls", cls);
        sep = specials.optString("sep", sep);
        pad = specials.optString("pad", pad);
        mask = specials.optString("mask", mask);
        specials.finish();
      } else {
        defaulted.add("tokenizer.special_tokens");
      }
      String asset = s.optString("vocabulary_asset", d.vocabularyAsset());
      String bundled = s.optString("bundled_vocabulary", null);
      s.finish();
      return new TokenizerConfig(flavor == null ? TokenizerFlavor.KERAS_HUB : flavor, lowercase, strip,
          split, cjk, nz(suffix), nz(oov), nz(cls), nz(sep), nz(pad), nz(mask), nz(asset), bundled);
    }

    PreprocessorConfig preprocessor(Section s) {
      PreprocessorConfig d = PreprocessorConfig.kerasHubDefaults();
      if (s == null) {
        defaulted.add("preprocessor");
        return d;
      }
      s.known(PREPROCESSOR_KEYS);
      int seq = s.optInt("sequence_length", d.sequenceLength());
      Truncation trunc = s.optEnum("truncate",
          new Truncation[] {Truncation.ROUND_ROBIN, Truncation.WATERFALL}, Truncation::yamlName,
          d.truncate());
      double rate = s.optDouble("mask_selection_rate", d.maskSelectionRate());
      int len = s.optInt("mask_selection_length", d.maskSelectionLength());
      double maskRate = s.optDouble("mask_token_rate", d.maskTokenRate());
      double randomRate = s.optDouble("random_token_rate", d.randomTokenRate());
      s.finish();
      return new PreprocessorConfig(seq, trunc == null ? d.truncate() : trunc, rate, len, maskRate,
          randomRate);
    }

    private static String nz(String s) {
      return s == null ? "" : s;
    }

    Section section(String path, YamlNode node) {
      if (node instanceof YamlNode.MapNode m) {
        return new Section(path, m);
      }
      String what = path.isEmpty() ? "the file" : "'" + path + "'";
      problem(Diagnostic.SCHEMA_VIOLATION, path, what + " must be a mapping of keys to values, found "
          + node.describe() + "; see SCHEMA.md for the layout", node.line(), node.column());
      return null;
    }

    /** One mapping of the file, with typed accessors that record problems instead of throwing. */
    final class Section {
      final String path;
      final YamlNode.MapNode map;
      final Set<String> used = new LinkedHashSet<>();
      List<String> known = List.of();

      Section(String path, YamlNode.MapNode map) {
        this.path = path;
        this.map = map;
        for (YamlNode.Entry e : map.entries().values()) {
          positions.put(field(e.key()), new int[] {e.line(), e.column()});
        }
      }

      void known(List<String> keys) {
        this.known = keys;
      }

      String field(String key) {
        return path.isEmpty() ? key : path + "." + key;
      }

      boolean has(String key) {
        return map.entries().containsKey(key);
      }

      YamlNode.Entry entry(String key) {
        used.add(key);
        YamlNode.Entry e = map.entries().get(key);
        if (e == null) {
          defaulted.add(field(key));
        }
        return e;
      }

      void missing(String key, String example) {
        String what = path.isEmpty() ? "'" + key + "' is required" : "'" + path + "' needs '" + key + "'";
        problem(Diagnostic.SCHEMA_VIOLATION, field(key), what + "; add for example " + key + ": "
            + example, map.line(), map.column());
      }

      void wrongType(YamlNode.Entry e, String expected, String example) {
        String hint = "";
        if (e.value() instanceof YamlNode.ListNode || (e.value() instanceof YamlNode.Scalar sc
            && sc.value() == null)) {
          hint = " (a value starting with '[' is a YAML list and one starting with '#' is a comment: "
              + "put it in double quotes)";
        }
        problem(Diagnostic.SCHEMA_VIOLATION, field(e.key()), "'" + field(e.key()) + "' must be "
            + expected + ", found " + e.value().describe() + hint + "; write for example " + e.key()
            + ": " + example, e.value().line(), e.value().column());
      }

      Section sub(String key) {
        YamlNode.Entry e = entry(key);
        if (e == null) {
          return null;
        }
        return section(field(key), e.value());
      }

      Long optLong(String key, Long def) {
        YamlNode.Entry e = entry(key);
        if (e == null) {
          return def;
        }
        if (e.value() instanceof YamlNode.Scalar sc && sc.value() instanceof Long l) {
          return l;
        }
        if (e.value() instanceof YamlNode.Scalar sc && sc.value() instanceof BigInteger) {
          problem(Diagnostic.SCHEMA_VIOLATION, field(key), "'" + field(key) + "' is too large ("
              + sc.text() + ")", sc.line(), sc.column());
          return def;
        }
        wrongType(e, "a whole number", "12");
        return def;
      }

      int requiredInt(String key, String example) {
        if (!has(key)) {
          used.add(key);
          missing(key, example);
          return 0;
        }
        return optInt(key, 0);
      }

      int optInt(String key, int def) {
        YamlNode.Entry e = entry(key);
        if (e == null) {
          return def;
        }
        if (e.value() instanceof YamlNode.Scalar sc && sc.value() instanceof Long l) {
          if (l > Integer.MAX_VALUE || l < Integer.MIN_VALUE) {
            problem(Diagnostic.SCHEMA_VIOLATION, field(key), "'" + field(key) + "' is out of range ("
                + l + "); it must fit in a Java int", sc.line(), sc.column());
            return def;
          }
          return (int) (long) l;
        }
        wrongType(e, "a whole number", "12");
        return def;
      }

      double optDouble(String key, double def) {
        YamlNode.Entry e = entry(key);
        if (e == null) {
          return def;
        }
        if (e.value() instanceof YamlNode.Scalar sc) {
          if (sc.value() instanceof Number num) {
            return num.doubleValue();
          }
          if (sc.value() instanceof String str) {
            // YAML 1.1 reads 1e-12 (no dot) as text: accept it as the number it means
            try {
              return Double.parseDouble(str.trim());
            } catch (NumberFormatException ignored) {
              // reported below
            }
          }
        }
        wrongType(e, "a number", "0.1");
        return def;
      }

      boolean optBoolean(String key, boolean def) {
        YamlNode.Entry e = entry(key);
        if (e == null) {
          return def;
        }
        if (e.value() instanceof YamlNode.Scalar sc && sc.value() instanceof Boolean b) {
          return b;
        }
        wrongType(e, "true or false", "true");
        return def;
      }

      String requiredString(String key, String example) {
        if (!has(key)) {
          used.add(key);
          missing(key, example);
          return "";
        }
        String s = optString(key, "");
        return s == null ? "" : s;
      }

      String optString(String key, String def) {
        YamlNode.Entry e = entry(key);
        if (e == null) {
          return def;
        }
        if (e.value() instanceof YamlNode.Scalar sc && sc.value() instanceof String s) {
          return s;
        }
        if (def == null && e.value() instanceof YamlNode.Scalar sc && sc.value() == null) {
          return null; // an explicit null for an optional text
        }
        wrongType(e, "text", "\"[UNK]\"");
        return def;
      }

      <E> E optEnum(String key, E[] values, Function<E, String> spelling, E def) {
        YamlNode.Entry e = entry(key);
        if (e == null) {
          return def;
        }
        List<String> names = Arrays.stream(values).map(spelling).toList();
        if (e.value() instanceof YamlNode.Scalar sc && sc.value() instanceof String s) {
          for (E v : values) {
            if (spelling.apply(v).equals(s)) {
              return v;
            }
          }
          problem(Diagnostic.SCHEMA_VIOLATION, field(key), "'" + field(key) + "' cannot be \"" + s
              + "\"" + Suggestions.didYouMean(s, names) + " It must be one of " + names,
              sc.line(), sc.column());
          return null;
        }
        wrongType(e, "one of " + names, names.get(0));
        return null;
      }

      /** Reports keys the schema does not know. */
      void finish() {
        for (YamlNode.Entry e : map.entries().values()) {
          if (!known.contains(e.key())) {
            String where = path.isEmpty() ? "at the top level" : "in '" + path + "'";
            String section = sectionOf(e.key());
            String hint = section != null && !section.equals(path.isEmpty() ? "top level" : path)
                ? "; '" + e.key() + "' belongs in the '" + section + "' section"
                : Suggestions.didYouMean(e.key(), known);
            problem(Diagnostic.SCHEMA_VIOLATION, field(e.key()), "unknown key '" + e.key() + "' "
                + where + hint + " Known keys: " + known, e.line(), e.column());
          }
        }
      }
    }
  }

  private static String sectionOf(String key) {
    if (BACKBONE_KEYS.contains(key)) {
      return "backbone";
    }
    if (TOKENIZER_KEYS.contains(key)) {
      return "tokenizer";
    }
    if (PREPROCESSOR_KEYS.contains(key)) {
      return "preprocessor";
    }
    if (TASK_KEYS.contains(key)) {
      return "task";
    }
    if (TOP_KEYS.contains(key)) {
      return "top level";
    }
    return null;
  }

  /** Writes a preset in canonical form: every key, in schema order. {@link #parse} reads it back equal. */
  public static String write(PresetSpec s) {
    StringBuilder y = new StringBuilder();
    y.append("# BertGen preset, schema version ").append(PresetSpec.SCHEMA_VERSION)
        .append(" (see SCHEMA.md in bertgen-presets)\n");
    y.append("schema_version: ").append(PresetSpec.SCHEMA_VERSION).append('\n');
    y.append("name: ").append(q(s.name())).append('\n');
    y.append("description: ").append(q(s.description())).append('\n');
    if (s.params() != null) {
      y.append("params: ").append(s.params()).append('\n');
    }
    if (s.kaggleHandle() != null) {
      y.append("kaggle_handle: ").append(q(s.kaggleHandle())).append('\n');
    }
    y.append("task:\n  class_name: ").append(s.task().kind().className()).append('\n');
    if (s.task().kind() == TaskConfig.Kind.TEXT_CLASSIFIER) {
      y.append("  num_classes: ").append(s.task().numClasses()).append('\n');
    }
    BackboneConfig b = s.backbone();
    y.append("backbone:\n");
    y.append("  vocabulary_size: ").append(b.vocabularySize()).append('\n');
    y.append("  num_layers: ").append(b.numLayers()).append('\n');
    y.append("  num_heads: ").append(b.numHeads()).append('\n');
    y.append("  hidden_dim: ").append(b.hiddenDim()).append('\n');
    y.append("  intermediate_dim: ").append(b.intermediateDim()).append('\n');
    y.append("  dropout: ").append(num(b.dropout())).append('\n');
    y.append("  max_sequence_length: ").append(b.maxSequenceLength()).append('\n');
    y.append("  num_segments: ").append(b.numSegments()).append('\n');
    y.append("  hidden_activation: ").append(b.hiddenActivation().yamlName()).append('\n');
    y.append("  layer_norm_epsilon: ").append(num(b.layerNormEpsilon())).append('\n');
    y.append("  mlm_head_activation: ").append(b.mlmHeadActivation().yamlName()).append('\n');
    y.append("  mlm_head_layer_norm_epsilon: ").append(num(b.mlmHeadLayerNormEpsilon())).append('\n');
    TokenizerConfig t = s.tokenizer();
    y.append("tokenizer:\n");
    y.append("  flavor: ").append(t.flavor().yamlName()).append('\n');
    y.append("  lowercase: ").append(t.lowercase()).append('\n');
    y.append("  strip_accents: ").append(t.stripAccents()).append('\n');
    y.append("  split: ").append(t.split()).append('\n');
    y.append("  split_on_cjk: ").append(t.splitOnCjk()).append('\n');
    y.append("  suffix_indicator: ").append(q(t.suffixIndicator())).append('\n');
    y.append("  oov_token: ").append(q(t.oovToken())).append('\n');
    y.append("  special_tokens:\n");
    y.append("    cls: ").append(q(t.clsToken())).append('\n');
    y.append("    sep: ").append(q(t.sepToken())).append('\n');
    y.append("    pad: ").append(q(t.padToken())).append('\n');
    y.append("    mask: ").append(q(t.maskToken())).append('\n');
    y.append("  vocabulary_asset: ").append(q(t.vocabularyAsset())).append('\n');
    y.append("  bundled_vocabulary: ")
        .append(t.bundledVocabulary() == null ? "null" : q(t.bundledVocabulary())).append('\n');
    PreprocessorConfig p = s.preprocessor();
    y.append("preprocessor:\n");
    y.append("  sequence_length: ").append(p.sequenceLength()).append('\n');
    y.append("  truncate: ").append(p.truncate().yamlName()).append('\n');
    y.append("  mask_selection_rate: ").append(num(p.maskSelectionRate())).append('\n');
    y.append("  mask_selection_length: ").append(p.maskSelectionLength()).append('\n');
    y.append("  mask_token_rate: ").append(num(p.maskTokenRate())).append('\n');
    y.append("  random_token_rate: ").append(num(p.randomTokenRate())).append('\n');
    return y.toString();
  }

  /** A double-quoted YAML string. */
  private static String q(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  /** A number YAML 1.1 reads back as the same double. */
  private static String num(double d) {
    String s = Double.toString(d);
    if (s.contains("E") && !s.contains("E-")) {
      s = s.replace("E", "E+");
    }
    return s;
  }
}
