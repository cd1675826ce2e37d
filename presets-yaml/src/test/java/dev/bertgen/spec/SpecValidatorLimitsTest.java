package dev.bertgen.spec;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Sizes so large that their tensors would not fit a Java array, or that overflow int or long
 * arithmetic: each is refused at once (no loop over the value, no overflow), with one problem that
 * names the key, the value and the limit.
 */
class SpecValidatorLimitsTest {
  private static final int MAX = Integer.MAX_VALUE;
  private static final String ARRAY_LIMIT = "2,147,483,639";

  private static BackboneConfig base() {
    return BackboneConfig.kerasHub(30522, 12, 12, 768, 3072);
  }

  private static BackboneConfig with(int vocab, int layers, int heads, int hidden, int intermediate, int positions,
      int segments) {
    BackboneConfig b = base();
    return new BackboneConfig(vocab, layers, heads, hidden, intermediate, b.dropout(), positions, segments,
        b.hiddenActivation(), b.layerNormEpsilon(), b.mlmHeadActivation(), b.mlmHeadLayerNormEpsilon());
  }

  /** The problems of {@code b}, which must come within a second. */
  private static List<Problem> problems(BackboneConfig b) {
    List<Problem> out = assertTimeoutPreemptively(Duration.ofSeconds(1), () -> SpecValidator.validateBackbone(b));
    assertThat(out).isNotEmpty();
    for (Problem p : out) {
      assertThat(p.message()).doesNotContain("\n");
    }
    return out;
  }

  private static Problem only(BackboneConfig b) {
    List<Problem> out = problems(b);
    assertThat(out).hasSize(1);
    return out.get(0);
  }

  @Test
  void hiddenDimOfIntMaxIsRefusedAtOnceNamingTheLimit() {
    Problem p = only(with(30522, 12, 12, MAX, 3072, 512, 2));
    assertThat(p.diagnostic()).isEqualTo(Diagnostic.TENSOR_TOO_LARGE);
    assertThat(p.field()).isEqualTo("backbone.hidden_dim");
    assertThat(p.message()).contains("hidden_dim 2,147,483,647 is above 46,340");
    assertThat(p.message()).contains(ARRAY_LIMIT);
  }

  /** 2^31 − 1 is prime: listing the head counts that divide it used to count up to it (and overflow). */
  @Test
  void primeHiddenDimListsItsDivisorsAtOnce() {
    List<Problem> out = problems(with(30522, 12, 12, MAX, 3072, 512, 2).withVocabularySize(1));
    assertThat(out.get(0).diagnostic()).isEqualTo(Diagnostic.TENSOR_TOO_LARGE);
    Problem heads = only(with(1, 1, 12, 46337, 1, 1, 1));
    assertThat(heads.diagnostic()).isEqualTo(Diagnostic.HEADS_DO_NOT_DIVIDE_HIDDEN);
    assertThat(heads.message()).contains("such as 1 or 46,337");
  }

  @Test
  void everySizeHasALimitNamedWithItsKey() {
    String[][] cases = {
      {"vocabulary_size", "(vocabulary_size 2,147,483,647 × hidden_dim 768), more than one Java array can"},
      {"intermediate_dim", "(intermediate_dim 2,147,483,647 × hidden_dim 768), more than one Java array can"},
      {"max_sequence_length", "(max_sequence_length 2,147,483,647 × hidden_dim 768), more than one Java array can"},
      {"num_segments", "(num_segments 2,147,483,647 × hidden_dim 768), more than one Java array can"},
    };
    BackboneConfig[] configs = {
      with(MAX, 12, 12, 768, 3072, 512, 2),
      with(30522, 12, 12, 768, MAX, 512, 2),
      with(30522, 12, 12, 768, 3072, MAX, 2),
      with(30522, 12, 12, 768, 3072, 512, MAX),
    };
    for (int i = 0; i < cases.length; i++) {
      Problem p = only(configs[i]);
      assertThat(p.diagnostic()).isEqualTo(Diagnostic.TENSOR_TOO_LARGE);
      assertThat(p.field()).isEqualTo("backbone." + cases[i][0]);
      assertThat(p.message()).contains(cases[i][1]);
      assertThat(p.message()).contains(ARRAY_LIMIT);
      assertThat(p.message()).contains("use at most 2,796,202 for " + cases[i][0]);
    }
  }

  @Test
  void numLayersOfIntMaxIsRefusedNamingTheLargestThatFits() {
    Problem p = only(with(30522, MAX, 12, 768, 3072, 512, 2));
    assertThat(p.diagnostic()).isEqualTo(Diagnostic.TENSOR_TOO_LARGE);
    assertThat(p.field()).isEqualTo("backbone.num_layers");
    assertThat(p.message()).contains("num_layers 2,147,483,647 is above 299");
    assertThat(p.message()).contains(ARRAY_LIMIT);
  }

  @Test
  void numHeadsAboveHiddenDimIsRefusedQuickly() {
    Problem p = only(with(30522, 12, MAX, 768, 3072, 512, 2));
    assertThat(p.diagnostic()).isEqualTo(Diagnostic.HEADS_DO_NOT_DIVIDE_HIDDEN);
    assertThat(p.message()).contains("num_heads 2,147,483,647 does not divide hidden_dim 768");
  }

