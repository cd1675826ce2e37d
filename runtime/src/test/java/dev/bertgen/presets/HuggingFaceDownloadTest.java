package dev.bertgen.presets;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.bertgen.models.BertMaskedLM;
import dev.bertgen.models.PresetOptions;
import dev.bertgen.presets.hub.HubSettings;
import dev.bertgen.testing.ReferenceFixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hf://} against a local stand-in for huggingface.co, in huggingface_hub's cache layout. */
class HuggingFaceDownloadTest {
  private static final String REPO = "test-org/tiny-bert";

  @TempDir Path tmp;
  private HubTestServer server;
  private HubSettings hub;
  private BertMaskedLM direct;

  @BeforeEach
  void start() throws Exception {
    server = new HubTestServer().hfRepo(REPO, ReferenceFixtures.huggingFace(), Set.of("model.safetensors"));
    hub = HubSettings.fromEnvironment(Map.of(), tmp.resolve("home"))
        .withHfEndpoint(server.endpoint())
        .withHfHubCache(tmp.resolve("hub"));
    direct = BertMaskedLM.fromPreset(ReferenceFixtures.huggingFace().toString());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private BertMaskedLM load(String source, HubSettings settings) {
    return BertMaskedLM.fromPreset(source, PresetOptions.builder().hub(settings).build());
  }

  private Path storage() {
    return tmp.resolve("hub/models--test-org--tiny-bert");
  }

  @Test
  void downloadsIntoHuggingFaceHubsCacheLayout() throws Exception {
    BertMaskedLM mlm = load("hf://" + REPO, hub);
    assertThat(KerasFixture.sameWeights(mlm, direct)).isTrue();
    String commit = server.hfCommit(REPO);
    assertThat(Files.readString(storage().resolve("refs/main"), StandardCharsets.UTF_8)).isEqualTo(commit);
    Path snapshot = storage().resolve("snapshots").resolve(commit);
    for (String f : new String[] {"config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"}) {
      Path p = snapshot.resolve(f);
      assertThat(Files.isSymbolicLink(p)).isTrue();
      assertThat(Files.readSymbolicLink(p).toString()).startsWith("../../blobs/");
      assertThat(Files.mismatch(p, ReferenceFixtures.huggingFace().resolve(f))).isEqualTo(-1L);
    }
    // the safetensors blob is named by its SHA-256 (an LFS file), the others by their git blob SHA-1
    String sha256 = HubTestServer.hex(HubTestServer.sha("SHA-256",
        Files.readAllBytes(ReferenceFixtures.huggingFace().resolve("model.safetensors"))));
    assertThat(Files.isRegularFile(storage().resolve("blobs").resolve(sha256))).isTrue();
    // absent files are remembered under .no_exist/<commit>
    assertThat(Files.isRegularFile(storage().resolve(".no_exist").resolve(commit).resolve("model.safetensors"
        + ".index.json"))).isFalse(); // not asked: model.safetensors exists
    assertThat(server.requests().stream().filter(r -> r.method().equals("HEAD")).map(HubTestServer.Request::path)
        .toList()).contains("/" + REPO + "/resolve/main/config.json");
    // later files are asked at the commit the first one gave, so they come from one snapshot
    assertThat(server.requests().stream().filter(r -> r.method().equals("HEAD")).map(HubTestServer.Request::path)
        .toList()).contains("/" + REPO + "/resolve/" + commit + "/model.safetensors");
    // headers huggingface_hub sends on its metadata request
    assertThat(server.requests().get(0).header("Accept-Encoding")).isEqualTo("identity");
  }

  @Test
  void absentFilesAreRememberedAndNotAskedOffline() throws Exception {
    Path dir = tmp.resolve("repo");
    Files.createDirectories(dir);
    for (String f : new String[] {"config.json", "model.safetensors", "tokenizer.json"}) {
      Files.copy(ReferenceFixtures.huggingFace().resolve(f), dir.resolve(f));
    }
    server.hfRepo("test-org/no-config", dir, Set.of("model.safetensors"));
    load("hf://test-org/no-config", hub);
    String commit = server.hfCommit("test-org/no-config");
    Path noExist = tmp.resolve("hub/models--test-org--no-config/.no_exist").resolve(commit);
    assertThat(Files.isRegularFile(noExist.resolve("tokenizer_config.json"))).isTrue();
    server.close();
    server.clearRequests();
    try (LogCapture log = new LogCapture()) {
      load("hf://test-org/no-config", hub.withOffline(true));
      assertThat(String.join("\n", log.messages(java.util.logging.Level.WARNING))).doesNotContain("cannot be found out");
    }
  }

  @Test
  void secondLoadIsACacheHitWithoutNetwork() {
    load("hf://" + REPO, hub);
    server.close();
    server.clearRequests();
    BertMaskedLM again = load("hf://" + REPO, hub);
    assertThat(KerasFixture.sameWeights(again, direct)).isTrue();
    BertMaskedLM offline = BertMaskedLM.fromPreset("hf://" + REPO, PresetOptions.builder()
        .hub(HubSettings.fromEnvironment(Map.of("HF_HUB_OFFLINE", "1", "HF_HUB_CACHE", tmp.resolve("hub").toString(),
            "HF_ENDPOINT", "http://127.0.0.1:9"), tmp.resolve("home"))).build());
    assertThat(KerasFixture.sameWeights(offline, direct)).isTrue();
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void tokenIsSentToTheHubButNotToTheCdn() {
    server.hfRepo("test-org/private", ReferenceFixtures.huggingFace(), Set.of("model.safetensors"), "hf_secret", false);
    String m = assertThrows(PresetException.class, () -> load("hf://test-org/private", hub)).getMessage();
    assertThat(m).contains("the Hugging Face Hub has no repository test-org/private that this request may see (401 "
        + "RepoNotFound");
    assertThat(m).contains("set HF_TOKEN to a token with access; no token is set");

    server.clearRequests();
    BertMaskedLM mlm = load("hf://test-org/private", hub.withHfToken("hf_secret"));
    assertThat(KerasFixture.sameWeights(mlm, direct)).isTrue();
    for (HubTestServer.Request r : server.requests()) {
      if (r.path().startsWith("/cdn/")) {
        assertThat(r.header("Authorization")).isNull();
      } else {
        assertThat(r.header("Authorization")).isEqualTo("Bearer hf_secret");
      }
    }
    assertThat(server.requests().stream().anyMatch(r -> r.path().startsWith("/cdn/"))).isTrue();
  }

  @Test
  void gatedRepositoryIsAClearError() {
    server.hfRepo("test-org/gated", ReferenceFixtures.huggingFace(), Set.of(), "hf_ok", true);
    String m = assertThrows(PresetException.class, () -> load("hf://test-org/gated", hub)).getMessage();
    assertThat(m).contains("hf://test-org/gated is gated (403");
    assertThat(m).contains("accept its terms on https://huggingface.co/test-org/gated");
  }

  @Test
  void missingRepositoryIsAClearError() {
    String m = assertThrows(PresetException.class, () -> load("hf://test-org/nothing", hub)).getMessage();
    assertThat(m).contains("has no repository test-org/nothing");
  }

  @Test
  void corruptedDownloadIsRejectedByItsSha256() throws Exception {
    server.corrupt("/cdn/" + HubTestServer.hex(HubTestServer.sha("SHA-256",
        readAll(ReferenceFixtures.huggingFace().resolve("model.safetensors")))));
    String m = assertThrows(PresetException.class, () -> load("hf://" + REPO, hub)).getMessage();
    assertThat(m).contains("is corrupted: its SHA-256 is");
    assertThat(m).contains("the hub (X-Linked-Etag) says");
    try (var blobs = Files.list(storage().resolve("blobs"))) {
      assertThat(blobs.filter(p -> p.getFileName().toString().length() == 64
          || p.toString().endsWith(".incomplete")).count()).isEqualTo(0);
    }
  }

  @Test
  void corruptedSmallFileIsRejectedByItsGitBlobHash() {
    server.corrupt("/resolve/main/config.json");
    String m = assertThrows(PresetException.class, () -> load("hf://" + REPO, hub)).getMessage();
    assertThat(m).contains("is corrupted: its git-sha1 is");
  }

  @Test
  void brokenDownloadIsResumed() throws Exception {
    String sha256 = HubTestServer.hex(HubTestServer.sha("SHA-256",
        readAll(ReferenceFixtures.huggingFace().resolve("model.safetensors"))));
    server.dropOnceAfter("/cdn/" + sha256, 2_000_000);
    String m = assertThrows(PresetException.class, () -> load("hf://" + REPO, hub)).getMessage();
    long received = Files.size(storage().resolve("blobs/" + sha256 + ".incomplete"));
    assertThat(received).isGreaterThan(0L);
    assertThat(m).contains("broke off after " + received + " of 6325120 bytes");
    server.clearRequests();
    assertThat(KerasFixture.sameWeights(load("hf://" + REPO, hub), direct)).isTrue();
    assertThat(server.requests().stream().filter(r -> r.path().startsWith("/cdn/")).findFirst().orElseThrow()
        .header("Range")).isEqualTo("bytes=" + received + "-");
  }

  private static byte[] readAll(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
