package dev.bertgen.spec;

import static com.google.common.truth.Truth.assertThat;

import dev.bertgen.dsl.Activation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad preset files: each problem has its ID, file, line, column and a fix. */
class PresetYamlTest {

  static final String MINIMAL = String.join("\n",
      "name: my_bert",
      "backbone:",
      "  vocabulary_size: 100",
      "  num_layers: 2",
      "  num_heads: 2",
      "  hidden_dim: 16",
      "  intermediate_dim: 32",
      "");

  private static Problem only(PresetYaml.Result r) {
    assertThat(r.spec()).isNull();
    assertThat(r.problems()).hasSize(1);
    return r.problems().get(0);
  }

  @Test
  void minimalFileTakesKerasHubDefaults() {
    PresetYaml.Result r = PresetYaml.parse("my.yaml", MINIMAL);
    assertThat(r.problems()).isEmpty();
    PresetSpec s = r.spec();
    assertThat(s.backbone()).isEqualTo(BackboneConfig.kerasHub(100, 2, 2, 16, 32));
    assertThat(s.preprocessor()).isEqualTo(PreprocessorConfig.kerasHubDefaults());
    assertThat(s.task()).isEqualTo(TaskConfig.maskedLm());
    assertThat(s.tokenizer()).isEqualTo(TokenizerConfig.kerasHub(false, null));
    assertThat(r.defaulted()).containsAtLeast("backbone.dropout", "tokenizer", "preprocessor", "task");
  }

  @Test
  void exponentWithoutDotIsANumber() {
    PresetYaml.Result r = PresetYaml.parse("my.yaml", MINIMAL + "  layer_norm_epsilon: 1e-6\n");
    assertThat(r.problems()).isEmpty();
    assertThat(r.spec().backbone().layerNormEpsilon()).isEqualTo(1e-6);
  }

  @Test
  void malformedYamlHasLine() {
    Problem p = only(PresetYaml.parse("bad.yaml", "name: x\nbackbone:\n  num_layers: [1, 2\n  hidden_dim: 3\n"));
    assertThat(p.diagnostic()).isEqualTo(Diagnostic.MALFORMED_YAML);
    assertThat(p.source()).isEqualTo("bad.yaml");
    assertThat(p.line()).isGreaterThan(2);
    assertThat(p.render()).startsWith("[BertMalformedYaml] bad.yaml:");
    assertThat(p.message()).contains("indentation");
  }

  @Test
  void emptyFile() {
    Problem p = only(PresetYaml.parse("empty.yaml", ""));
    assertThat(p.diagnostic()).isEqualTo(Diagnostic.SCHEMA_VIOLATION);
    assertThat(p.message()).contains("empty");
  }

  @Test
  void unknownKeySuggestsTheRightOne() {
    PresetYaml.Result r = PresetYaml.parse("my.yaml", MINIMAL + "  hiden_dim: 3\n");
    Problem unknown = only(r);
    assertThat(unknown.diagnostic()).isEqualTo(Diagnostic.SCHEMA_VIOLATION);
    assertThat(unknown.line()).isEqualTo(8);
    assertThat(unknown.column()).isEqualTo(3);
    assertThat(unknown.message()).contains("unknown key 'hiden_dim' in 'backbone'; did you mean \"hidden_dim\"?");
  }

  @Test
  void misspeltRequiredKeyGivesUnknownAndMissing() {
    PresetYaml.Result r = PresetYaml.parse("my.yaml", MINIMAL.replace("num_heads", "num_head"));
    assertThat(r.problems().stream().map(Problem::message).toList()).containsExactly(
        "'backbone' needs 'num_heads'; add for example num_heads: 12",
        "unknown key 'num_head' in 'backbone'; did you mean \"num_heads\"? Known keys: [vocabulary_size, "
            + "num_layers, num_heads, hidden_dim, intermediate_dim, dropout, max_sequence_length, num_segments, "
            + "hidden_activation, layer_norm_epsilon, mlm_head_activation, mlm_head_layer_norm_epsilon]").inOrder();
  }

  @Test
  void keyInWrongSectionIsNamed() {
    PresetYaml.Result r = PresetYaml.parse("my.yaml", MINIMAL + "  sequence_length: 128\n");
    assertThat(r.problems().get(0).message()).contains("'sequence_length' belongs in the 'preprocessor' section");
  }

  @Test
  void missingRequiredKey() {
    PresetYaml.Result r = PresetYaml.parse("my.yaml", MINIMAL.replace("  num_layers: 2\n", ""));
    Problem p = only(r);
    assertThat(p.field()).isEqualTo("backbone.num_layers");
    assertThat(p.message()).isEqualTo("'backbone' needs 'num_layers'; add for example num_layers: 12");
    assertThat(p.line()).isEqualTo(3);
  }

