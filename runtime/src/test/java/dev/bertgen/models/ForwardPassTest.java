package dev.bertgen.models;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.bertgen.compute.ComputeDevice;
import dev.bertgen.dsl.Activation;
import dev.bertgen.layers.ModelWeights;
import dev.bertgen.layers.Variable;
import dev.bertgen.preprocessing.MaskedLMInputs;
import dev.bertgen.spec.BackboneConfig;
import dev.bertgen.testing.ReferenceBert;
import dev.bertgen.testing.TestDevices;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The kernels' forward pass against the float64 reference on small random models, in both numeric
 * flavors, on every device present (Java threads always; PoCL where installed).
 */
@org.junit.jupiter.api.Tag("devices")
class ForwardPassTest {

  static Stream<Arguments> devicesAndFlavors() {
    return TestDevices.all().stream().flatMap(d -> Stream.of(Arguments.of(d, true), Arguments.of(d, false)));
  }

  /** 2 layers, 3 heads of 6 (not a multiple of 4), hidden 18, intermediate 40, vocabulary 53. */
  static BackboneConfig config(boolean kerasFlavor) {
    BackboneConfig keras = new BackboneConfig(53, 2, 3, 18, 40, 0.0, 16, 2,
        Activation.GELU_APPROXIMATE, 1e-12, Activation.GELU, 1e-5);
    return kerasFlavor ? keras : keras.withNumerics(Activation.GELU, 1e-12, Activation.GELU, 1e-12);
  }

  /** A model with every variable random, biases and norms included. */
  static BertMaskedLM randomModel(BackboneConfig c, long seed) {
    BertMaskedLM mlm = BertMaskedLM.create(CustomPresets.of("test", c), seed);
    ModelWeights w = mlm.state().weights();
    SplittableRandom r = new SplittableRandom(seed);
    for (Variable v : w.layout().variables()) {
      float[] values = w.get(v.path());
      for (int i = 0; i < values.length; i++) {
        values[i] = switch (v.init()) {
          case ONES -> 1f + (float) (0.2 * r.nextGaussian());
          case ZEROS -> (float) (0.1 * r.nextGaussian());
          case TRUNCATED_NORMAL -> (float) (0.3 * r.nextGaussian());
        };
      }
      w.set(v.path(), values);
    }
    return mlm;
  }

  static final int[][] IDS = {
    {2, 17, 5, 44, 3, 9, 31, 3, 0, 0, 0},
    {2, 8, 52, 3, 0, 0, 0, 0, 0, 0, 0},
    {2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 3},
  };
  static final int[][] SEGMENTS = {
    {0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0},
    {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
    {0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1},
  };
  static final int[][] MASK = {
    {1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0},
    {1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0},
    {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1},
  };
  static final int[][] POSITIONS = {{1, 3, 0, 7}, {2, 0, 0, 0}, {5, 10, 1, 2}};

  @ParameterizedTest(name = "{0}, keras-hub flavor {1}")
  @MethodSource("devicesAndFlavors")
  void matchesFloat64Reference(ComputeDevice device, boolean kerasFlavor) {
    BackboneConfig c = config(kerasFlavor);
    BertMaskedLM mlm = randomModel(c, 11);
    mlm.backbone().setDevice(device);
    ReferenceBert ref = new ReferenceBert(c, mlm.getWeights());
    double[][][] seq = ref.sequenceOutput(IDS, SEGMENTS, MASK);

    BackboneOutputs out = mlm.backbone().call(IDS, SEGMENTS, MASK);
    assertThat(mlm.backbone().device()).isEqualTo(device);
    assertWithMessage("sequence_output").that(ReferenceBert.relativeError(out.sequenceOutput(), seq)).isAtMost(1e-5);
    assertWithMessage("pooled_output").that(ReferenceBert.relativeError(out.pooledOutput(), ref.pooled(seq)))
        .isAtMost(1e-5);

    float[][][] logits = mlm.predict(new MaskedLMInputs(IDS, MASK, POSITIONS, SEGMENTS));
    double[][][] refLogits = ref.logits(seq, POSITIONS);
    assertThat(logits.length).isEqualTo(3);
    assertThat(logits[0].length).isEqualTo(4);
    assertThat(logits[0][0].length).isEqualTo(53);
    assertWithMessage("logits").that(ReferenceBert.relativeError(logits, refLogits)).isAtMost(1e-5);
    for (int b = 0; b < 3; b++) {
      for (int j = 0; j < 4; j++) {
        assertWithMessage("argmax [%s][%s]", b, j).that(argmax(logits[b][j])).isEqualTo(argmax(refLogits[b][j]));
      }
    }
  }

  @Test
  void badInputsNameTheEntryAndTheFix() {
    BertMaskedLM mlm = randomModel(config(true), 3);
    mlm.backbone().setDevice(ComputeDevice.javaThreads());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> mlm.backbone().call(new int[][] {{2, 53}}, new int[][] {{0, 0}}, new int[][] {{1, 1}}));
    assertThat(e).hasMessageThat().isEqualTo("tokenIds[0][1] = 53 is not a token id of this model "
        + "(vocabulary_size 53); use ids from its tokenizer");
    e = assertThrows(IllegalArgumentException.class,
        () -> mlm.backbone().call(new int[][] {{2, 5}, {2}}, new int[][] {{0, 0}, {0}}, new int[][] {{1, 1}, {1}}));
    assertThat(e).hasMessageThat().contains("tokenIds[1] has length 1 but tokenIds[0] has 2");
    e = assertThrows(IllegalArgumentException.class,
        () -> mlm.backbone().call(new int[][] {new int[17]}, new int[][] {new int[17]}, new int[][] {new int[17]}));
    assertThat(e).hasMessageThat().contains("sequence length 17 is above max_sequence_length 16");
    e = assertThrows(IllegalArgumentException.class,
        () -> mlm.predict(new MaskedLMInputs(new int[][] {{2, 5}}, new int[][] {{1, 1}}, new int[][] {{2}},
            new int[][] {{0, 0}})));
    assertThat(e).hasMessageThat().contains("maskPositions[0][0] is 2, outside the sequence [0, 2)");
    e = assertThrows(IllegalArgumentException.class,
        () -> mlm.backbone().call(new int[][] {{2, 5}}, new int[][] {{0, 2}}, new int[][] {{1, 1}}));
    assertThat(e).hasMessageThat().contains("segmentIds[0][1] = 2 is outside [0, 2)");
  }

  @Test
  void repeatedCallsAndGrowingBatchesAgree() {
    BackboneConfig c = config(true);
    BertMaskedLM mlm = randomModel(c, 5);
    mlm.backbone().setDevice(ComputeDevice.javaThreads());
    BackboneOutputs small = mlm.backbone().call(new int[][] {IDS[1]}, new int[][] {SEGMENTS[1]}, new int[][] {MASK[1]});
    BackboneOutputs big = mlm.backbone().call(IDS, SEGMENTS, MASK);
    for (int s = 0; s < IDS[1].length; s++) {
      assertThat(big.sequenceOutput()[1][s]).usingTolerance(1e-6).containsExactly(small.sequenceOutput()[0][s]).inOrder();
    }
  }

  static int argmax(float[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }

  static int argmax(double[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }

  static List<ComputeDevice> devices() {
    return TestDevices.all();
  }
}
