package dev.bertgen.models;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bertgen.compute.ComputeDevice;
import dev.bertgen.preprocessing.MaskedLMInputs;
import dev.bertgen.testing.ReferenceFixtures;
import dev.bertgen.testing.TestDevices;
import dev.bertgen.training.CompileOptions;
import dev.bertgen.training.Optimizers;
import dev.bertgen.training.StepResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One training step against the step keras-hub and PyTorch took on the same model and batch: the
 * loss, the metric, and parameters after the update, on every device present.
 */
@Tag("devices")
class TrainStepFixtureTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static List<ComputeDevice> devices() {
    return TestDevices.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("devices")
  void kerasHubTrainOnBatch(ComputeDevice device) throws IOException {
    Path dir = ReferenceFixtures.kerasPreset();
    JsonNode f = JSON.readTree(dir.resolveSibling("fixture.json").toFile());
    JsonNode ts = f.get("train_step");
    BertMaskedLM mlm = BertMaskedLM.fromPreset(dir.toString());
    mlm.backbone().setDevice(device);
    mlm.compile(CompileOptions.builder().optimizer(Optimizers.adam(ts.get("learning_rate").asDouble())
        .withEpsilon(ts.get("epsilon").asDouble())).build());
    JsonNode in = f.get("inputs");
    MaskedLMInputs x = new MaskedLMInputs(FixtureForwardTest.ints(in.get("token_ids")),
        FixtureForwardTest.ints(in.get("padding_mask")), FixtureForwardTest.ints(in.get("mask_positions")),
        FixtureForwardTest.ints(in.get("segment_ids")));
    Map<String, Double> m = mlm.trainOnBatch(x, FixtureForwardTest.ints(f.get("labels")),
        floats(f.get("sample_weight")));
    assertThat(mlm.backbone().device()).isEqualTo(device);
    double loss = ts.get("metrics").get("loss").asDouble();
    assertWithMessage("loss").that(m.get("loss")).isWithin(1e-4 * loss).of(loss);
    assertWithMessage("accuracy").that(m.get("sparse_categorical_accuracy"))
        .isWithin(1e-6).of(ts.get("metrics").get("sparse_categorical_accuracy").asDouble());
    Map<String, float[]> after = mlm.getWeights();
    ts.get("after_step").fields().forEachRemaining(e -> {
      double[] want = doubles(e.getValue());
      double[] before = doubles(ts.get("before_step").get(e.getKey()));
      float[] got = after.get(e.getKey());
      assertWithMessage("variable %s", e.getKey()).that(got).isNotNull();
      compare(e.getKey(), got, want, before);
    });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("devices")
  void huggingFaceAdamStep(ComputeDevice device) throws IOException {
    Path dir = ReferenceFixtures.huggingFace();
    JsonNode f = JSON.readTree(dir.resolve("fixture.json").toFile());
    JsonNode ts = f.get("train_step");
    BertMaskedLM mlm = BertMaskedLM.fromPreset(dir.toString());
    mlm.backbone().setDevice(device);
    mlm.setDropoutRate(0); // the reference step was taken with dropout off
    mlm.compile(CompileOptions.builder().optimizer(Optimizers.adam(ts.get("lr").asDouble())
        .withEpsilon(ts.get("adam_eps").asDouble()).withPyTorchEpsilon()).build());
    int[][] ids = FixtureForwardTest.ints(f.get("input_ids"));
    int[][] masked = FixtureForwardTest.ints(ts.get("masked_input_ids"));
    int[] at = FixtureForwardTest.ints1(ts.get("mask_positions"));
    int[][] positions = new int[ids.length][at.length];
    int[][] labels = new int[ids.length][at.length];
    float[][] weights = new float[ids.length][at.length];
    for (int b = 0; b < ids.length; b++) {
      for (int j = 0; j < at.length; j++) {
        positions[b][j] = at[j];
        labels[b][j] = ids[b][at[j]];
        weights[b][j] = 1f;
      }
    }
    MaskedLMInputs x = new MaskedLMInputs(masked, FixtureForwardTest.ints(f.get("attention_mask")), positions,
        FixtureForwardTest.ints(f.get("token_type_ids")));
    StepResult r = mlm.trainStep(x, labels, weights);
    double loss = ts.get("loss").asDouble();
    assertWithMessage("loss").that(r.loss()).isWithin(1e-4 * loss).of(loss);
    double norm = ts.get("global_grad_norm").asDouble();
    assertWithMessage("global gradient norm").that(r.gradientNorm()).isWithin(1e-4 * norm).of(norm);
    Map<String, float[]> after = mlm.getWeights();
    int h = mlm.backbone().config().hiddenDim();
    int in = mlm.backbone().config().intermediateDim();
    JsonNode a = ts.get("after_step");
    compare("embeddings LayerNorm gamma", after.get("embeddings_layer_norm/gamma"),
        doubles(a.get("bert.embeddings.LayerNorm.weight")), null);
    // Hugging Face stores kernels (out, in); the first 32 values are output 0's first 32 inputs
    compare("layer 0 query kernel", column(after.get("transformer_layer_0/self_attention_layer/query/kernel"), h, 32),
        doubles(a.get("bert.encoder.layer.0.attention.self.query.weight")), null);
    compare("layer 1 output kernel", column(after.get("transformer_layer_1/feedforward_output_dense/kernel"), h, 32),
        doubles(a.get("bert.encoder.layer.1.output.dense.weight")), null);
    compare("head dense kernel", column(after.get("mlm_head/intermediate_dense/kernel"), h, 32),
        doubles(a.get("cls.predictions.transform.dense.weight")), null);
    compare("output bias", after.get("mlm_head/output_bias"), doubles(a.get("cls.predictions.bias")), null);
    assertThat(in).isGreaterThan(0);
  }

  /** Keras kernel (in, out) column 0, first {@code n} inputs: Hugging Face's row 0. */
  private static float[] column(float[] kernel, int out, int n) {
    float[] c = new float[n];
    for (int i = 0; i < n; i++) {
      c[i] = kernel[i * out];
    }
    return c;
  }

  /** Normwise relative error ≤ 1e-4 on the values; and on the update itself when {@code before} is given. */
  private static void compare(String what, float[] got, double[] want, double[] before) {
    double num = 0;
    double den = 0;
    double dnum = 0;
    double dden = 0;
    for (int i = 0; i < want.length; i++) {
      double d = got[i] - want[i];
      num += d * d;
      den += want[i] * want[i];
      if (before != null) {
        double step = want[i] - before[i];
        double ours = got[i] - before[i];
        dnum += (ours - step) * (ours - step);
        dden += step * step;
      }
    }
    assertWithMessage("%s after the step", what).that(Math.sqrt(num / den)).isAtMost(1e-4);
    if (before != null && dden > 0) {
      // the values are rounded to 7 decimals: the update itself is checked to 2 %
      assertWithMessage("%s: the update", what).that(Math.sqrt(dnum / dden)).isAtMost(2e-2);
    }
  }

  static double[] doubles(JsonNode n) {
    double[] out = new double[n.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = n.get(i).asDouble();
    }
    return out;
  }

  static float[][] floats(JsonNode n) {
    float[][] out = new float[n.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = new float[n.get(i).size()];
      for (int j = 0; j < out[i].length; j++) {
        out[i][j] = (float) n.get(i).get(j).asDouble();
      }
    }
    return out;
  }
}
