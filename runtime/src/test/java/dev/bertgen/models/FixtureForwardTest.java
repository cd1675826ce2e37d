package dev.bertgen.models;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bertgen.compute.ComputeDevice;
import dev.bertgen.dsl.Activation;
import dev.bertgen.preprocessing.MaskedLMInputs;
import dev.bertgen.testing.ReferenceBert;
import dev.bertgen.testing.ReferenceFixtures;
import dev.bertgen.testing.TestDevices;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The acceptance check of the forward pass: the fixtures made by keras-hub and by Hugging Face
 * transformers, loaded from their own files and run on every device present, reproduce the
 * reference outputs to a relative error of 1e-5 with every argmax equal.
 */
@Tag("devices")
class FixtureForwardTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Prints the measured error (for the record) and returns it. */
  private static double report(String fixture, String what, ComputeDevice device, double error) {
    System.out.printf("%s %-24s on %-60s relative error %.2e%n", fixture, what, device, error);
    return error;
  }

  static List<ComputeDevice> devices() {
    return TestDevices.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("devices")
  void kerasHubPreset(ComputeDevice device) throws IOException {
    Path dir = ReferenceFixtures.kerasPreset();
    JsonNode f = JSON.readTree(dir.resolveSibling("fixture.json").toFile());
    BertMaskedLM mlm = BertMaskedLM.fromPreset(dir.toString());
    mlm.backbone().setDevice(device);
    assertThat(mlm.backbone().config().hiddenActivation()).isEqualTo(Activation.GELU_APPROXIMATE);
    JsonNode in = f.get("inputs");
    int[][] ids = ints(in.get("token_ids"));
    int[][] mask = ints(in.get("padding_mask"));
    int[][] segments = ints(in.get("segment_ids"));
    int[][] positions = ints(in.get("mask_positions"));

    BackboneOutputs out = mlm.backbone().call(ids, segments, mask);
    assertThat(mlm.backbone().device()).isEqualTo(device);
    assertWithMessage("sequence_output").that(report("keras-hub", "sequence_output", device,
        ReferenceBert.relativeError(out.sequenceOutput(), doubles3(f.get("sequence_output"))))).isAtMost(1e-5);
    assertWithMessage("pooled_output").that(report("keras-hub", "pooled_output", device,
        ReferenceBert.relativeError(out.pooledOutput(), doubles2(f.get("pooled_output"))))).isAtMost(1e-5);

    float[][][] logits = mlm.predict(new MaskedLMInputs(ids, mask, positions, segments));
    float[][] firstSlot = new float[logits.length][];
    for (int b = 0; b < logits.length; b++) {
      firstSlot[b] = logits[b][0];
    }
    assertWithMessage("logits of mask slot 0").that(report("keras-hub", "logits_first_mask_slot", device,
        ReferenceBert.relativeError(firstSlot, doubles2(f.get("logits_first_mask_slot"))))).isAtMost(1e-5);
    assertThat(argmax(logits)).isEqualTo(ints(f.get("logits_argmax")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("devices")
  void huggingFaceCheckpoint(ComputeDevice device) throws IOException {
    Path dir = ReferenceFixtures.huggingFace();
    JsonNode f = JSON.readTree(dir.resolve("fixture.json").toFile());
    BertMaskedLM mlm = BertMaskedLM.fromPreset(dir.toString());
    mlm.backbone().setDevice(device);
    assertThat(mlm.backbone().config().hiddenActivation()).isEqualTo(Activation.GELU);
    assertThat(mlm.backbone().config().mlmHeadLayerNormEpsilon()).isEqualTo(1e-12);
    int[][] ids = ints(f.get("input_ids"));
    int[][] mask = ints(f.get("attention_mask"));
    int[][] segments = ints(f.get("token_type_ids"));

    BackboneOutputs out = mlm.backbone().call(ids, segments, mask);
    assertWithMessage("sequence_output").that(report("hugging-face", "sequence_output", device,
        ReferenceBert.relativeError(out.sequenceOutput(), doubles3(f.get("sequence_output"))))).isAtMost(1e-5);

    int[][] positions = new int[ids.length][];
    int[] at = ints1(f.get("logits_positions"));
    for (int b = 0; b < ids.length; b++) {
      positions[b] = at.clone();
    }
    float[][][] logits = mlm.predict(new MaskedLMInputs(ids, mask, positions, segments));
    assertWithMessage("logits").that(report("hugging-face", "logits", device,
        ReferenceBert.relativeError(logits, doubles3(f.get("logits"))))).isAtMost(1e-5);

    assertThat(argmax(mlm.predict(new MaskedLMInputs(ids, mask, everyPosition(ids), segments))))
        .isEqualTo(ints(f.get("logits_argmax")));

    int[][] pairIds = ints(f.get("pair_input_ids"));
    int[][] pairMask = new int[pairIds.length][pairIds[0].length];
    for (int b = 0; b < pairIds.length; b++) {
      for (int s = 0; s < pairIds[b].length; s++) {
        pairMask[b][s] = pairIds[b][s] == 0 ? 0 : 1;
      }
    }
    assertThat(argmax(mlm.predict(new MaskedLMInputs(pairIds, pairMask, everyPosition(pairIds),
        ints(f.get("pair_token_type_ids")))))).isEqualTo(ints(f.get("pair_logits_argmax")));
  }

  private static int[][] everyPosition(int[][] ids) {
    int[][] p = new int[ids.length][ids[0].length];
    for (int b = 0; b < ids.length; b++) {
      for (int s = 0; s < ids[0].length; s++) {
        p[b][s] = s;
      }
    }
    return p;
  }

  static int[][] argmax(float[][][] logits) {
    int[][] out = new int[logits.length][logits[0].length];
    for (int b = 0; b < logits.length; b++) {
      for (int j = 0; j < logits[b].length; j++) {
        out[b][j] = ForwardPassTest.argmax(logits[b][j]);
      }
    }
    return out;
  }

  static int[] ints1(JsonNode n) {
    int[] out = new int[n.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = n.get(i).asInt();
    }
    return out;
  }

  static int[][] ints(JsonNode n) {
    int[][] out = new int[n.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = ints1(n.get(i));
    }
    return out;
  }

  static double[][] doubles2(JsonNode n) {
    double[][] out = new double[n.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = new double[n.get(i).size()];
      for (int j = 0; j < out[i].length; j++) {
        out[i][j] = n.get(i).get(j).asDouble();
      }
    }
    return out;
  }

  static double[][][] doubles3(JsonNode n) {
    double[][][] out = new double[n.size()][][];
    for (int i = 0; i < out.length; i++) {
      out[i] = doubles2(n.get(i));
    }
    return out;
  }
}
