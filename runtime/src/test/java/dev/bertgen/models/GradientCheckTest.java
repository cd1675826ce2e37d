package dev.bertgen.models;

import static com.google.common.truth.Truth.assertWithMessage;

import dev.bertgen.compute.ComputeDevice;
import dev.bertgen.layers.Dropout;
import dev.bertgen.layers.Variable;
import dev.bertgen.spec.BackboneConfig;
import dev.bertgen.testing.ReferenceBert;
import dev.bertgen.testing.TestDevices;
import dev.bertgen.training.OptimizerStep;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every backward kernel, through the whole model: the device's gradient of keras-hub's masked-LM
 * loss against central finite differences of the float64 reference forward, for sampled elements
 * of every variable, in both numeric flavors, on every device present.
 */
@Tag("devices")
class GradientCheckTest {

  /**
   * Both flavors, and a vocabulary of 2,500 (above {@code MaskedLMHead.SLICE}) so that the head's
   * input gradient is summed from several vocabulary slabs.
   */
  static Stream<Arguments> devicesAndFlavors() {
    return TestDevices.all().stream().flatMap(d -> Stream.of(Arguments.of(d, true, 53), Arguments.of(d, false, 53),
        Arguments.of(d, true, 2500)));
  }

  static final int[][] POSITIONS = {{1, 3, 0, 7}, {2, 0, 0, 0}, {5, 10, 1, 2}};
  static final int[][] LABELS = {{17, 44, 0, 31}, {52, 0, 0, 0}, {1, 3, 2, 1}};
  static final float[][] WEIGHTS = {{1, 1, 0, 1}, {1, 0, 0, 0}, {1, 1, 1, 0.5f}};

  @ParameterizedTest(name = "{0}, keras-hub flavor {1}, vocabulary {2}")
  @MethodSource("devicesAndFlavors")
  void gradientsMatchFiniteDifferences(ComputeDevice device, boolean kerasFlavor, int vocabulary) {
    BackboneConfig c = ForwardPassTest.config(kerasFlavor).withVocabularySize(vocabulary);
    BertMaskedLM mlm = ForwardPassTest.randomModel(c, 23);
    mlm.backbone().setDevice(device);
    MaskedLMInputs x = new MaskedLMInputs(ForwardPassTest.IDS, ForwardPassTest.MASK, POSITIONS, ForwardPassTest.SEGMENTS);
    int params = mlm.state().weights().layout().size();
    List<int[]> all = List.of(new int[] {0, params});
    // a1 = 0: compute the gradients, leave the parameters as they are
    mlm.backbone().runner().step(x, LABELS, WEIGHTS, Dropout.NONE, true,
        new OptimizerStep(0f, 1f, 0.9f, 0.999f, 1e-7f, 0f, 0f), all);
    float[] grad = mlm.backbone().runner().gradients();

    Map<String, float[]> w = new HashMap<>(mlm.getWeights());
    SplittableRandom r = new SplittableRandom(5);
    double worst = 0;
    String worstAt = "";
    for (Variable v : mlm.state().weights().layout().variables()) {
      if (v.path().startsWith("pooled_dense/")) {
        continue; // the masked LM does not use the pooler: its gradient is zero (checked below)
      }
      float[] values = w.get(v.path());
      List<Integer> picks = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        picks.add(r.nextInt(values.length));
      }
      if (v.path().equals("token_embedding/embeddings")) {
        picks.add(17 * c.hiddenDim() + 3); // a token that is both an input and a label
      }
      for (int i : picks) {
        double analytic = grad[v.offset() + i];
        double numeric = numericGradient(c, w, values, i);
        double err = Math.abs(analytic - numeric) / Math.max(1e-3, Math.abs(numeric));
        if (err > worst) {
          worst = err;
          worstAt = v.path() + "[" + i + "] analytic " + analytic + " numeric " + numeric;
        }
      }
    }
    assertWithMessage("worst relative gradient error at %s", worstAt).that(worst).isAtMost(2e-3);
    for (Variable v : mlm.state().weights().layout().variables()) {
      if (v.path().startsWith("pooled_dense/")) {
        for (int i = 0; i < v.size(); i++) {
          assertWithMessage("pooler gradient").that(grad[v.offset() + i]).isEqualTo(0f);
        }
      }
    }
  }

  private static double numericGradient(BackboneConfig c, Map<String, float[]> w, float[] values, int i) {
    float original = values[i];
    double h = 1e-3 * Math.max(1, Math.abs(original));
    // float parameters, float64 math: perturb with a step exactly representable in float
    float up = (float) (original + h);
    float down = (float) (original - h);
    values[i] = up;
    double lossUp = loss(c, w);
    values[i] = down;
    double lossDown = loss(c, w);
    values[i] = original;
    return (lossUp - lossDown) / ((double) up - down);
  }

  /** keras-hub's loss in float64: Σ w·CE / (batch × slots). */
  static double loss(BackboneConfig c, Map<String, float[]> w) {
    ReferenceBert ref = new ReferenceBert(c, w);
    double[][][] logits = ref.logits(ref.sequenceOutput(ForwardPassTest.IDS, ForwardPassTest.SEGMENTS,
        ForwardPassTest.MASK), POSITIONS);
    double sum = 0;
    int slots = 0;
    for (int b = 0; b < logits.length; b++) {
      for (int j = 0; j < logits[b].length; j++) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : logits[b][j]) {
          max = Math.max(max, v);
        }
        double z = 0;
        for (double v : logits[b][j]) {
          z += Math.exp(v - max);
        }
        sum += WEIGHTS[b][j] * (max + Math.log(z) - logits[b][j][LABELS[b][j]]);
        slots++;
      }
    }
    return sum / slots;
  }
}
