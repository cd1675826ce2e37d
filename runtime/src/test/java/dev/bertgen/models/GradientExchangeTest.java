package dev.bertgen.models;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import dev.bertgen.compute.ComputeDevice;
import dev.bertgen.preprocessing.MaskedLMInputs;
import dev.bertgen.spec.BackboneConfig;
import dev.bertgen.testing.TestDevices;
import dev.bertgen.training.CompileOptions;
import dev.bertgen.training.GradientExchange;
import dev.bertgen.training.Optimizers;
import dev.bertgen.training.ParameterRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The seam between backward and the optimizer update ({@link GradientExchange}): what the exchange
 * leaves in the gradients is exactly what the update applies, and the ranges it sees are the ones
 * that train.
 */
class GradientExchangeTest {

  static List<ComputeDevice> devices() {
    return TestDevices.all();
  }

  private static final BackboneConfig CONFIG = ForwardPassTest.config(true);

  private static BertMaskedLM model(ComputeDevice device) {
    BertMaskedLM mlm = ForwardPassTest.randomModel(CONFIG, 31);
    mlm.backbone().setDevice(device);
    mlm.setDropoutRate(0);
    mlm.compile(new CompileOptions(Optimizers.adam(1e-2)));
    return mlm;
  }

  /** Batch A: the test batch; batch B: the same tokens with other labels. */
  private static MaskedLMInputs inputs() {
    return new MaskedLMInputs(ForwardPassTest.IDS, ForwardPassTest.MASK, GradientCheckTest.POSITIONS,
        ForwardPassTest.SEGMENTS);
  }

  private static final int[][] LABELS_B = {{3, 4, 0, 5}, {6, 0, 0, 0}, {7, 8, 9, 10}};

  @ParameterizedTest(name = "{0}")
  @MethodSource("devices")
  void theUpdateAppliesTheExchangedGradients(ComputeDevice device) {
    // the gradients of batch B, from a model in the same state
    BertMaskedLM probe = model(device);
    double lossB = probe.trainOnBatch(inputs(), LABELS_B, GradientCheckTest.WEIGHTS).get("loss");
    float[] gradientsB = probe.backbone().onDevice().gradients();

    BertMaskedLM trainedOnB = model(device);
    trainedOnB.trainOnBatch(inputs(), LABELS_B, GradientCheckTest.WEIGHTS);

    // a step on batch A whose exchange replaces A's gradients by B's updates as a step on B does
    BertMaskedLM exchanged = model(device);
    List<List<ParameterRange>> seen = new ArrayList<>();
    exchanged.setGradientExchange((gradients, ranges) -> {
      seen.add(ranges);
      for (ParameterRange r : ranges) {
        System.arraycopy(gradientsB, r.offset(), gradients, r.offset(), r.length());
      }
    });
    Map<String, Double> metrics = exchanged.trainOnBatch(inputs(), GradientCheckTest.LABELS,
        GradientCheckTest.WEIGHTS);
    assertThat(seen).hasSize(1);
    assertWithMessage("the loss is batch A's").that(metrics.get("loss"))
        .isNotWithin(1e-6).of(lossB);
    Map<String, float[]> expected = trainedOnB.getWeights();
    for (Map.Entry<String, float[]> e : exchanged.getWeights().entrySet()) {
      assertWithMessage(e.getKey()).that(e.getValue()).usingExactEquality().containsExactly(expected.get(e.getKey()))
          .inOrder();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("devices")
  void anExchangeThatKeepsTheGradientsChangesNothing(ComputeDevice device) {
    BertMaskedLM local = model(device);
    local.trainOnBatch(inputs(), GradientCheckTest.LABELS, GradientCheckTest.WEIGHTS);
    BertMaskedLM roundTrip = model(device);
    roundTrip.setGradientExchange((gradients, ranges) -> {});
    roundTrip.trainOnBatch(inputs(), GradientCheckTest.LABELS, GradientCheckTest.WEIGHTS);
    Map<String, float[]> expected = local.getWeights();
    for (Map.Entry<String, float[]> e : roundTrip.getWeights().entrySet()) {
      assertWithMessage(e.getKey()).that(e.getValue()).usingExactEquality().containsExactly(expected.get(e.getKey()))
          .inOrder();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("devices")
  void aFrozenBackboneExchangesOnlyTheHead(ComputeDevice device) {
    BertMaskedLM mlm = model(device);
    mlm.backbone().setTrainable(false);
    List<ParameterRange> seen = new ArrayList<>();
    mlm.setGradientExchange((gradients, ranges) -> seen.addAll(ranges));
    mlm.trainOnBatch(inputs(), GradientCheckTest.LABELS, GradientCheckTest.WEIGHTS);
    long head = mlm.parameterCount() - mlm.backbone().parameterCount();
    assertThat(ParameterRange.total(seen)).isEqualTo(head);
  }
}