  @Test
  void everySizeAtIntMaxAtOnceGivesProblemsNotExceptions() {
    List<Problem> out = problems(with(MAX, MAX, MAX, MAX, MAX, MAX, MAX));
    assertThat(out.get(0).diagnostic()).isEqualTo(Diagnostic.TENSOR_TOO_LARGE);
  }

  /** The whole parameter arena (backbone and masked-LM head) is one float array. */
  @Test
  void totalParametersAboveOneArrayAreRefused() {
    Problem p = only(with(1_073_000, 1, 1, 2000, 1, 512, 2));
    assertThat(p.field()).isEqualTo("backbone.vocabulary_size");
    assertThat(p.message()).contains("vocabulary_size 1,073,000 is above 1,060,680");
    assertThat(p.message()).contains("2,172,135,001 parameters");
    assertThat(p.message()).contains(ARRAY_LIMIT);
  }

  /** Four attention kernels, the pooler's and the head's: 6 × hidden_dim² must fit with the rest. */
  @Test
  void hiddenDimThatFitsOneMatrixButNotOneLayerNamesTheLargestThatFits() {
    Problem p = only(with(2, 1, 1, 46340, 1, 1, 1));
    assertThat(p.field()).isEqualTo("backbone.hidden_dim");
    assertThat(p.message()).contains("hidden_dim 46,340 is above 18,916");
    assertThat(p.message()).contains(ARRAY_LIMIT);
  }

  @Test
  void largestSizesThatFitAreAccepted() {
    assertThat(SpecValidator.validateBackbone(with(2, 1, 1, 18916, 1, 1, 1))).isEmpty();
    assertThat(SpecValidator.validateBackbone(with(2, 1, 1, 18917, 1, 1, 1))).isNotEmpty();
    assertThat(SpecValidator.validateBackbone(with(30522, 299, 12, 768, 3072, 512, 2))).isEmpty();
    assertThat(SpecValidator.validateBackbone(base())).isEmpty();
  }

  @Test
  void parameterCountsDoNotOverflowSilently() {
    BackboneConfig huge = with(MAX, MAX, 1, MAX, MAX, MAX, MAX);
    ArithmeticException e = assertThrows(ArithmeticException.class, huge::parameterCount);
    assertThat(e).hasMessageThat().contains("hidden_dim=2147483647");
    assertThat(base().parameterCount()).isEqualTo(109_482_240L);
    assertThat(with(MAX, 1, 1, MAX, 1, 1, 1).maskedLmHeadParameterCount()).isGreaterThan(0L);
  }

  @Test
  void maskSelectionLengthWhoseLogitsWouldNotFitAnArrayIsRefused() {
    PresetYaml.Result r = PresetYaml.parse("my.yaml", PresetYamlTest.MINIMAL
        + "preprocessor:\n  sequence_length: 128\n  mask_selection_length: 2147483647\n");
    assertThat(r.spec()).isNull();
    Problem p = r.problems().get(0);
    assertThat(p.field()).isEqualTo("preprocessor.mask_selection_length");
    assertThat(p.diagnostic()).isEqualTo(Diagnostic.TENSOR_TOO_LARGE);
    assertThat(p.message()).contains("mask_selection_length 2,147,483,647 is above 21,474,836");
    assertThat(p.message()).contains(ARRAY_LIMIT);
  }

  /** keras-hub keeps its default 96 mask slots whatever the sequence length; so does BertGen. */
  @Test
  void moreMaskSlotsThanPositionsAreAccepted() {
    PresetYaml.Result r = PresetYaml.parse("my.yaml", PresetYamlTest.MINIMAL
        + "  max_sequence_length: 16\npreprocessor:\n  sequence_length: 16\n  mask_selection_length: 96\n");
    assertThat(r.problems()).isEmpty();
  }

  /** The same limits through a YAML file, at the key's line. */
  @Test
  void yamlWithIntMaxHiddenDimIsRefusedAtItsLine() {
    PresetYaml.Result r = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> PresetYaml.parse("my.yaml",
        PresetYamlTest.MINIMAL.replace("hidden_dim: 16", "hidden_dim: 2147483647")));
    assertThat(r.spec()).isNull();
    Problem p = r.problems().get(0);
    assertThat(p.diagnostic()).isEqualTo(Diagnostic.TENSOR_TOO_LARGE);
    assertThat(p.line()).isEqualTo(6);
    assertThat(p.message()).contains("hidden_dim 2,147,483,647 is above 46,340");
  }

  /** Keys can be named as the file being validated names them (Hugging Face's config.json). */
  @Test
  void keysCanBeNamedAsAnotherFormatNamesThem() {
    Problem p = SpecValidator.validateBackbone(with(30522, 12, 12, MAX, 3072, 512, 2),
        k -> k.equals("hidden_dim") ? "hidden_size" : k).get(0);
    assertThat(p.message()).contains("hidden_size 2,147,483,647 is above 46,340");
    assertThat(p.message()).doesNotContain("hidden_dim");
  }
}
