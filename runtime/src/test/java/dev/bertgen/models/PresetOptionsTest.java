package dev.bertgen.models;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.bertgen.compute.ComputeDevice;
import dev.bertgen.compute.KernelFactory;
import dev.bertgen.presets.PresetException;
import dev.bertgen.spec.BuiltinPresets;
import dev.bertgen.spec.Diagnostic;
import dev.bertgen.testing.ReferenceFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PresetOptions}: keras-hub's initializers, device, sequence length, and the dtype check. */
class PresetOptionsTest {
  @TempDir Path tmp;

  @Test
  void withoutWeightsTheInitializersAreKerasHubsAndTheTokenizerIsLoaded() {
    String preset = ReferenceFixtures.kerasPreset().toString();
    BertMaskedLM loaded = BertMaskedLM.fromPreset(preset);
    BertMaskedLM fresh = BertMaskedLM.fromPreset(preset, PresetOptions.builder().loadWeights(false).build());
    assertThat(fresh.preprocessor()).isNotNull();
    assertThat(fresh.preprocessor().tokenizer().vocabulary()).isEqualTo(loaded.preprocessor().tokenizer().vocabulary());
    Map<String, float[]> w = fresh.getWeights();
    for (Map.Entry<String, float[]> e : w.entrySet()) {
      String path = e.getKey();
      float[] v = e.getValue();
      if (path.endsWith("/gamma")) {
        assertThat(allEqual(v, 1f)).isTrue();
      } else if (path.endsWith("/beta") || path.endsWith("bias")) {
        assertThat(allEqual(v, 0f)).isTrue();
      } else {
        // truncated normal, standard deviation 0.02, re-drawn beyond two deviations
        double sum = 0;
        double sq = 0;
        for (float x : v) {
          assertThat(Math.abs(x)).isAtMost(0.04f);
          sum += x;
          sq += x * (double) x;
        }
        double mean = sum / v.length;
        double std = Math.sqrt(sq / v.length - mean * mean);
        if (v.length > 1000) {
          assertThat(std).isWithin(0.002).of(0.02 * 0.88); // the std of N(0,1) truncated at 2 is 0.88
        }
      }
    }
    assertThat(w.get("token_embedding/embeddings")).isNotEqualTo(loaded.getWeights().get("token_embedding/embeddings"));
    // the same seed gives the same weights
    BertMaskedLM again = BertMaskedLM.fromPreset(preset, PresetOptions.builder().loadWeights(false).build());
    assertThat(again.getWeights().get("pooled_dense/kernel")).isEqualTo(w.get("pooled_dense/kernel"));
  }

  private static boolean allEqual(float[] v, float x) {
    for (float f : v) {
      if (f != x) {
        return false;
      }
    }
    return true;
  }

  @Test
  void sequenceLengthOverridesThePreprocessorsUpToMaxSequenceLength() {
    String preset = ReferenceFixtures.kerasPreset().toString();
    BertMaskedLM mlm = BertMaskedLM.fromPreset(preset, PresetOptions.builder().sequenceLength(64).build());
    assertThat(mlm.preprocessor().config().sequenceLength()).isEqualTo(64);
    assertThat(mlm.preprocessor().call("the quick brown fox").inputs().tokenIds()[0]).hasLength(64);
    PresetException e = assertThrows(PresetException.class,
        () -> BertMaskedLM.fromPreset(preset, PresetOptions.builder().sequenceLength(513).build()));
    assertThat(e.diagnostic()).isEqualTo(Diagnostic.SEQUENCE_LENGTH_ABOVE_MAX);
    assertThat(e.getMessage()).contains("sequenceLength 513 is above the max_sequence_length 512 of " + preset);
    assertThat(assertThrows(IllegalArgumentException.class,
        () -> PresetOptions.builder().sequenceLength(0).build()).getMessage()).contains("at least 1");
  }

