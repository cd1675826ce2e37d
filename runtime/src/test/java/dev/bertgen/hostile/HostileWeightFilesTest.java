package dev.bertgen.hostile;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bertgen.models.BertMaskedLM;
import dev.bertgen.models.PresetOptions;
import dev.bertgen.presets.PresetCopies;
import dev.bertgen.presets.PresetException;
import dev.bertgen.presets.SafetensorsWriter;
import dev.bertgen.testing.ReferenceFixtures;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.dataset.ContiguousDataset;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Weight files that are damaged or hostile: values that are not finite, HDF5 links that leave the file
 * or loop, files that are pipes or devices, and safetensors headers whose tensors overlap, leave gaps or
 * overflow. Each is refused with one line naming the file and the tensor or object; none hangs.
 */
class HostileWeightFilesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private static BertMaskedLM load(Path dir) {
    return BertMaskedLM.fromPreset(dir.toString());
  }

  /** The one-line message of the PresetException that loading {@code dir} ends in. */
  private static String loadFails(Path dir) {
    PresetException e = assertThrows(PresetException.class, () -> load(dir));
    assertThat(e.getMessage()).doesNotContain("\n");
    return e.getMessage();
  }

  // ---- 1. values that are not finite

  @Test
  void nanInAHuggingFaceEncoderWeightNamesFileTensorIndexAndValue() {
    Path dir = PresetCopies.copyWithout(ReferenceFixtures.huggingFace(), tmp.resolve("hf"), "fixture.json");
    Path weights = dir.resolve("model.safetensors");
    String key = "bert.encoder.layer.1.output.dense.weight"; // (48, 96)
    setFloat(weights, key, 100, Float.NaN);
    String m = loadFails(dir);
    assertThat(m).contains(weights + ": tensor " + key);
    assertThat(m).contains("NaN at index [1, 4] (flat index 100)");
    assertThat(m).contains("checkFinite(false)");
  }

  @Test
  void nanInAKerasWeightsFileNamesFileDatasetIndexAndValue() throws IOException {
    Path dir = PresetCopies.copyWithout(ReferenceFixtures.kerasPreset(), tmp.resolve("keras"));
    Path weights = dir.resolve("model.weights.h5");
    String dataset = "layers/transformer_encoder_1/_feedforward_output_dense/vars/0"; // (48, 24)
    patchH5Float(weights, dataset, 30, Float.NaN);
    String m = loadFails(dir);
    assertThat(m).contains(weights + ": tensor " + dataset);
    assertThat(m).contains("Keras variable transformer_layer_1/feedforward_output_dense/kernel");
    assertThat(m).contains("NaN at index [1, 6] (flat index 30)");
  }

  @Test
  void infinityInALayerNormGammaOrBetaIsRefused() throws IOException {
    Path keras = PresetCopies.copyWithout(ReferenceFixtures.kerasPreset(), tmp.resolve("keras"));
    String gamma = "layers/transformer_encoder/_self_attention_layer_norm/vars/0";
    patchH5Float(keras.resolve("model.weights.h5"), gamma, 3, Float.POSITIVE_INFINITY);
    String m = loadFails(keras);
    assertThat(m).contains(keras.resolve("model.weights.h5") + ": tensor " + gamma);
    assertThat(m).contains("Infinity at index [3] (flat index 3)");

    Path hf = TinyPresets.huggingFace(tmp.resolve("hf"));
    setFloat(hf.resolve("model.safetensors"), "bert.embeddings.LayerNorm.bias", 5, Float.NEGATIVE_INFINITY);
    m = loadFails(hf);
    assertThat(m).contains(hf.resolve("model.safetensors") + ": tensor bert.embeddings.LayerNorm.bias");
    assertThat(m).contains("-Infinity at index [5] (flat index 5)");
  }

  @Test
  void f64ValueBeyondFloat32IsRefusedAsInfinite() {
    Path hf = TinyPresets.huggingFace(tmp.resolve("hf"));
    SafetensorsWriter w = TinyPresets.huggingFaceWeights();
    ByteBuffer b = ByteBuffer.allocate(8 * TinyPresets.HIDDEN).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < TinyPresets.HIDDEN; i++) {
      b.putDouble(i == 2 ? 1e300 : 0.5);
    }
    w.put("bert.pooler.dense.bias",
        new SafetensorsWriter.Tensor("F64", new long[] {TinyPresets.HIDDEN}, b.array()));
    w.write(hf.resolve("model.safetensors"));
    String m = loadFails(hf);
    assertThat(m).contains("tensor bert.pooler.dense.bias");
    assertThat(m).contains("Infinity at index [2] (flat index 2)");
  }

  @Test
  void checkFiniteFalseLoadsTheValuesAsTheyAre() {
    Path hf = TinyPresets.huggingFace(tmp.resolve("hf"));
    setFloat(hf.resolve("model.safetensors"), "cls.predictions.bias", 3, Float.NaN);
    BertMaskedLM mlm =
        BertMaskedLM.fromPreset(hf.toString(), PresetOptions.builder().checkFinite(false).build());
    assertThat(Float.isNaN(mlm.getWeights().get("mlm_head/output_bias")[3])).isTrue();
    assertThat(PresetOptions.defaults().checkFinite()).isTrue();
  }

  // ---- 2. HDF5 links and files that are not regular files

  /** The tiny keras-hub preset with its model.weights.h5 replaced by fixture {@code name}. */
  private Path kerasWithLinks(String name) throws IOException {
    Path dir = TinyPresets.keras(tmp.resolve("preset"));
    try (InputStream in = getClass().getResourceAsStream(name + ".weights.h5")) {
      assertThat(in).isNotNull();
      Files.copy(in, dir.resolve("model.weights.h5"), StandardCopyOption.REPLACE_EXISTING);
    }
    return dir;
  }

  @Test
  void softLinksInsideTheFileAreFollowed() throws IOException {
    Path dir = kerasWithLinks("soft-link-inside");
    Map<String, float[]> w = load(dir).getWeights();
    try (HdfFile h5 = new HdfFile(dir.resolve("model.weights.h5"))) {
      float[][] tokens = (float[][]) h5.getDatasetByPath("/shared/tokens").getData();
      assertThat(Arrays.copyOf(w.get("token_embedding/embeddings"), TinyPresets.HIDDEN)).isEqualTo(tokens[0]);
      float[] bias = (float[]) h5.getDatasetByPath("layers/dense/vars/bias_data").getData();
      assertThat(w.get("pooled_dense/bias")).isEqualTo(bias);
    }
  }

  @Test
  void softLinkToItselfIsRefusedInOneLine() throws IOException {
    Path dir = kerasWithLinks("soft-link-to-itself");
    String m = loadFails(dir);
    assertThat(m).contains(dir.resolve("model.weights.h5") + ": tensor layers/reversible_embedding/vars/0");
    assertThat(m).contains("soft link /layers/reversible_embedding/vars/0 loops");
  }

  @Test
  void softLinksThatLoopAreRefused() throws IOException {
    String m = loadFails(kerasWithLinks("soft-link-cycle"));
    assertThat(m).contains("tensor layers/reversible_embedding/vars/0");
    assertThat(m).contains("loops: /layers/reversible_embedding/vars/0 -> /loop/a -> /loop/b -> /loop/a");
  }

  @Test
  void groupThatLinksIntoItselfIsRefused() throws IOException {
    String m = loadFails(kerasWithLinks("soft-link-through-itself"));
    assertThat(m).contains("tensor layers/reversible_embedding/vars/0");
    assertThat(m).contains("soft link /layers/reversible_embedding loops");
  }

  @Test
  void danglingSoftLinkIsNamed() throws IOException {
    String m = loadFails(kerasWithLinks("soft-link-dangling"));
    assertThat(m).contains("tensor layers/reversible_embedding/vars/0");
    assertThat(m).contains("soft link to /nowhere/tokens, which is not in the file");
  }

  @Test
  void externalLinkToAFifoIsRefusedWithoutOpeningIt() throws Exception {
    Path dir = kerasWithLinks("external-link-fifo");
    Path fifo = dir.resolve("tokens.fifo");
    mkfifo(fifo);
    try {
      String m = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> loadFails(dir));
      assertThat(m).contains(dir.resolve("model.weights.h5") + ": tensor layers/reversible_embedding/vars/0");
      assertThat(m).contains("external link to tokens.fifo:/tokens");
    } finally {
      unblock(fifo);
    }
  }

  @Test
  void externalLinkOutsideThePresetIsRefusedEvenWhenItsTargetIsValid() throws IOException {
    Path dir = kerasWithLinks("external-link-outside");
    // the target exists and holds the right dataset: it is refused all the same
    TinyPresets.keras(tmp.resolve("other"));
    Files.copy(tmp.resolve("other/model.weights.h5"), tmp.resolve("outside.weights.h5"));
    String m = loadFails(dir);
    assertThat(m).contains("external link to ../outside.weights.h5:/layers/reversible_embedding/vars/0");
  }

  @Test
  void presetFilesThatArePipesOrDevicesAreRefused() throws Exception {
    Path keras = TinyPresets.keras(tmp.resolve("keras"));
    Path hf = TinyPresets.huggingFace(tmp.resolve("hf"));
    // a device where a file is expected: read, it would never end
    Files.createSymbolicLink(hf.resolve("tokenizer.json"), Path.of("/dev/zero"));
    String m = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> loadFails(hf));
    assertThat(m).contains(hf.resolve("tokenizer.json") + " is a character device (through a symbolic link), "
        + "not a regular file");
    Files.delete(hf.resolve("tokenizer.json"));

    for (Path file : List.of(keras.resolve("config.json"), keras.resolve("model.weights.h5"),
        hf.resolve("model.safetensors"), hf.resolve("vocab.txt"))) {
      Path dir = file.getParent();
      Path saved = tmp.resolve("saved");
      if (Files.exists(file)) {
        Files.move(file, saved);
      }
      mkfifo(file);
      try {
        m = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> loadFails(dir));
        assertThat(m).contains(file + " is a named pipe (FIFO), not a regular file");
      } finally {
        unblock(file);
        Files.delete(file);
        if (Files.exists(saved)) {
          Files.move(saved, file);
        }
      }
    }
  }

  @Test
  void symbolicLinksToRegularFilesLoad() throws IOException {
    Path keras = TinyPresets.keras(tmp.resolve("keras"));
    Map<String, float[]> before = load(keras).getWeights();
    Path blob = Files.createDirectories(keras.resolve("blobs")).resolve("f00d");
    Files.move(keras.resolve("model.weights.h5"), blob);
    Files.createSymbolicLink(keras.resolve("model.weights.h5"), Path.of("blobs/f00d"));
    assertThat(load(keras).getWeights().get("token_embedding/embeddings"))
        .isEqualTo(before.get("token_embedding/embeddings"));
  }

  // ---- 3. safetensors headers

  /**
   * The tiny checkpoint with its header edited: {@code edit} gets the tensor entries (data laid out
   * contiguously in the writer's order) and may change them; {@code data} may change the data bytes.
   */
  private Path huggingFaceWithHeader(Consumer<ObjectNode> edit, Consumer<ByteArrayOutputStream> data) {
    Path dir = TinyPresets.huggingFace(tmp.resolve("hf"));
    SafetensorsWriter w = TinyPresets.huggingFaceWeights();
    ObjectNode header = JSON.createObjectNode();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (String key : w.keys()) {
      SafetensorsWriter.Tensor t = w.tensor(key);
      ObjectNode e = header.putObject(key);
      e.put("dtype", t.dtype());
      ArrayNode shape = e.putArray("shape");
      Arrays.stream(t.shape()).forEach(shape::add);
      e.putArray("data_offsets").add(bytes.size()).add(bytes.size() + t.bytes().length);
      bytes.writeBytes(t.bytes());
    }
    edit.accept(header);
    data.accept(bytes);
    writeRaw(dir.resolve("model.safetensors"), header.toString(), bytes.toByteArray());
    return dir;
  }

  private Path huggingFaceWithHeader(Consumer<ObjectNode> edit) {
    return huggingFaceWithHeader(edit, b -> { });
  }

  private static void writeRaw(Path file, String header, byte[] data) {
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + json.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(json.length).put(json).put(data);
    try {
      Files.write(file, b.array());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void offsets(ObjectNode header, String key, long begin, long end) {
    ((ObjectNode) header.get(key)).putArray("data_offsets").add(begin).add(end);
  }

  private static long begin(ObjectNode header, String key) {
    return header.get(key).get("data_offsets").get(0).asLong();
  }

  @Test
  void overlappingTensorsAreRefused() {
    String a = "bert.pooler.dense.bias";
    String b = "cls.predictions.transform.dense.bias";
    Path dir = huggingFaceWithHeader(h -> offsets(h, b, begin(h, a), begin(h, a) + 4L * TinyPresets.HIDDEN));
    String m = loadFails(dir);
    assertThat(m).contains(dir.resolve("model.safetensors") + " has a damaged header: tensor " + b);
    assertThat(m).contains("overlaps " + a);
  }

  @Test
  void tensorsListedOutOfOrderButContiguousLoadAsSafetensorsDoes() {
    Map<String, float[]> expected = load(TinyPresets.huggingFace(tmp.resolve("plain"))).getWeights();
    Path dir = huggingFaceWithHeader(h -> {
      List<String> keys = new ArrayList<>();
      h.fieldNames().forEachRemaining(keys::add);
      ObjectNode reversed = JSON.createObjectNode();
      for (int i = keys.size() - 1; i >= 0; i--) {
        reversed.set(keys.get(i), h.get(keys.get(i)));
      }
      h.removeAll();
      h.setAll(reversed);
    });
    Map<String, float[]> w = load(dir).getWeights();
    for (Map.Entry<String, float[]> e : expected.entrySet()) {
      assertThat(w.get(e.getKey())).isEqualTo(e.getValue());
    }
  }

  @Test
  void gapBetweenTensorsIsRefused() {
    String key = "bert.encoder.layer.0.output.dense.bias";
    Path dir = huggingFaceWithHeader(h -> {
      // every tensor from key on moves 4 bytes later, leaving 4 bytes that belong to none
      long from = begin(h, key);
      for (Iterator<Map.Entry<String, JsonNode>> it = h.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        ArrayNode o = (ArrayNode) e.getValue().get("data_offsets");
        if (o.get(0).asLong() >= from) {
          offsets(h, e.getKey(), o.get(0).asLong() + 4, o.get(1).asLong() + 4);
        }
      }
    }, b -> b.writeBytes(new byte[4]));
    String m = loadFails(dir);
    assertThat(m).contains(dir.resolve("model.safetensors") + " has a damaged header: tensor " + key);
    assertThat(m).contains("4 bytes before it belong to no tensor");
  }

  @Test
  void bytesAfterTheLastTensorAreRefused() {
    Path dir = huggingFaceWithHeader(h -> { }, b -> b.writeBytes(new byte[16]));
    String m = loadFails(dir);
    assertThat(m).contains(dir.resolve("model.safetensors") + " has 16 bytes after its last tensor");
  }

  @Test
  void beginAfterEndIsRefused() {
    String key = "cls.predictions.bias";
    Path dir = huggingFaceWithHeader(h -> offsets(h, key, begin(h, key) + 8, begin(h, key)));
    String m = loadFails(dir);
    assertThat(m).contains(dir.resolve("model.safetensors") + " has a damaged header: tensor " + key);
    assertThat(m).contains("begins after it ends");
  }

  @Test
  void sizeThatDoesNotMatchDtypeAndShapeIsRefused() {
    String key = "bert.pooler.dense.bias";
    Path dir = huggingFaceWithHeader(h -> ((ObjectNode) h.get(key)).put("dtype", "F16"));
    String m = loadFails(dir);
    assertThat(m).contains("tensor " + key + " (F16, shape (8,))");
    assertThat(m).contains("16 bytes");
  }

  @Test
  void shapesWhoseProductOverflowsAreRefused() {
    Path dir = huggingFaceWithHeader(h -> {
      long end = 0;
      for (JsonNode e : h) {
        end = Math.max(end, e.get("data_offsets").get(1).asLong());
      }
      ObjectNode e = h.putObject("extra.overflow");
      e.put("dtype", "F32");
      e.putArray("shape").add(1L << 32).add(1L << 32).add(16);
      e.putArray("data_offsets").add(end).add(end);
    });
    String m = loadFails(dir);
    assertThat(m).contains("tensor extra.overflow");
    assertThat(m).contains("(4294967296, 4294967296, 16)");
    assertThat(m).contains("overflows");
  }

  @Test
  void negativeOrFractionalNumbersInTheHeaderAreRefused() {
    String key = "bert.pooler.dense.bias";
    String m = loadFails(huggingFaceWithHeader(h -> ((ObjectNode) h.get(key)).putArray("shape").add(-8)));
    assertThat(m).contains("tensor " + key);
    m = loadFails(huggingFaceWithHeader(h -> {
      ArrayNode o = (ArrayNode) h.get(key).get("data_offsets");
      ((ObjectNode) h.get(key)).putArray("data_offsets").add(o.get(0).asLong() + 0.5)
          .add(o.get(1).asLong() + 0.5);
    }));
    assertThat(m).contains("tensor " + key);
    assertThat(m).contains("data_offsets");
  }

  @Test
  void absurdHeaderLengthsAreRefused() throws IOException {
    Path dir = TinyPresets.huggingFace(tmp.resolve("hf"));
    Path file = dir.resolve("model.safetensors");
    for (long length : new long[] {1L << 62, -1, 0}) {
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
        ch.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(length).flip(), 0);
      }
      String m = loadFails(dir);
      assertThat(m).contains(file + " is not a safetensors file: its first 8 bytes give a header length of "
          + length);
    }
  }

  @Test
  void tensorNamedTwiceIsRefused() {
    Path dir = TinyPresets.huggingFace(tmp.resolve("hf"));
    String one = "{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}";
    writeRaw(dir.resolve("model.safetensors"), "{\"a\":" + one + ",\"a\":" + one + "}", new byte[4]);
    String m = loadFails(dir);
    assertThat(m).contains(dir.resolve("model.safetensors") + " has a damaged header");
    assertThat(m).contains("Duplicate field 'a'");
  }

  // ---- helpers

  /** Sets element {@code index} of F32 tensor {@code key} of {@code file}. */
  private static void setFloat(Path file, String key, int index, float value) {
    SafetensorsWriter w = SafetensorsWriter.copyOf(file, k -> true);
    float[] v = w.floats(key);
    v[index] = value;
    w.put(key, SafetensorsWriter.Tensor.f32(w.tensor(key).shape(), v));
    w.write(file);
  }

  /** Overwrites element {@code index} of contiguous float32 dataset {@code path} in place. */
  private static void patchH5Float(Path file, String path, int index, float value) throws IOException {
    long at;
    try (HdfFile h5 = new HdfFile(file)) {
      Dataset d = h5.getDatasetByPath(path);
      assertThat(d).isInstanceOf(ContiguousDataset.class);
      assertThat(d.getJavaType()).isEqualTo(float.class);
      at = h5.getUserBlockSize() + ((ContiguousDataset) d).getDataAddress() + 4L * index;
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(value).flip(), at);
    }
  }

  /** Makes a named pipe, skipping the test where there is no {@code mkfifo}. */
  static void mkfifo(Path fifo) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder("mkfifo", fifo.toString()).redirectErrorStream(true).start();
    } catch (IOException e) {
      assumeTrue(false, "no mkfifo here: " + e.getMessage());
      return;
    }
    assumeTrue(p.waitFor() == 0 && Files.exists(fifo), "mkfifo " + fifo + " failed");
  }

  /** Releases a reader blocked on {@code fifo}, if any, from a daemon thread that may block instead. */
  static void unblock(Path fifo) {
    Thread t = new Thread(() -> {
      try (OutputStream out = Files.newOutputStream(fifo, StandardOpenOption.WRITE)) {
        out.flush();
      } catch (IOException ignored) {
        // nobody was reading
      }
    });
    t.setDaemon(true);
    t.start();
  }
}
