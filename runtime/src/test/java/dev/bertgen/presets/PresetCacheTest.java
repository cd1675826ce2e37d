package dev.bertgen.presets;

import static com.google.common.truth.Truth.assertThat;

import dev.bertgen.models.BertMaskedLM;
import dev.bertgen.models.PresetOptions;
import dev.bertgen.presets.hub.HubSettings;
import dev.bertgen.testing.ReferenceFixtures;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Caches laid out as Python's kagglehub and huggingface_hub leave them, built from the reference
 * fixtures, load with no network: the endpoints point at a port nothing listens on.
 */
class PresetCacheTest {
  @TempDir Path tmp;

  /** An endpoint that refuses connections. */
  private static String deadEndpoint() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    return "http://127.0.0.1:" + port;
  }

  /** What keras-hub's from_preset leaves in kagglehub's cache: the files it fetched, each with its marker. */
  private Path kagglehubCache(String handlePath, int version, List<String> files) throws IOException {
    Path cache = tmp.resolve("kagglehub");
    Path model = cache.resolve("models").resolve(handlePath);
    for (String f : files) {
      Path to = model.resolve(String.valueOf(version)).resolve(f);
      Files.createDirectories(to.getParent());
      Files.copy(KerasFixture.preset().resolve(f), to);
      Path marker = model.resolve(".complete").resolve(String.valueOf(version)).resolve(f + ".complete");
      Files.createDirectories(marker.getParent());
      Files.createFile(marker);
    }
    return cache;
  }

  @Test
  void kagglehubCacheLoadsWithNoNetwork() throws IOException {
    Path cache = kagglehubCache("keras/bert/keras/bert_tiny_en_uncased", 3, List.of("config.json", "task.json",
        "model.weights.h5", "task.weights.h5", "tokenizer.json", "assets/tokenizer/vocabulary.txt"));
    HubSettings settings = HubSettings.fromEnvironment(Map.of("KAGGLEHUB_CACHE", cache.toString(),
        "KAGGLE_API_ENDPOINT", deadEndpoint()), tmp.resolve("home"));
    try (LogCapture log = new LogCapture()) {
      BertMaskedLM byName = BertMaskedLM.fromPreset("bert_tiny_en_uncased", PresetOptions.builder().hub(settings).build());
      assertThat(KerasFixture.logitsError(byName)).isAtMost(1e-5);
      // preprocessor.json was never fetched by Python, and the network cannot say whether it exists
      assertThat(String.join("\n", log.messages(Level.WARNING)))
          .contains("whether bert_tiny_en_uncased (kaggle://keras/bert/keras/bert_tiny_en_uncased/3) has "
              + "preprocessor.json cannot be found out");
    }
    BertMaskedLM byHandle = BertMaskedLM.fromPreset("kaggle://keras/bert/keras/bert_tiny_en_uncased/3",
        PresetOptions.builder().hub(settings.withOffline(true)).build());
    assertThat(KerasFixture.logitsError(byHandle)).isAtMost(1e-5);
    assertThat(dev.bertgen.models.Task.presets(settings).get("bert_tiny_en_uncased").cached()).isTrue();
    assertThat(dev.bertgen.models.Task.presets(settings).get("bert_base_en").cached()).isFalse();
  }

  @Test
  void wholeVersionMarkerCountsForEveryFile() throws IOException {
    Path cache = kagglehubCache("keras/bert/keras/fixture", 1, List.of());
    Path version = cache.resolve("models/keras/bert/keras/fixture/1");
    PresetCopies.copy(KerasFixture.preset(), version, Set.of());
    Files.createFile(cache.resolve("models/keras/bert/keras/fixture/1.complete"));
    HubSettings settings = HubSettings.fromEnvironment(Map.of("KAGGLEHUB_CACHE", cache.toString(),
        "KAGGLE_API_ENDPOINT", deadEndpoint()), tmp.resolve("home"));
    try (LogCapture log = new LogCapture()) {
      BertMaskedLM mlm = BertMaskedLM.fromPreset("kaggle://keras/bert/keras/fixture/1",
          PresetOptions.builder().hub(settings).build());
      assertThat(KerasFixture.logitsError(mlm)).isAtMost(1e-5);
      assertThat(log.messages(Level.WARNING)).isEmpty(); // a whole version says which files it lacks
    }
  }

  @Test
  void fileWithoutCompletionMarkerIsNotCached() throws IOException {
    Path cache = kagglehubCache("keras/bert/keras/fixture", 1, List.of("config.json"));
    Files.delete(cache.resolve("models/keras/bert/keras/fixture/.complete/1/config.json.complete"));
    HubSettings settings = HubSettings.fromEnvironment(Map.of("KAGGLEHUB_CACHE", cache.toString(),
        "KAGGLE_API_ENDPOINT", deadEndpoint()), tmp.resolve("home"));
    String m = org.junit.jupiter.api.Assertions.assertThrows(PresetException.class, () -> BertMaskedLM.fromPreset(
        "kaggle://keras/bert/keras/fixture/1", PresetOptions.builder().hub(settings).build())).getMessage();
    assertThat(m).contains("config.json: incomplete (no completion marker");
    assertThat(m).contains("could not be reached (connection refused)");
  }

  /** What hf_hub_download leaves: refs/main, blobs named by hash, snapshot links into them. */
  @Test
  void huggingFaceCacheLoadsWithNoNetwork() throws IOException {
    Path hub = tmp.resolve("huggingface/hub");
    Path storage = hub.resolve("models--google-bert--tiny-fixture");
    String commit = "0123456789abcdef0123456789abcdef01234567";
    Files.createDirectories(storage.resolve("refs"));
    Files.writeString(storage.resolve("refs/main"), commit, StandardCharsets.UTF_8);
    for (String f : List.of("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json")) {
      byte[] bytes = Files.readAllBytes(ReferenceFixtures.huggingFace().resolve(f));
      String blob = HubTestServer.hex(HubTestServer.sha("SHA-256", bytes));
      Files.createDirectories(storage.resolve("blobs"));
      Files.write(storage.resolve("blobs").resolve(blob), bytes);
      Path link = storage.resolve("snapshots").resolve(commit).resolve(f);
      Files.createDirectories(link.getParent());
      Files.createSymbolicLink(link, Path.of("../../blobs").resolve(blob));
    }
    String dead = deadEndpoint();
    HubSettings settings = HubSettings.fromEnvironment(Map.of("HF_HOME", tmp.resolve("huggingface").toString(),
        "HF_ENDPOINT", dead), tmp.resolve("home"));
    assertThat(settings.hfHubCache()).isEqualTo(hub);
    BertMaskedLM direct = BertMaskedLM.fromPreset(ReferenceFixtures.huggingFace().toString());
    BertMaskedLM cached = BertMaskedLM.fromPreset("hf://google-bert/tiny-fixture",
        PresetOptions.builder().hub(settings).build());
    assertThat(KerasFixture.sameWeights(cached, direct)).isTrue();
    BertMaskedLM offline = BertMaskedLM.fromPreset("hf://google-bert/tiny-fixture",
        PresetOptions.builder().hub(HubSettings.fromEnvironment(Map.of("HF_HUB_CACHE", hub.toString(),
            "HF_HUB_OFFLINE", "1", "HF_ENDPOINT", dead), tmp.resolve("home"))).build());
    assertThat(KerasFixture.sameWeights(offline, direct)).isTrue();
  }
}
