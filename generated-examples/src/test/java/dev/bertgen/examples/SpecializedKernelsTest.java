package dev.bertgen.examples;

import static com.google.common.truth.Truth.assertThat;

import dev.bertgen.compute.ComputeDevice;
import dev.bertgen.compute.Devices;
import dev.bertgen.examples.presets.TinyBertConfig;
import dev.bertgen.examples.presets.TinyBertMaskedLM;
import dev.bertgen.models.BertMaskedLM;
import dev.bertgen.preprocessing.MaskedLMInputs;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated kernel class (sizes as literals) computes what the runtime's generic kernel class
 * computes, on every device present.
 */
@Tag("devices")
class SpecializedKernelsTest {

  static List<ComputeDevice> devices() {
    List<ComputeDevice> out = new ArrayList<>();
    out.add(ComputeDevice.javaThreads());
    out.addAll(Devices.openCl());
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("devices")
  void specializedEqualsGeneric(ComputeDevice device) {
    TinyBertMaskedLM specialized = TinyBertMaskedLM.create(3);
    BertMaskedLM generic = BertMaskedLM.create(TinyBertConfig.SPEC, 3);
    specialized.backbone().setDevice(device);
    generic.backbone().setDevice(device);
    int[][] ids = {{101, 1996, 103, 2829, 4419, 102, 0, 0}, {101, 7592, 2088, 103, 102, 2023, 2003, 102}};
    int[][] mask = {{1, 1, 1, 1, 1, 1, 0, 0}, {1, 1, 1, 1, 1, 1, 1, 1}};
    int[][] segments = {{0, 0, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 1, 1, 1}};
    int[][] positions = {{2, 0}, {3, 6}};
    MaskedLMInputs x = new MaskedLMInputs(ids, mask, positions, segments);
    float[][][] a = specialized.predict(x);
    float[][][] b = generic.predict(x);
    assertThat(specialized.backbone().device()).isEqualTo(device);
    for (int r = 0; r < a.length; r++) {
      for (int j = 0; j < a[r].length; j++) {
        assertThat(a[r][j]).usingTolerance(1e-5).containsExactly(b[r][j]).inOrder();
      }
    }
  }
}
