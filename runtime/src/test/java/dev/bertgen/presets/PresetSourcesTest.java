package dev.bertgen.presets;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.bertgen.models.PresetOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sources that are not preset directories BertGen reads, and how they are reported. */
class PresetSourcesTest {
  @TempDir Path tmp;

  private static String failure(String source) {
    return assertThrows(PresetException.class,
        () -> PresetLoader.load(source, PresetOptions.defaults(), null, true)).getMessage();
  }

  @Test
  void remoteSourcesAreNotSupportedYet() {
    assertThat(failure("kaggle://keras/bert/keras/bert_tiny_en_uncased/3")).contains("it is a Kaggle handle");
    assertThat(failure("hf://google-bert/bert-base-uncased")).contains("it is a Hugging Face Hub repository");
    for (String source : new String[] {"kaggle://a/b/c/d", "hf://a/b", "gs://bucket/preset"}) {
      assertThat(failure(source)).contains("So far BertGen loads presets only from local directories");
    }
  }

  @Test
  void builtInNameIsNotResolvedYet() {
    String m = failure("bert_tiny_en_uncased");
    assertThat(m).contains("it is a built-in preset name and there is no directory");
    assertThat(m).contains("only from local directories");
  }

  @Test
  void missingDirectoryIsNamed() {
    Path missing = tmp.resolve("nowhere");
    assertThat(failure(missing.toString())).contains("there is no directory " + missing.toAbsolutePath());
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
