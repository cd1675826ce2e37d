package dev.bertgen.models;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.bertgen.compute.ComputeDevice;
import dev.bertgen.preprocessing.MaskedLMBatch;
import dev.bertgen.presets.PresetException;
import dev.bertgen.testing.TestDevices;
import dev.bertgen.training.CompileOptions;
import dev.bertgen.training.FitOptions;
import dev.bertgen.training.History;
import dev.bertgen.training.NonFiniteLossException;
import dev.bertgen.training.OptimizerState;
import dev.bertgen.training.Optimizers;
import dev.bertgen.training.TrainingListener;
import dev.bertgen.training.Verbosity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A diverging run (keras' TerminateOnNaN): the first batch with a NaN or infinite loss or gradient
 * norm stops training before the optimizer touches the weights.
 */
class DivergenceTest {

  static List<ComputeDevice> devices() {
    return TestDevices.all();
  }

  private static BertMaskedLM diverging(ComputeDevice device) {
    BertMaskedLM mlm = TinyTextModels.model(5);
    mlm.backbone().setDevice(device);
    mlm.setDropoutRate(0);
    mlm.compile(new CompileOptions(Optimizers.adam(1e9)));
    return mlm;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("devices")
  void fitStopsAtTheFirstNonFiniteLossBeforeTheUpdate(ComputeDevice device) {
    BertMaskedLM mlm = diverging(device);
    List<Map<String, float[]>> weightsAfterEachBatch = new ArrayList<>();
    List<OptimizerState> optimizerAfterEachBatch = new ArrayList<>();
    FitOptions options = FitOptions.builder().verbosity(Verbosity.SILENT).batchSize(4).epochs(5)
        .listener(new TrainingListener() {
          @Override
          public void onBatchEnd(int epoch, int step, Map<String, Double> logs) {
            assertThat(logs.get("loss")).isNotNaN();
            weightsAfterEachBatch.add(mlm.getWeights());
            optimizerAfterEachBatch.add(mlm.optimizerState());
          }
        }).build();
    NonFiniteLossException e = assertThrows(NonFiniteLossException.class,
        () -> mlm.fit(TinyTextModels.corpus(4), options));
    assertThat(weightsAfterEachBatch).isNotEmpty(); // it diverged after some good updates
    long good = weightsAfterEachBatch.size();
    assertThat(e.update()).isEqualTo(good + 1);
    assertThat(e.epoch() * 4 + e.step()).isEqualTo(good);
    assertThat(e).hasMessageThat().contains("training diverged at epoch " + (e.epoch() + 1) + ", batch "
        + (e.step() + 1) + " (update " + (good + 1) + ")");
    assertThat(e).hasMessageThat().contains("Lower the learning rate (it was 1.00e+09)");
    assertThat(mlm.iterations()).isEqualTo(good);
    // the refused update left the weights and Adam's moments as the last good batch did
    Map<String, float[]> last = weightsAfterEachBatch.get(weightsAfterEachBatch.size() - 1);
    Map<String, float[]> now = mlm.getWeights();
    for (Map.Entry<String, float[]> w : last.entrySet()) {
      assertThat(now.get(w.getKey())).isEqualTo(w.getValue());
    }
    OptimizerState before = optimizerAfterEachBatch.get(optimizerAfterEachBatch.size() - 1);
    OptimizerState after = mlm.optimizerState();
    assertThat(after.iterations()).isEqualTo(before.iterations());
    assertThat(after.firstMoments()).isEqualTo(before.firstMoments());
    assertThat(after.secondMoments()).isEqualTo(before.secondMoments());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("devices")
  void trainOnBatchRefusesTheUpdateToo(ComputeDevice device) {
    BertMaskedLM mlm = diverging(device);
    MaskedLMBatch batch = mlm.preprocessor().call(TinyTextModels.corpus(1), 9);
    NonFiniteLossException e = null;
    Map<String, float[]> before = null;
    for (int i = 0; i < 20 && e == null; i++) {
      before = mlm.getWeights();
      try {
        mlm.trainOnBatch(batch.inputs(), batch.labels(), batch.sampleWeights());
      } catch (NonFiniteLossException thrown) {
        e = thrown;
      }
    }
    assertThat(e).isNotNull();
    assertThat(e.epoch()).isEqualTo(-1);
    assertThat(e).hasMessageThat().startsWith("training diverged at update " + e.update() + ": loss ");
    assertThat(mlm.iterations()).isEqualTo(e.update() - 1);
    for (Map.Entry<String, float[]> w : before.entrySet()) {
      assertThat(mlm.getWeights().get(w.getKey())).isEqualTo(w.getValue());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("devices")
  void withoutTerminateOnNaNTrainingGoesOnAsKerasDoes(ComputeDevice device) {
    BertMaskedLM mlm = diverging(device);
    History h = mlm.fit(TinyTextModels.corpus(4), FitOptions.builder().verbosity(Verbosity.SILENT).batchSize(4)
        .epochs(5).terminateOnNaN(false).build());
    assertThat(h.get("loss")).hasSize(5);
    assertThat(h.get("loss").get(4)).isNaN();
    assertThat(mlm.iterations()).isEqualTo(20);
  }

  @org.junit.jupiter.api.Test
  void weightsThatAreNotFiniteAreNotSavedAndTheSavedPresetStays(@org.junit.jupiter.api.io.TempDir Path tmp)
      throws Exception {
    Path preset = tmp.resolve("preset");
    BertMaskedLM good = TinyTextModels.model(5);
    good.saveToPreset(preset);
    byte[] savedWeights = Files.readAllBytes(preset.resolve("model.weights.h5"));
    BertMaskedLM diverged = diverging(ComputeDevice.javaThreads());
    diverged.fit(TinyTextModels.corpus(4), FitOptions.builder().verbosity(Verbosity.SILENT).batchSize(4).epochs(5)
        .terminateOnNaN(false).build());
    PresetException e = assertThrows(PresetException.class, () -> diverged.saveToPreset(preset));
    assertThat(e).hasMessageThat().startsWith("cannot save the preset " + preset + ": variable ");
    assertThat(e).hasMessageThat().contains("holds NaN at index [");
    assertThat(e).hasMessageThat().contains("nothing was written");
    assertThat(Files.readAllBytes(preset.resolve("model.weights.h5"))).isEqualTo(savedWeights);
  }
}
