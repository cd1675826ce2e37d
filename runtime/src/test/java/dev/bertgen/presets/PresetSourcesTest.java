package dev.bertgen.presets;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.bertgen.models.ModelState;
import dev.bertgen.models.PresetOptions;
import dev.bertgen.presets.hub.HubSettings;
import dev.bertgen.spec.Diagnostic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sources that are not preset directories BertGen reads, and how they are reported. */
class PresetSourcesTest {
  @TempDir Path tmp;

  /** Settings with empty caches under {@link #tmp} and no network. */
  private HubSettings offline() {
    return HubSettings.fromEnvironment(Map.of(), tmp.resolve("home")).withOffline(true);
  }

  private PresetException error(String source) {
    return assertThrows(PresetException.class, () -> ModelState.load(source,
        PresetOptions.builder().hub(offline()).build(), null, true));
  }

  private String failure(String source) {
    return error(source).getMessage();
  }

  @Test
  void malformedKaggleHandlesNameTheInputAndTheForm() {
    String m = failure("kaggle://a/b");
    assertThat(m).contains("malformed Kaggle handle \"kaggle://a/b\": it has 2 segments");
    assertThat(m).contains("kaggle://{owner}/{model}/{framework}/{variation}[/{version}]");
    assertThat(failure("kaggle://keras/bert/keras/bert_tiny_en_uncased/latest"))
        .contains("the version \"latest\" is not a positive integer");
    assertThat(failure("kaggle://keras/bert/keras/bert_tiny_en_uncased/0")).contains("is not a positive integer");
    assertThat(failure("kaggle://keras//keras/x")).contains("segment 2 is empty");
    assertThat(failure("kaggle://keras/bert/keras/x/3/extra")).contains("it has 6 segments");
  }

  @Test
  void malformedHuggingFaceHandlesNameTheInputAndTheForm() {
    assertThat(failure("hf://a/b/c")).contains("malformed Hugging Face handle \"hf://a/b/c\": a repository id has "
        + "at most one '/'");
    assertThat(failure("hf://")).contains("the repository id is empty. Use hf://{org}/{model}");
    assertThat(failure("hf://org/na--me")).contains("cannot contain \"--\"");
    assertThat(failure("hf://org/-name")).contains("starting and ending with a letter or digit");
    assertThat(failure("hf://org/name.git")).contains("cannot end with \".git\"");
  }

  @Test
  void otherSchemesAreRefused() {
    String m = failure("gs://bucket/preset");
    assertThat(m).contains("the gs:// scheme is not supported");
    assertThat(m).contains("download the preset and pass its directory");
  }

  @Test
  void unknownNameGetsDidYouMean() {
    PresetException e = error("bert_tiny_en_uncase");
    assertThat(e.diagnostic()).isEqualTo(Diagnostic.UNKNOWN_PRESET);
    assertThat(e.getMessage()).startsWith("[BertUnknownPreset] Unknown preset \"bert_tiny_en_uncase\"; did you mean "
        + "\"bert_tiny_en_uncased\"?");
    assertThat(e.getMessage()).contains("It is not a directory either (there is no directory "
        + Path.of("bert_tiny_en_uncase").toAbsolutePath() + ")");
    assertThat(e.getMessage()).contains("kaggle://{owner}");
  }

  @Test
  void builtInNameOfflineAndUncachedListsEveryPlaceLooked() {
    String m = failure("bert_tiny_en_uncased");
    assertThat(m).contains("cannot load preset \"bert_tiny_en_uncased\": config.json of "
        + "kaggle://keras/bert/keras/bert_tiny_en_uncased/3 is neither cached nor downloadable. Looked in:");
    assertThat(m).contains("directory " + Path.of("bert_tiny_en_uncased").toAbsolutePath() + ": not there");
    assertThat(m).contains("kagglehub cache " + tmp.resolve("home/.cache/kagglehub/models/keras/bert/keras/"
        + "bert_tiny_en_uncased/3/config.json") + ": not there");
    assertThat(m).contains("https://www.kaggle.com/api/v1/models/keras/bert/keras/bert_tiny_en_uncased/3/download/"
        + "config.json: not asked, offline (BERTGEN_OFFLINE)");
    assertThat(m).contains("kagglehub.model_download(\"keras/bert/keras/bert_tiny_en_uncased/3\")");
  }

  @Test
  void huggingFaceOfflineAndUncachedListsEveryPlaceLooked() {
    String m = failure("hf://google-bert/bert-base-uncased");
    assertThat(m).contains("config.json of hf://google-bert/bert-base-uncased is neither cached nor downloadable");
    assertThat(m).contains("huggingface_hub cache " + tmp.resolve("home/.cache/huggingface/hub/"
        + "models--google-bert--bert-base-uncased") + ": not there");
    assertThat(m).contains("https://huggingface.co/google-bert/bert-base-uncased/resolve/main/config.json: not "
        + "asked, offline");
    assertThat(m).contains("huggingface_hub.snapshot_download(\"google-bert/bert-base-uncased\")");
  }

  @Test
  void missingDirectoryIsNamed() {
    Path missing = tmp.resolve("nowhere");
    String m = failure(missing.toString());
    assertThat(m).contains("cannot load preset \"" + missing + "\": there is no directory " + missing.toAbsolutePath());
    assertThat(m).contains("a preset directory (holding config.json), a built-in preset name");
  }

  @Test
  void fileInsteadOfDirectoryIsExplained() throws IOException {
    Path file = Files.writeString(tmp.resolve("config.json"), "{}");
    assertThat(failure(file.toString())).contains("is a file, not a directory");
  }

  @Test
  void directoryWithoutConfigIsNotAPreset() {
    assertThat(failure(tmp.toString())).contains("has no config.json, so it is not a preset directory");
  }

  @Test
  void configOfNeitherFormatIsRefused() throws IOException {
    Files.writeString(tmp.resolve("config.json"), "{\"hidden_size\": 8}");
    assertThat(failure(tmp.toString())).contains("is neither a keras-hub preset config");
  }

  @Test
  void timmConfigIsRefused() throws IOException {
    Files.writeString(tmp.resolve("config.json"), "{\"architecture\": \"resnet50\"}");
    assertThat(failure(tmp.toString())).contains("is a timm model");
  }

  @Test
  void malformedConfigNamesTheFile() throws IOException {
    Files.writeString(tmp.resolve("config.json"), "{\"model_type\": \"bert\",");
    String m = failure(tmp.toString());
    assertThat(m).contains(tmp.resolve("config.json") + " is not valid JSON");
  }
}
