package dev.bertgen.presets;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.bertgen.models.BertMaskedLM;
import dev.bertgen.models.ModelState;
import dev.bertgen.models.PresetOptions;
import dev.bertgen.models.Specialization;
import dev.bertgen.presets.hub.HubSettings;
import dev.bertgen.spec.BuiltinPresets;
import dev.bertgen.spec.Diagnostic;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kaggle://} and built-in names against a local stand-in for kaggle.com, in kagglehub's cache layout. */
class KaggleDownloadTest {
  private static final String HANDLE = "kaggle://test-owner/bert/keras/fixture/2";

  @TempDir Path tmp;
  private HubTestServer server;
  private HubSettings hub;

  @BeforeEach
  void start() throws Exception {
    server = new HubTestServer().kaggleModel("test-owner/bert/keras/fixture", 2, KerasFixture.preset());
    hub = HubSettings.fromEnvironment(Map.of(), tmp.resolve("home"))
        .withKaggleEndpoint(server.endpoint())
        .withKaggleCache(tmp.resolve("kagglehub"));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private BertMaskedLM load(String source, HubSettings settings) {
    return BertMaskedLM.fromPreset(source, PresetOptions.builder().hub(settings).build());
  }

  private Path versionDir() {
    return tmp.resolve("kagglehub/models/test-owner/bert/keras/fixture/2");
  }

  private Path marker(String file) {
    return tmp.resolve("kagglehub/models/test-owner/bert/keras/fixture/.complete/2/" + file + ".complete");
  }

  @Test
  void downloadsIntoKagglehubsCacheLayoutAndReproducesTheFixture() throws Exception {
    BertMaskedLM mlm = load(HANDLE, hub);
    assertThat(KerasFixture.logitsError(mlm)).isAtMost(1e-5);
    assertThat(KerasFixture.sameWeights(mlm, BertMaskedLM.fromPreset(KerasFixture.preset().toString()))).isTrue();
    for (String f : List.of("config.json", "model.weights.h5", "task.json", "task.weights.h5", "tokenizer.json",
        "assets/tokenizer/vocabulary.txt")) {
      assertThat(Files.mismatch(versionDir().resolve(f), KerasFixture.preset().resolve(f))).isEqualTo(-1L);
      assertThat(Files.isRegularFile(marker(f))).isTrue();
    }
    // the fixture has no preprocessor.json and no sharded index: remembered as absent
    assertThat(Files.isRegularFile(tmp.resolve("kagglehub/models/test-owner/bert/keras/fixture/.complete/2/"
        + "preprocessor.json.absent"))).isTrue();
    assertThat(Files.exists(versionDir().resolve("model.weights.json"))).isFalse();
    // metadata.json is not needed, so not fetched (keras-hub does not fetch it either)
    assertThat(Files.exists(versionDir().resolve("metadata.json"))).isFalse();
    try (var files = Files.walk(versionDir())) {
      assertThat(files.filter(p -> p.toString().endsWith(".incomplete")).count()).isEqualTo(0);
    }
    // kagglehub's URL layout, through the storage redirect
    assertThat(server.requests().stream().map(HubTestServer.Request::path).toList())
        .containsAtLeast("/api/v1/models/test-owner/bert/keras/fixture/2/download/config.json",
            "/gcs/test-owner/bert/keras/fixture/2/download/config.json");
  }

  @Test
  void secondLoadIsACacheHitWithoutNetwork() {
    load(HANDLE, hub);
    server.close();
    server.clearRequests();
    BertMaskedLM again = load(HANDLE, hub);
    assertThat(KerasFixture.logitsError(again)).isAtMost(1e-5);
    assertThat(server.requests()).isEmpty();
    // and with the network forbidden outright
    BertMaskedLM offline = load(HANDLE, hub.withOffline(true));
    assertThat(KerasFixture.sameWeights(again, offline)).isTrue();
  }

  @Test
  void unversionedHandleAsksForTheLatestVersion() {
    server.kaggleModel("test-owner/bert/keras/fixture", 1, KerasFixture.preset());
    load("kaggle://test-owner/bert/keras/fixture", hub);
    assertThat(server.requests().get(0).path()).isEqualTo("/api/v1/models/test-owner/bert/keras/fixture/get");
    assertThat(Files.isRegularFile(marker("model.weights.h5"))).isTrue();
    // offline, the highest cached version is used, with a warning
    try (LogCapture log = new LogCapture()) {
      load("kaggle://test-owner/bert/keras/fixture", hub.withOffline(true));
      assertThat(String.join("\n", log.messages(Level.WARNING))).contains("using version 2, the highest in the "
          + "kagglehub cache");
    }
  }

  @Test
  void brokenDownloadIsResumedWithARangeRequest() throws Exception {
    server.dropOnceAfter("/2/download/model.weights.h5", 1_000_000);
    PresetException e = assertThrows(PresetException.class, () -> load(HANDLE, hub));
    Path partial = versionDir().resolve("model.weights.h5.incomplete");
    long received = Files.size(partial); // what reached the client of the 1,000,000 bytes sent
    assertThat(received).isGreaterThan(0L);
    assertThat(e.getMessage()).contains("broke off after " + received + " of 3169552 bytes");
    assertThat(e.getMessage()).contains("the next try resumes it");
    assertThat(Files.exists(versionDir().resolve("model.weights.h5"))).isFalse();

    server.clearRequests();
    BertMaskedLM mlm = load(HANDLE, hub);
    assertThat(KerasFixture.logitsError(mlm)).isAtMost(1e-5);
    HubTestServer.Request resumed = server.requests().stream()
        .filter(r -> r.path().endsWith("/gcs/test-owner/bert/keras/fixture/2/download/model.weights.h5"))
        .findFirst().orElseThrow();
    assertThat(resumed.header("Range")).isEqualTo("bytes=" + received + "-");
    assertThat(Files.mismatch(versionDir().resolve("model.weights.h5"),
        KerasFixture.preset().resolve("model.weights.h5"))).isEqualTo(-1L);
    assertThat(Files.exists(partial)).isFalse();
  }

  @Test
  void fileKagglehubLeftHalfWrittenIsResumed() throws Exception {
    Path weights = versionDir().resolve("model.weights.h5");
    Files.createDirectories(weights.getParent());
    byte[] all = Files.readAllBytes(KerasFixture.preset().resolve("model.weights.h5"));
    Files.write(weights, java.util.Arrays.copyOf(all, 777_777)); // kagglehub writes in place, marker last
    BertMaskedLM mlm = load(HANDLE, hub);
    assertThat(KerasFixture.logitsError(mlm)).isAtMost(1e-5);
    assertThat(server.requests().stream().filter(r -> r.path().startsWith("/gcs/")
        && r.path().endsWith("/model.weights.h5")).map(r -> r.header("Range")).toList()).containsExactly("bytes=777777-");
    assertThat(Files.mismatch(weights, KerasFixture.preset().resolve("model.weights.h5"))).isEqualTo(-1L);
  }

  @Test
  void corruptedDownloadIsRejectedByItsMd5() {
    server.corrupt("/download/model.weights.h5");
    PresetException e = assertThrows(PresetException.class, () -> load(HANDLE, hub));
    assertThat(e.getMessage()).contains("is corrupted: its MD5 is");
    assertThat(e.getMessage()).contains("but the x-goog-hash header says");
    assertThat(Files.exists(versionDir().resolve("model.weights.h5"))).isFalse();
    assertThat(Files.exists(versionDir().resolve("model.weights.h5.incomplete"))).isFalse();
    assertThat(Files.exists(marker("model.weights.h5"))).isFalse();
  }

  @Test
  void notFoundIsAClearError() {
    String m = assertThrows(PresetException.class, () -> load("kaggle://test-owner/bert/keras/nothing/1", hub))
        .getMessage();
    assertThat(m).contains("kaggle://test-owner/bert/keras/nothing/1 has no config.json");
    assertThat(m).contains("answered 404 Not Found");
    assertThat(m).contains("check the handle on https://www.kaggle.com/models/test-owner/bert/keras/nothing/1");
    String latest = assertThrows(PresetException.class, () -> load("kaggle://test-owner/bert/keras/nothing", hub))
        .getMessage();
    assertThat(latest).contains("Kaggle has no model kaggle://test-owner/bert/keras/nothing (404 Not Found at "
        + server.endpoint() + "/api/v1/models/test-owner/bert/keras/nothing/get)");
  }

  @Test
  void unauthorizedIsAClearErrorAndCredentialsAreSentAsBasicAuthentication() {
    server.requireKaggleCredentials("alice", "s3cret");
    String m = assertThrows(PresetException.class, () -> load(HANDLE, hub)).getMessage();
    assertThat(m).contains("Kaggle refused the credentials (401 Unauthorized) for config.json");
    assertThat(m).contains("no Kaggle credentials are set (KAGGLE_USERNAME and KAGGLE_KEY, or ~/.kaggle/kaggle.json)");
    String wrong = assertThrows(PresetException.class,
        () -> load(HANDLE, hub.withKaggleCredentials("alice", "wrong"))).getMessage();
    assertThat(wrong).contains("the credentials used are the Kaggle user alice");

    server.clearRequests();
    BertMaskedLM mlm = load(HANDLE, hub.withKaggleCredentials("alice", "s3cret"));
    assertThat(KerasFixture.logitsError(mlm)).isAtMost(1e-5);
    for (HubTestServer.Request r : server.requests()) {
      if (r.path().startsWith("/api/")) {
        assertThat(r.header("Authorization")).isEqualTo("Basic YWxpY2U6czNjcmV0");
      } else {
        assertThat(r.header("Authorization")).isNull(); // not sent on to the storage host
      }
    }
  }

  @Test
  void kaggleJsonCredentialsAreRead() throws Exception {
    server.requireKaggleCredentials("bob", "k3y");
    Path home = tmp.resolve("home");
    Files.createDirectories(home.resolve(".kaggle"));
    Files.writeString(home.resolve(".kaggle/kaggle.json"), "{\"username\": \"bob\", \"key\": \"k3y\"}");
    HubSettings fromFile = HubSettings.fromEnvironment(Map.of(), home).withKaggleEndpoint(server.endpoint())
        .withKaggleCache(tmp.resolve("kagglehub"));
    assertThat(KerasFixture.logitsError(load(HANDLE, fromFile))).isAtMost(1e-5);
  }

  @Test
  void builtInNameDownloadsItsKaggleHandle() {
    server.kaggleModel("keras/bert/keras/bert_tiny_en_uncased", 3, KerasFixture.preset());
    BertMaskedLM mlm = load("bert_tiny_en_uncased", hub);
    assertThat(KerasFixture.logitsError(mlm)).isAtMost(1e-5);
    assertThat(server.requests().get(0).path())
        .isEqualTo("/api/v1/models/keras/bert/keras/bert_tiny_en_uncased/3/download/config.json");
    assertThat(Files.isRegularFile(tmp.resolve("kagglehub/models/keras/bert/keras/bert_tiny_en_uncased/.complete/3/"
        + "model.weights.h5.complete"))).isTrue();
    assertThat(presetIsCached(hub)).isTrue();
  }

  private static boolean presetIsCached(HubSettings settings) {
    return dev.bertgen.models.Task.presets(settings).get("bert_tiny_en_uncased").cached();
  }

  @Test
  void generatedClassRefusesAnotherArchitectureBeforeDownloadingWeights() {
    server.kaggleModel("keras/bert/keras/bert_tiny_en_uncased", 3, KerasFixture.preset());
    Specialization tiny = new Specialization(BuiltinPresets.get("bert_tiny_en_uncased"), "p.TinyBertMaskedLM",
        dev.bertgen.compute.KernelFactory.generic());
    PresetException e = assertThrows(PresetException.class, () -> ModelState.load(
        BuiltinPresets.get("bert_tiny_en_uncased").kaggleHandle(), PresetOptions.builder().hub(hub).build(), tiny,
        true));
    assertThat(e.diagnostic()).isEqualTo(Diagnostic.ARCHITECTURE_MISMATCH);
    assertThat(server.requests().stream().map(HubTestServer.Request::path)
        .filter(p -> p.contains("/download/")).distinct().toList())
        .containsExactly("/api/v1/models/keras/bert/keras/bert_tiny_en_uncased/3/download/config.json",
            "/gcs/keras/bert/keras/bert_tiny_en_uncased/3/download/config.json");
  }

  @Test
  void withoutWeightsOnlyConfigAndTokenizerAreDownloaded() {
    BertMaskedLM fresh = BertMaskedLM.fromPreset(HANDLE, PresetOptions.builder().hub(hub).loadWeights(false).build());
    assertThat(fresh.preprocessor()).isNotNull();
    assertThat(Files.exists(versionDir().resolve("model.weights.h5"))).isFalse();
    assertThat(Files.exists(versionDir().resolve("task.weights.h5"))).isFalse();
  }

  @Test
  void progressIsOneUpdatingLineWithAConsoleAndOneLogLinePerFileWithout() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream stream = new PrintStream(err, true, StandardCharsets.UTF_8);
    load(HANDLE, hub.withProgress(true, stream));
    String shown = err.toString(StandardCharsets.UTF_8);
    assertThat(shown).contains("\rDownloading kaggle://test-owner/bert/keras/fixture/2/model.weights.h5: ");
    assertThat(shown).contains("100% 3.0 MiB / 3.0 MiB");
    assertThat(shown).contains(", done\n");

    ByteArrayOutputStream quiet = new ByteArrayOutputStream();
    try (LogCapture log = new LogCapture()) {
      load("kaggle://test-owner/bert/keras/fixture/2", hub.withKaggleCache(tmp.resolve("other"))
          .withProgress(false, new PrintStream(quiet, true, StandardCharsets.UTF_8)));
      assertThat(quiet.size()).isEqualTo(0);
      assertThat(log.messages(Level.INFO).stream().filter(m -> m.startsWith("downloaded ")).count()).isEqualTo(6);
    }
  }
}
