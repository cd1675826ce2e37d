package dev.bertgen.models;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bertgen.compute.ComputeDevice;
import dev.bertgen.compute.KernelFactory;
import dev.bertgen.layers.Dropout;
import dev.bertgen.layers.ModelWeights;
import dev.bertgen.layers.TaskHead;
import dev.bertgen.layers.Variable;
import dev.bertgen.layers.VariableLayout;
import dev.bertgen.preprocessing.PackedInputs;
import dev.bertgen.spec.BackboneConfig;
import dev.bertgen.testing.ReferenceBert;
import dev.bertgen.testing.ReferenceFixtures;
import dev.bertgen.testing.TestDevices;
import dev.bertgen.training.GradientExchange;
import dev.bertgen.training.OptimizerStep;
import dev.bertgen.training.Optimizers;
import dev.bertgen.training.ParameterRange;
import dev.bertgen.training.StepResult;
import io.jhdf.HdfFile;
import java.nio.file.Path;
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
 * The text classifier's head on the device: its backward against central finite differences of a
 * float64 reference (pooler, classifier dropout, logits, keras' loss), and its forward and one Adam
 * step against keras-hub's own {@code BertTextClassifier}, on every device present.
 */
@Tag("devices")
class TextClassifierRunnerTest {
  private static final int[][] IDS = ForwardPassTest.IDS;
  private static final int[][] SEGMENTS = ForwardPassTest.SEGMENTS;
  private static final int[][] MASK = ForwardPassTest.MASK;
  private static final int[] LABELS = {2, 0, 1};
  private static final float[] WEIGHTS = {1f, 0.5f, 1f};
  private static final int CLASSES = 3;
  private static final int SEED = 41;
  private static final int STEP = 9;

  static Stream<Arguments> cases() {
    return TestDevices.all().stream().flatMap(d -> Stream.of(
        Arguments.of(d, true, 0f, true), Arguments.of(d, false, 0f, true),
        Arguments.of(d, true, 0.3f, true), Arguments.of(d, true, 0.3f, false)));
  }

  @ParameterizedTest(name = "{0}, keras-hub flavor {1}, classifier dropout {2}, backbone trains {3}")
  @MethodSource("cases")
  void gradientsMatchFiniteDifferences(ComputeDevice device, boolean kerasFlavor, float dropout,
      boolean trainBackbone) {
    BackboneConfig c = ForwardPassTest.config(kerasFlavor);
    ModelState state = randomState(c, 29);
    BertBackbone backbone = new BertBackbone(state, KernelFactory.generic());
    backbone.setDevice(device);
    TextClassifierRunner runner = new TextClassifierRunner(backbone.onDevice(), CLASSES);
    PackedInputs x = new PackedInputs(IDS, MASK, SEGMENTS);
    int params = state.weights().layout().size();
    Dropout classifierDropout = dropout > 0 ? new Dropout(dropout, SEED, STEP) : Dropout.NONE;
    // a1 = 0: compute the gradients, leave the parameters as they are
    StepResult result = runner.step(x, LABELS, WEIGHTS, Dropout.NONE, classifierDropout, trainBackbone,
        new OptimizerStep(0f, 1f, 0.9f, 0.999f, 1e-7f, 0f, 0f), ParameterRange.all(params), false,
        GradientExchange.LOCAL);
    Map<String, float[]> w = new HashMap<>(backbone.getWeights());
    w.putAll(state.weights().toMap(false));
    double expected = loss(c, w, dropout);
    assertWithMessage("loss").that(result.loss()).isWithin(1e-5 * expected).of(expected);
    float[] grad = backbone.onDevice().gradients();
    SplittableRandom r = new SplittableRandom(5);
    double worst = 0;
    String worstAt = "";
    for (Variable v : state.weights().layout().variables()) {
      boolean head = !v.backbone();
      if (!head && !trainBackbone) {
        for (int i = 0; i < v.size(); i++) {
          assertWithMessage("frozen backbone: gradient of %s", v.path()).that(grad[v.offset() + i]).isEqualTo(0f);
        }
        continue;
      }
      float[] values = w.get(v.path());
      List<Integer> picks = new ArrayList<>();
      for (int i = 0; i < (head || v.path().startsWith("pooled_dense/") ? 12 : 4); i++) {
        picks.add(r.nextInt(values.length));
      }
      for (int i : picks) {
        double analytic = grad[v.offset() + i];
        float original = values[i];
        double h = 1e-3 * Math.max(1, Math.abs(original));
        float up = (float) (original + h);
        float down = (float) (original - h);
        values[i] = up;
        double lossUp = loss(c, w, dropout);
        values[i] = down;
        double lossDown = loss(c, w, dropout);
        values[i] = original;
        double numeric = (lossUp - lossDown) / ((double) up - down);
        double err = Math.abs(analytic - numeric) / Math.max(1e-3, Math.abs(numeric));
        if (err > worst) {
          worst = err;
          worstAt = v.path() + "[" + i + "] analytic " + analytic + " numeric " + numeric;
        }
      }
    }
    assertWithMessage("worst relative gradient error at %s", worstAt).that(worst).isAtMost(2e-3);
    backbone.close();
  }

  /** keras' loss in float64: Σ w·CE / batch, with the device's classifier dropout mask. */
  private static double loss(BackboneConfig c, Map<String, float[]> w, float dropout) {
    ReferenceBert ref = new ReferenceBert(c, w);
    double[][] pooled = ref.pooled(ref.sequenceOutput(IDS, SEGMENTS, MASK));
    int h = c.hiddenDim();
    float[] kernel = w.get(VariableLayout.CLASSIFIER_KERNEL);
    float[] bias = w.get(VariableLayout.CLASSIFIER_BIAS);
    double sum = 0;
    for (int b = 0; b < pooled.length; b++) {
      double[] logits = new double[CLASSES];
      for (int k = 0; k < CLASSES; k++) {
        double acc = bias[k];
        for (int i = 0; i < h; i++) {
          acc += pooled[b][i] * keep(dropout, b * h + i) * kernel[i * CLASSES + k];
        }
        logits[k] = acc;
      }
      double max = Double.NEGATIVE_INFINITY;
      for (double l : logits) {
        max = Math.max(max, l);
      }
      double z = 0;
      for (double l : logits) {
        z += Math.exp(l - max);
      }
      sum += WEIGHTS[b] * (max + Math.log(z) - logits[LABELS[b]]);
    }
    return sum / pooled.length;
  }

  /** The dropout kernel's scale for element {@code e} of the classifier dropout (its hash, in Java). */
  private static double keep(float rate, int e) {
    if (rate == 0f) {
      return 1;
    }
    int stream = 7;
    int hsh = SEED ^ (STEP * 0x632BE5AB) ^ (stream * 0x5BD1E995) ^ (e * 0x27D4EB2F);
    hsh = hsh ^ (hsh >>> 15);
    hsh = hsh * 0x2C1B3C6D;
    hsh = hsh ^ (hsh >>> 12);
    hsh = hsh * 0x297A2D39;
    hsh = hsh ^ (hsh >>> 15);
    float u = (hsh >>> 8) * 5.9604645e-8f;
    return u >= rate ? 1f / (1f - rate) : 0f;
  }

  /** A classifier whose every variable is random, biases and norms included. */
  private static ModelState randomState(BackboneConfig c, long seed) {
    ModelState state = ModelState.initialize(Specialization.generic(CustomPresets.of("test", c)), seed,
        TaskHead.textClassifier(CLASSES));
    ModelWeights w = state.weights();
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
    return state;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.bertgen.testing.TestDevices#all")
  void matchesKerasHubForwardAndOneAdamStep(ComputeDevice device) throws Exception {
    Path dir = ReferenceFixtures.kerasClassifierPreset();
    JsonNode f = ReferenceFixtures.kerasClassifierFixture();
    ModelState state = ModelState.load(dir.toString(), PresetOptions.defaults(), null,
        TaskHead.textClassifier(CLASSES));
    try (HdfFile h5 = new HdfFile(dir.resolve("task.weights.h5"))) {
      state.weights().set(VariableLayout.CLASSIFIER_KERNEL,
          flatten((float[][]) h5.getDatasetByPath("layers/dense/vars/0").getData()));
      state.weights().set(VariableLayout.CLASSIFIER_BIAS, (float[]) h5.getDatasetByPath("layers/dense/vars/1").getData());
    }
    BertBackbone backbone = new BertBackbone(state, KernelFactory.generic());
    backbone.setDevice(device);
    TextClassifierRunner runner = new TextClassifierRunner(backbone.onDevice(), CLASSES);
    JsonNode in = f.get("inputs");
    PackedInputs x = new PackedInputs(FixtureForwardTest.ints(in.get("token_ids")),
        FixtureForwardTest.ints(in.get("padding_mask")), FixtureForwardTest.ints(in.get("segment_ids")));
    assertWithMessage("logits").that(relativeError(runner.logits(x), f.get("logits"))).isAtMost(1e-5);

    JsonNode ts = f.get("train_step");
    int[] labels = FixtureForwardTest.ints1(f.get("labels"));
    float[] ones = new float[labels.length];
    java.util.Arrays.fill(ones, 1f);
    OptimizerStep step = Optimizers.adam(ts.get("learning_rate").asDouble())
        .withEpsilon(ts.get("epsilon").asDouble()).step(1);
    StepResult r = runner.step(x, labels, ones, Dropout.NONE, Dropout.NONE, true, step,
        ParameterRange.all(state.weights().layout().size()), false, GradientExchange.LOCAL);
    double loss = ts.get("metrics").get("loss").asDouble();
    assertWithMessage("loss").that(r.loss()).isWithin(1e-5 * loss).of(loss);
    assertWithMessage("accuracy").that(r.correctSum() / labels.length)
        .isWithin(1e-9).of(ts.get("metrics").get("sparse_categorical_accuracy").asDouble());
    Map<String, float[]> after = new HashMap<>(backbone.getWeights());
    after.putAll(state.weights().toMap(false));
    ts.get("after_step").fields().forEachRemaining(e -> {
      float[] got = after.get(e.getKey());
      assertWithMessage("variable %s", e.getKey()).that(got).isNotNull();
      double num = 0;
      double den = 0;
      for (int i = 0; i < e.getValue().size(); i++) {
        double want = e.getValue().get(i).asDouble();
        num += (got[i] - want) * (got[i] - want);
        den += want * want;
      }
      assertWithMessage("%s after the step", e.getKey()).that(Math.sqrt(num / den)).isAtMost(1e-4);
    });
    assertWithMessage("logits after the step").that(relativeError(runner.logits(x), f.get("logits_after_step")))
        .isAtMost(1e-4);
    backbone.close();
  }

  private static float[] flatten(float[][] m) {
    int cols = m[0].length;
    float[] out = new float[m.length * cols];
    for (int i = 0; i < m.length; i++) {
      System.arraycopy(m[i], 0, out, i * cols, cols);
    }
    return out;
  }

  /** Normwise relative error of {@code got} against the fixture's rows. */
  static double relativeError(float[][] got, JsonNode want) {
    assertThat(got.length).isEqualTo(want.size());
    double num = 0;
    double den = 0;
    for (int b = 0; b < got.length; b++) {
      assertThat(got[b].length).isEqualTo(want.get(b).size());
      for (int k = 0; k < got[b].length; k++) {
        double w = want.get(b).get(k).asDouble();
        num += (got[b][k] - w) * (got[b][k] - w);
        den += w * w;
      }
    }
    return Math.sqrt(num / den);
  }
}
