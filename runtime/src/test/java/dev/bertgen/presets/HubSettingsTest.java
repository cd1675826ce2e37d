package dev.bertgen.presets;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.bertgen.presets.hub.HubSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The environment read as kagglehub and huggingface_hub read it. */
class HubSettingsTest {
  @TempDir Path home;

  @Test
  void defaults() {
    HubSettings s = HubSettings.fromEnvironment(Map.of(), home);
    assertThat(s.kaggleEndpoint()).isEqualTo("https://www.kaggle.com");
    assertThat(s.kaggleCache()).isEqualTo(home.resolve(".cache/kagglehub"));
    assertThat(s.kaggleCredentials()).isNull();
    assertThat(s.hfEndpoint()).isEqualTo("https://huggingface.co");
    assertThat(s.hfHubCache()).isEqualTo(home.resolve(".cache/huggingface/hub"));
    assertThat(s.hfToken()).isNull();
    assertThat(s.hfOffline()).isFalse();
    assertThat(s.offline()).isFalse();
  }

  @Test
  void variables() {
    HubSettings s = HubSettings.fromEnvironment(Map.of(
        "KAGGLEHUB_CACHE", "/k", "KAGGLE_API_ENDPOINT", "http://mirror:8080/", "KAGGLE_USERNAME", "u",
        "KAGGLE_KEY", "k", "HF_ENDPOINT", "http://hf-mirror/", "HF_HOME", "/h", "HF_TOKEN", "hf_x\n",
        "HF_HUB_OFFLINE", "yes"), home);
    assertThat(s.kaggleCache()).isEqualTo(Path.of("/k"));
    assertThat(s.kaggleEndpoint()).isEqualTo("http://mirror:8080");
    assertThat(s.kaggleCredentials().authorization()).isEqualTo("Basic dTpr");
    assertThat(s.hfEndpoint()).isEqualTo("http://hf-mirror");
    assertThat(s.hfHubCache()).isEqualTo(Path.of("/h/hub"));
    assertThat(s.hfToken()).isEqualTo("hf_x");
    assertThat(s.hfOffline()).isTrue();
    assertThat(HubSettings.fromEnvironment(Map.of("HF_HOME", "/h", "HF_HUB_CACHE", "/c"), home).hfHubCache())
        .isEqualTo(Path.of("/c"));
    assertThat(HubSettings.fromEnvironment(Map.of("HUGGINGFACE_HUB_CACHE", "/old"), home).hfHubCache())
        .isEqualTo(Path.of("/old"));
    assertThat(HubSettings.fromEnvironment(Map.of("XDG_CACHE_HOME", "/x"), home).hfHubCache())
        .isEqualTo(Path.of("/x/huggingface/hub"));
    assertThat(HubSettings.fromEnvironment(Map.of("KAGGLE_API_TOKEN", "tok"), home).kaggleCredentials()
        .authorization()).isEqualTo("Bearer tok");
    assertThat(HubSettings.fromEnvironment(Map.of("BERTGEN_OFFLINE", "1"), home).hfOffline()).isTrue();
    assertThat(HubSettings.fromEnvironment(Map.of("HF_HUB_OFFLINE", "0"), home).hfOffline()).isFalse();
  }

  @Test
  void tokenAndCredentialFiles() throws Exception {
    Files.createDirectories(home.resolve(".cache/huggingface"));
    Files.writeString(home.resolve(".cache/huggingface/token"), "hf_from_file\n");
    Files.createDirectories(home.resolve(".kaggle"));
    Files.writeString(home.resolve(".kaggle/kaggle.json"), "{\"username\": \"ann\", \"key\": \"abc\"}");
    HubSettings s = HubSettings.fromEnvironment(Map.of(), home);
    assertThat(s.hfToken()).isEqualTo("hf_from_file");
    assertThat(s.kaggleCredentials().username()).isEqualTo("ann");
    // the environment wins over the files
    assertThat(HubSettings.fromEnvironment(Map.of("HF_TOKEN", "hf_env", "KAGGLE_USERNAME", "v", "KAGGLE_KEY", "w"),
        home).kaggleCredentials().username()).isEqualTo("v");
    Path other = Files.createDirectories(home.resolve("cfg"));
    Files.writeString(other.resolve("kaggle.json"), "{\"username\": \"cfg\"}");
    HubSettings broken = HubSettings.fromEnvironment(Map.of("KAGGLE_CONFIG_DIR", other.toString()), home);
    assertThat(broken.hfHubCache()).isEqualTo(home.resolve(".cache/huggingface/hub")); // usable for hf://
    String m = assertThrows(PresetException.class, broken::kaggleCredentials).getMessage();
    assertThat(m).contains(other.resolve("kaggle.json") + " has no \"key\"");
  }
}
