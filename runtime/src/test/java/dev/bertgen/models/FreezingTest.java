package dev.bertgen.models;

import static com.google.common.truth.Truth.assertWithMessage;

import dev.bertgen.compute.ComputeDevice;
import dev.bertgen.preprocessing.MaskedLMInputs;
import dev.bertgen.testing.TestDevices;
import dev.bertgen.training.CompileOptions;
import dev.bertgen.training.Optimizers;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code backbone().setTrainable(false)} freezes what keras-hub freezes: the whole backbone,
 * the tied token embedding included; the head's dense, LayerNorm and output bias still train.
 */
@Tag("devices")
class FreezingTest {

  static List<ComputeDevice> devices() {
    return TestDevices.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("devices")
  void frozenBackboneStepChangesOnlyTheHead(ComputeDevice device) {
    BertMaskedLM mlm = ForwardPassTest.randomModel(ForwardPassTest.config(true), 31);
    mlm.backbone().setDevice(device);
    mlm.compile(new CompileOptions(Optimizers.adam(1e-2)));
    MaskedLMInputs x = new MaskedLMInputs(ForwardPassTest.IDS, ForwardPassTest.MASK, GradientCheckTest.POSITIONS,
        ForwardPassTest.SEGMENTS);

    mlm.backbone().setTrainable(false);
    Map<String, float[]> before = mlm.getWeights();
    mlm.trainOnBatch(x, GradientCheckTest.LABELS, GradientCheckTest.WEIGHTS);
    Map<String, float[]> after = mlm.getWeights();
    for (String path : before.keySet()) {
      boolean changed = !Arrays.equals(before.get(path), after.get(path));
      assertWithMessage("%s changed with the backbone frozen", path).that(changed)
          .isEqualTo(path.startsWith("mlm_head/"));
    }
    assertWithMessage("head variables").that(before.keySet().stream().filter(p -> p.startsWith("mlm_head/")))
        .containsExactly("mlm_head/intermediate_dense/kernel", "mlm_head/intermediate_dense/bias",
            "mlm_head/intermediate_layer_norm/gamma", "mlm_head/intermediate_layer_norm/beta",
            "mlm_head/output_bias");

    mlm.backbone().setTrainable(true);
    mlm.trainOnBatch(x, GradientCheckTest.LABELS, GradientCheckTest.WEIGHTS);
    Map<String, float[]> trained = mlm.getWeights();
    for (String path : before.keySet()) {
      boolean changed = !Arrays.equals(after.get(path), trained.get(path));
      // The masked LM never reads the pooler, so keras gives it no gradient and no update.
      assertWithMessage("%s changed with the backbone trainable", path).that(changed)
          .isEqualTo(!path.startsWith("pooled_dense/"));
    }
  }
}