  @Test
  void generatedClassesKeepTheirBuildTimeSequenceLength() {
    Specialization tiny = new Specialization(BuiltinPresets.get("bert_tiny_en_uncased")
        .withBackbone(BertMaskedLM.fromPreset(ReferenceFixtures.kerasPreset().toString()).backbone().config()),
        "p.FixtureMaskedLM", KernelFactory.generic());
    String m = assertThrows(PresetException.class, () -> ModelState.load(ReferenceFixtures.kerasPreset().toString(),
        PresetOptions.builder().sequenceLength(64).build(), tiny, true)).getMessage();
    assertThat(m).contains("p.FixtureMaskedLM has its preprocessor's sequence length fixed at build time (512)");
    assertThat(m).contains("@BertOverrides(sequenceLength = 64)");
  }

  @Test
  void deviceIsApplied() {
    BertMaskedLM mlm = BertMaskedLM.fromPreset(ReferenceFixtures.kerasPreset().toString(),
        PresetOptions.builder().device(ComputeDevice.javaThreads()).build());
    assertThat(mlm.backbone().device()).isEqualTo(ComputeDevice.javaThreads());
  }

  private Path kerasCopy() throws IOException {
    Path copy = tmp.resolve("keras");
    try (Stream<Path> files = Files.walk(ReferenceFixtures.kerasPreset())) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path to = copy.resolve(ReferenceFixtures.kerasPreset().relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to);
        }
      }
    }
    return copy;
  }

  private static void setDtype(Path config, String dtypeJson) throws IOException {
    String text = Files.readString(config);
    int start = text.indexOf("\"dtype\": ");
    int end = text.indexOf("\"vocabulary_size\"");
    Files.writeString(config, text.substring(0, start) + "\"dtype\": " + dtypeJson + ",\n        " + text.substring(end));
  }

  @Test
  void kerasDtypePolicyMustKeepFloat32Variables() throws IOException {
    Path copy = kerasCopy();
    Path config = copy.resolve("config.json");
    setDtype(config, "\"bfloat16\"");
    String m = assertThrows(PresetException.class, () -> BertMaskedLM.fromPreset(copy.toString())).getMessage();
    assertThat(m).contains("saves the model with dtype policy \"bfloat16\", whose variables are not float32");
    setDtype(config, "{\"module\": \"keras\", \"class_name\": \"DTypePolicyMap\", \"config\": {}}");
    assertThat(assertThrows(PresetException.class, () -> BertMaskedLM.fromPreset(copy.toString())).getMessage())
        .contains("DTypePolicyMap dtype policy (quantized or per-layer dtypes)");
    setDtype(config, "{\"module\": \"keras\", \"class_name\": \"DTypePolicy\", \"config\": {\"name\": \"mixed_bfloat16\"}}");
    assertThat(BertMaskedLM.fromPreset(copy.toString()).parameterCount()).isGreaterThan(0L);
    setDtype(config, "\"mixed_float16\"");
    assertThat(BertMaskedLM.fromPreset(copy.toString()).parameterCount()).isGreaterThan(0L);
  }

  @Test
  void huggingFaceDtypesAreReadAsFloat32() throws IOException {
    Path copy = tmp.resolve("hf");
    Files.createDirectories(copy);
    for (String f : new String[] {"config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"}) {
      Files.copy(ReferenceFixtures.huggingFace().resolve(f), copy.resolve(f));
    }
    Path config = copy.resolve("config.json");
    String original = Files.readString(config);
    Files.writeString(config, original.replace("\"dtype\": \"float32\"", "\"dtype\": \"bfloat16\""));
    assertThat(BertMaskedLM.fromPreset(copy.toString()).parameterCount()).isGreaterThan(0L);
    Files.writeString(config, original.replace("\"dtype\": \"float32\"", "\"torch_dtype\": \"float16\""));
    assertThat(BertMaskedLM.fromPreset(copy.toString()).parameterCount()).isGreaterThan(0L);
    Files.writeString(config, original.replace("\"dtype\": \"float32\"", "\"dtype\": \"int8\""));
    assertThat(assertThrows(PresetException.class, () -> BertMaskedLM.fromPreset(copy.toString())).getMessage())
        .contains("dtype \"int8\" is not supported; BertGen reads checkpoints saved as float32, bfloat16 or float16");
  }
}