  @Test
  void wrongTypeNamesExpectedAndFound() {
    Problem p = only(PresetYaml.parse("my.yaml", MINIMAL.replace("num_layers: 2", "num_layers: two")));
    assertThat(p.line()).isEqualTo(4);
    assertThat(p.column()).isEqualTo(15);
    assertThat(p.message()).isEqualTo("'backbone.num_layers' must be a whole number, found the text \"two\"; "
        + "write for example num_layers: 12");
  }

  @Test
  void unquotedBracketTokenIsExplained() {
    Problem p = only(PresetYaml.parse("my.yaml", MINIMAL + "tokenizer:\n  oov_token: [UNK]\n"));
    assertThat(p.field()).isEqualTo("tokenizer.oov_token");
    assertThat(p.message()).contains("put it in double quotes");
    assertThat(p.line()).isEqualTo(9);
  }

  @Test
  void duplicateKey() {
    Problem p = only(PresetYaml.parse("my.yaml", MINIMAL + "  num_layers: 3\n"));
    assertThat(p.message()).contains("appears twice (first on line 4)");
    assertThat(p.line()).isEqualTo(8);
  }

  @Test
  void badEnumSuggests() {
    Problem p = only(PresetYaml.parse("my.yaml", MINIMAL + "  hidden_activation: gelu_aproximate\n"));
    assertThat(p.message()).contains("did you mean \"gelu_approximate\"?");
  }

  @Test
  void validationProblemsPointAtTheirKey() {
    PresetYaml.Result r = PresetYaml.parse("my.yaml", MINIMAL.replace("num_heads: 2", "num_heads: 3")
        + "preprocessor:\n  sequence_length: 600\n  mask_token_rate: 0.95\n  random_token_rate: 0.1\n"
        + "  mask_selection_rate: 1.5\n");
    assertThat(r.spec()).isNull();
    List<Problem> ps = r.problems();
    assertThat(ps.stream().map(p -> p.diagnostic()).toList()).containsExactly(
        Diagnostic.HEADS_DO_NOT_DIVIDE_HIDDEN, Diagnostic.SEQUENCE_LENGTH_ABOVE_MAX,
        Diagnostic.MASK_RATES_ABOVE_ONE, Diagnostic.RATE_OUT_OF_RANGE).inOrder();
    assertThat(ps.get(0).line()).isEqualTo(5);
    assertThat(ps.get(0).message()).contains("such as 1, 2, 4, 8 or 16");
    assertThat(ps.get(1).line()).isEqualTo(9);
    assertThat(ps.get(2).line()).isEqualTo(11);
    assertThat(ps.get(3).line()).isEqualTo(12);
  }

  @Test
  void nonPositiveSizes() {
    PresetYaml.Result r = PresetYaml.parse("my.yaml", MINIMAL.replace("hidden_dim: 16", "hidden_dim: 0")
        .replace("num_layers: 2", "num_layers: -1"));
    assertThat(r.problems().stream().map(Problem::field).toList())
        .containsExactly("backbone.num_layers", "backbone.hidden_dim").inOrder();
    assertThat(r.problems().get(0).diagnostic()).isEqualTo(Diagnostic.NON_POSITIVE_SIZE);
  }

  @Test
  void declaredParamsMustMatch() {
    Problem p = only(PresetYaml.parse("my.yaml", "params: 5\n" + MINIMAL));
    assertThat(p.diagnostic()).isEqualTo(Diagnostic.PARAMETER_COUNT_MISMATCH);
    assertThat(p.line()).isEqualTo(1);
    long expected = BackboneConfig.kerasHub(100, 2, 2, 16, 32).parameterCount();
    assertThat(p.message()).contains(SpecValidator.grouped(expected));
  }

  @Test
  void bundledVocabularyMustMatchSize() {
    Problem p = only(PresetYaml.parse("my.yaml", MINIMAL + "tokenizer:\n  bundled_vocabulary: bert_en_uncased\n"));
    assertThat(p.diagnostic()).isEqualTo(Diagnostic.VOCABULARY_MISMATCH);
    assertThat(p.message()).contains("set vocabulary_size: 30522");
  }

  @Test
  void tooLargeEmbedding() {
    Problem p = only(PresetYaml.parse("my.yaml", MINIMAL.replace("vocabulary_size: 100", "vocabulary_size: 200000000")));
    assertThat(p.diagnostic()).isEqualTo(Diagnostic.TENSOR_TOO_LARGE);
  }

  @Test
  void hfFlavorSpelledOut() {
    PresetYaml.Result r = PresetYaml.parse("my.yaml", MINIMAL + "  hidden_activation: gelu\n"
        + "  mlm_head_layer_norm_epsilon: 1.0e-12\ntokenizer:\n  flavor: hugging_face\n  lowercase: true\n"
        + "  strip_accents: true\n");
    assertThat(r.problems()).isEmpty();
    assertThat(r.spec().backbone().hiddenActivation()).isEqualTo(Activation.GELU);
  }
}
