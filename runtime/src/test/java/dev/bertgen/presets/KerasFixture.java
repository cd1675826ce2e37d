package dev.bertgen.presets;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bertgen.compute.ComputeDevice;
import dev.bertgen.models.BertMaskedLM;
import dev.bertgen.preprocessing.MaskedLMInputs;
import dev.bertgen.testing.ReferenceBert;
import dev.bertgen.testing.ReferenceFixtures;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/** The keras-hub reference fixture's inputs and logits, to check that a loaded model reproduces them. */
final class KerasFixture {
  private KerasFixture() {}

  /** The keras-hub preset directory (the test is skipped without it). */
  static Path preset() {
    return ReferenceFixtures.kerasPreset();
  }

  /**
   * The relative error of {@code mlm}'s logits of mask slot 0 against keras-hub's
   * {@code logits_first_mask_slot}, run on Java threads.
   */
  static double logitsError(BertMaskedLM mlm) {
    JsonNode f = ReferenceFixtures.json(preset().resolveSibling("fixture.json"));
    JsonNode in = f.get("inputs");
    mlm.backbone().setDevice(ComputeDevice.javaThreads());
    float[][][] logits = mlm.predict(new MaskedLMInputs(ints(in.get("token_ids")), ints(in.get("padding_mask")),
        ints(in.get("mask_positions")), ints(in.get("segment_ids"))));
    float[][] first = new float[logits.length][];
    for (int b = 0; b < logits.length; b++) {
      first[b] = logits[b][0];
    }
    JsonNode expected = f.get("logits_first_mask_slot");
    double[][] e = new double[expected.size()][];
    for (int b = 0; b < e.length; b++) {
      e[b] = new double[expected.get(b).size()];
      for (int j = 0; j < e[b].length; j++) {
        e[b][j] = expected.get(b).get(j).asDouble();
      }
    }
    return ReferenceBert.relativeError(first, e);
  }

  /** True when both models have the same variables with bit-identical values. */
  static boolean sameWeights(BertMaskedLM a, BertMaskedLM b) {
    Map<String, float[]> wa = a.getWeights();
    Map<String, float[]> wb = b.getWeights();
    if (!wa.keySet().equals(wb.keySet())) {
      return false;
    }
    for (Map.Entry<String, float[]> e : wa.entrySet()) {
      float[] x = e.getValue();
      float[] y = wb.get(e.getKey());
      if (x.length != y.length) {
        return false;
      }
      for (int i = 0; i < x.length; i++) {
        if (Float.floatToRawIntBits(x[i]) != Float.floatToRawIntBits(y[i])) {
          return false;
        }
      }
    }
    return true;
  }

  static int[][] ints(JsonNode n) {
    int[][] out = new int[n.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = new int[n.get(i).size()];
      for (int j = 0; j < out[i].length; j++) {
        out[i][j] = n.get(i).get(j).asInt();
      }
    }
    return out;
  }

  static String describe(float[] v) {
    return Arrays.toString(Arrays.copyOf(v, Math.min(4, v.length)));
  }
}
