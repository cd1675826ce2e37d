package dev.bertgen.models;

import static com.google.common.truth.Truth.assertWithMessage;

import dev.bertgen.compute.ComputeDevice;
import dev.bertgen.layers.Dropout;
import dev.bertgen.layers.Variable;
import dev.bertgen.preprocessing.MaskedLMInputs;
import dev.bertgen.spec.BackboneConfig;
import dev.bertgen.testing.ReferenceBert;
import dev.bertgen.testing.TestDevices;
import dev.bertgen.training.GradientExchange;
import dev.bertgen.training.OptimizerStep;
import dev.bertgen.training.ParameterRange;
import dev.bertgen.training.StepResult;
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
   * Both flavors, a vocabulary of 2,500 (above {@code MaskedLMHead.SLICE} and
   * {@code BertKernels.CE_SLICE}) so that the head's input gradient is summed from several vocabulary
   * slabs and the loss from several slices, and 12 mask slots of which 9 carry weight, so that the
   * head computes only the gathered weighted rows (16 of 36).
   */
  static Stream<Arguments> devicesAndFlavors() {
    return TestDevices.all().stream().flatMap(d -> Stream.of(Arguments.of(d, true, 53, 4, 1),
        Arguments.of(d, false, 53, 4, 1), Arguments.of(d, true, 2500, 4, 1), Arguments.of(d, true, 2500, 12, 1),
        Arguments.of(d, true, 53, 4, 5)));
  }

  /** The backward pass that recomputes the feed-forward activation (large batches) instead of keeping it. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.bertgen.testing.TestDevices#all")
  void gradientsMatchWhenActivationsAreRecomputed(ComputeDevice device) {
    System.setProperty("bertgen.keepActivations", "false");
    try {
      gradientsMatchFiniteDifferences(device, true, 53, 4, 1);
    } finally {
      System.clearProperty("bertgen.keepActivations");
    }
  }

  /** The batch {@code copies} times over (5 copies: 165 tokens, so the weight gradients are split in two parts). */
  static int[][] repeated(int[][] rows, int copies) {
    int[][] out = new int[rows.length * copies][];
    for (int i = 0; i < out.length; i++) {
      out[i] = rows[i % rows.length].clone();
    }
    return out;
  }

  static float[][] repeated(float[][] rows, int copies) {
    float[][] out = new float[rows.length * copies][];
    for (int i = 0; i < out.length; i++) {
      out[i] = rows[i % rows.length].clone();
    }
    return out;
  }

  /** One batch: model inputs and keras-hub's labels and sample weights. */
  record Batch(int[][] ids, int[][] segments, int[][] mask, int[][] positions, int[][] labels, float[][] weights) {
    static Batch of(int slots, int copies) {
      return new Batch(repeated(ForwardPassTest.IDS, copies), repeated(ForwardPassTest.SEGMENTS, copies),
          repeated(ForwardPassTest.MASK, copies), repeated(padded(POSITIONS, slots, 0), copies),
          repeated(padded(LABELS, slots, 0), copies), repeated(padded(WEIGHTS, slots), copies));
    }
  }

  static final int[][] POSITIONS = {{1, 3, 0, 7}, {2, 0, 0, 0}, {5, 10, 1, 2}};
  static final int[][] LABELS = {{17, 44, 0, 31}, {52, 0, 0, 0}, {1, 3, 2, 1}};
  static final float[][] WEIGHTS = {{1, 1, 0, 1}, {1, 0, 0, 0}, {1, 1, 1, 0.5f}};

  /** The first {@code slots} columns of {@code values}, padded with {@code pad}. */
  static int[][] padded(int[][] values, int slots, int pad) {
    int[][] out = new int[values.length][slots];
    for (int b = 0; b < values.length; b++) {
      java.util.Arrays.fill(out[b], pad);
      System.arraycopy(values[b], 0, out[b], 0, values[b].length);
    }
    return out;
  }

  static float[][] padded(float[][] values, int slots) {
    float[][] out = new float[values.length][slots];
    for (int b = 0; b < values.length; b++) {
      System.arraycopy(values[b], 0, out[b], 0, values[b].length);
    }
    return out;
  }

  @ParameterizedTest(name = "{0}, keras-hub flavor {1}, vocabulary {2}, {3} mask slots, batch x {4}")
  @MethodSource("devicesAndFlavors")
  void gradientsMatchFiniteDifferences(ComputeDevice device, boolean kerasFlavor, int vocabulary, int slots,
      int copies) {
    BackboneConfig c = ForwardPassTest.config(kerasFlavor).withVocabularySize(vocabulary);
    checkGradients(device, c, Batch.of(slots, copies));
  }

  /**
   * More head rows than tokens: 16 weighted mask slots per row of 11 tokens (positions may repeat),
   * so the head's 48 rows outgrow every per-token buffer of the backward pass.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.bertgen.testing.TestDevices#all")
  void gradientsMatchWithMoreMaskSlotsThanTokens(ComputeDevice device) {
    int slots = 16;
    float[][] ones = new float[POSITIONS.length][slots];
    for (float[] row : ones) {
      java.util.Arrays.fill(row, 1f);
    }
    Batch batch = new Batch(ForwardPassTest.IDS, ForwardPassTest.SEGMENTS, ForwardPassTest.MASK,
        padded(POSITIONS, slots, 0), padded(LABELS, slots, 0), ones);
    checkGradients(device, ForwardPassTest.config(true).withVocabularySize(53), batch);
  }

  private static void checkGradients(ComputeDevice device, BackboneConfig c, Batch batch) {
    BertMaskedLM mlm = ForwardPassTest.randomModel(c, 23);
    mlm.backbone().setDevice(device);
    MaskedLMInputs x = new MaskedLMInputs(batch.ids(), batch.mask(), batch.positions(), batch.segments());
    int[][] labels = batch.labels();
    float[][] weights = batch.weights();
    int params = mlm.state().weights().layout().size();
    List<ParameterRange> all = ParameterRange.all(params);
    // a1 = 0: compute the gradients, leave the parameters as they are
    StepResult result = mlm.onDevice().step(x, labels, weights, Dropout.NONE, true,
        new OptimizerStep(0f, 1f, 0.9f, 0.999f, 1e-7f, 0f, 0f), all, false, GradientExchange.LOCAL);
    double expectedLoss = loss(c, mlm.getWeights(), batch);
    assertWithMessage("loss").that(result.loss()).isWithin(1e-5 * expectedLoss).of(expectedLoss);
    float[] grad = mlm.backbone().onDevice().gradients();

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
        double numeric = numericGradient(c, w, values, i, batch);
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

  @org.junit.jupiter.api.Test
  void headComputesWeightedSlotsInWholeBlocks() {
    assertWithMessage("9 of 36").that(MaskedLMRunner.headRows(9, 36)).isEqualTo(16);
    assertWithMessage("17 of 160").that(MaskedLMRunner.headRows(17, 160)).isEqualTo(32);
    assertWithMessage("none of 160").that(MaskedLMRunner.headRows(0, 160)).isEqualTo(16);
    assertWithMessage("9 of 12: no saving").that(MaskedLMRunner.headRows(9, 12)).isEqualTo(12);
    assertWithMessage("150 of 160").that(MaskedLMRunner.headRows(150, 160)).isEqualTo(160);
  }

  private static double numericGradient(BackboneConfig c, Map<String, float[]> w, float[] values, int i,
      Batch batch) {
    float original = values[i];
    double h = 1e-3 * Math.max(1, Math.abs(original));
    // float parameters, float64 math: perturb with a step exactly representable in float
    float up = (float) (original + h);
    float down = (float) (original - h);
    values[i] = up;
    double lossUp = loss(c, w, batch);
    values[i] = down;
    double lossDown = loss(c, w, batch);
    values[i] = original;
    return (lossUp - lossDown) / ((double) up - down);
  }

  /** keras-hub's loss in float64: Σ w·CE / (batch × slots). */
  static double loss(BackboneConfig c, Map<String, float[]> w) {
    return loss(c, w, Batch.of(4, 1));
  }

  static double loss(BackboneConfig c, Map<String, float[]> w, Batch batch) {
    ReferenceBert ref = new ReferenceBert(c, w);
    double[][][] logits = ref.logits(ref.sequenceOutput(batch.ids(), batch.segments(), batch.mask()),
        batch.positions());
    int[][] labels = batch.labels();
    float[][] weights = batch.weights();
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
        sum += weights[b][j] * (max + Math.log(z) - logits[b][j][labels[b][j]]);
        slots++;
      }
    }
    return sum / slots;
  }
}
