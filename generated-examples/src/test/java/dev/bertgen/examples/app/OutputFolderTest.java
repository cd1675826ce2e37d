package dev.bertgen.examples.app;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.bertgen.examples.app.BertGenAppTest.Result;
import dev.bertgen.examples.presets.TinyBertMaskedLM;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --output} of {@code train} and {@code demo}: the app deletes or replaces only what it wrote
 * itself, refuses anything else before loading a model or training, and still resumes from its own
 * output, that of a version without markers included.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OutputFolderTest {

  private static final String PRECIOUS = "precious";

  private Path data;

  @BeforeAll
  void writeData(@TempDir Path dir) throws IOException {
    data = dir.resolve("glosses.txt");
    Files.write(data, EmbeddedCorpus.lines().subList(200, 232), StandardCharsets.UTF_8);
  }

  private Result train(Path output, String... more) {
    List<String> args = new ArrayList<>(List.of("train", "--from-scratch", "--data", data.toString(), "--batch-size",
        "16", "--sequence-length", "16", "--output", output.toString()));
    args.addAll(List.of(more));
    return BertGenAppTest.run(args.toArray(String[]::new));
  }

  /** Refused in one line naming {@code path}, before anything was loaded or trained. */
  private static void assertRefusedAtStart(Result r, Path path) {
    assertWithMessage("%s", r).that(r.exitCode()).isEqualTo(2);
    assertWithMessage("%s", r).that(r.err().strip().lines().count()).isEqualTo(1);
    assertWithMessage("%s", r).that(r.err()).contains(path.toString());
    assertWithMessage("%s", r).that(r.err()).contains("choose another --output");
    assertWithMessage("nothing may be loaded or trained first: %s", r).that(r.out()).isEmpty();
  }

  @Test
  void trainRefusesAUserFileInsideAFolderNamedCheckpoint(@TempDir Path dir) throws IOException {
    Path thesis = dir.resolve("D/checkpoint/mythesis.txt");
    Files.createDirectories(thesis.getParent());
    Files.writeString(thesis, PRECIOUS);
    assertRefusedAtStart(train(dir.resolve("D")), thesis);
    assertThat(Files.readString(thesis)).isEqualTo(PRECIOUS);
  }

  @ParameterizedTest
  @ValueSource(strings = {"checkpoint", "checkpoint.partial", "checkpoint.old", "preset"})
  void trainRefusesAPlainFileWhereItKeepsAFolder(String name, @TempDir Path dir) throws IOException {
    Path file = dir.resolve("D").resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, PRECIOUS);
    assertRefusedAtStart(train(dir.resolve("D")), file);
    assertThat(Files.readString(file)).isEqualTo(PRECIOUS);
  }

  @Test
  void trainRefusesAUserFolderAtPresetBeforeTraining(@TempDir Path dir) throws IOException {
    Path notes = dir.resolve("D/preset/notes.txt");
    Files.createDirectories(notes.getParent());
    Files.writeString(notes, PRECIOUS);
    assertRefusedAtStart(train(dir.resolve("D")), notes);
    assertThat(Files.readString(notes)).isEqualTo(PRECIOUS);
  }

  @Test
  void trainAndDemoRefuseAFolderHoldingOtherFiles(@TempDir Path dir) throws IOException {
    Path mine = dir.resolve("D/mythesis.txt");
    Files.createDirectories(mine.getParent());
    Files.writeString(mine, PRECIOUS);
    assertRefusedAtStart(train(dir.resolve("D")), mine);
    assertRefusedAtStart(BertGenAppTest.run("demo", "--output", dir.resolve("D").toString()), mine);
    Path presetFile = dir.resolve("E/preset/mythesis.txt");
    Files.createDirectories(presetFile.getParent());
    Files.writeString(presetFile, PRECIOUS);
    assertRefusedAtStart(BertGenAppTest.run("demo", "--output", dir.resolve("E").toString()), presetFile);
    assertThat(Files.readString(mine)).isEqualTo(PRECIOUS);
    assertThat(Files.readString(presetFile)).isEqualTo(PRECIOUS);
  }

  @Test
  void trainRefusesALinkWhereItKeepsAFolder(@TempDir Path dir) throws IOException {
    Path user = dir.resolve("my-folder");
    Files.createDirectories(user);
    Files.writeString(user.resolve("mythesis.txt"), PRECIOUS);
    Path link = dir.resolve("D/checkpoint.old");
    Files.createDirectories(link.getParent());
    Files.createSymbolicLink(link, user);
    assertRefusedAtStart(train(dir.resolve("D")), link);
    assertThat(Files.readString(user.resolve("mythesis.txt"))).isEqualTo(PRECIOUS);
  }

  @Test
  void trainMarksWhatItWritesAndResumesItsOwnOutputWithOrWithoutMarkers(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("run");
    Files.createDirectories(out); // an empty folder is fine
    Result first = train(out, "--epochs", "1");
    assertWithMessage("%s", first).that(first.exitCode()).isEqualTo(0);
    assertThat(Files.readString(out.resolve(".bertgen"))).contains("bertgen train output");
    assertThat(Files.readString(out.resolve("checkpoint/.bertgen"))).contains("bertgen checkpoint");
    assertThat(Files.readString(out.resolve("preset/.bertgen"))).contains("bertgen preset");

    Result marked = train(out, "--epochs", "2");
    assertWithMessage("%s", marked).that(marked.exitCode()).isEqualTo(0);
    assertThat(marked.out()).contains("resuming from " + out.resolve("checkpoint"));
    assertThat(marked.out()).contains("done: 2 steps");

    // the output of a BertGen without markers: recognized by its layout, and marked from then on
    List<Path> markers;
    try (Stream<Path> walk = Files.walk(out)) {
      markers = walk.filter(p -> p.getFileName().toString().equals(".bertgen")).toList();
    }
    assertThat(markers).hasSize(3);
    for (Path m : markers) {
      Files.delete(m);
    }
    Result legacy = train(out, "--epochs", "3");
    assertWithMessage("%s", legacy).that(legacy.exitCode()).isEqualTo(0);
    assertThat(legacy.out()).contains("resuming from " + out.resolve("checkpoint"));
    assertThat(legacy.out()).contains("done: 2 steps");
    assertThat(Files.exists(out.resolve(".bertgen"))).isTrue();
    assertThat(Files.exists(out.resolve("checkpoint/.bertgen"))).isTrue();

    // a file of the user's inside BertGen's own preset folder is not BertGen's to replace
    Path readme = out.resolve("preset/README.md");
    Files.writeString(readme, PRECIOUS);
    assertRefusedAtStart(train(out, "--epochs", "4"), readme);
    assertThat(Files.readString(readme)).isEqualTo(PRECIOUS);
    Files.delete(readme);

    // the output of train is not demo's to write into
    Result demo = BertGenAppTest.run("demo", "--output", out.toString());
    assertWithMessage("%s", demo).that(demo.exitCode()).isEqualTo(2);
    assertWithMessage("%s", demo).that(demo.err()).contains("bertgen train");
    assertWithMessage("%s", demo).that(demo.err()).contains("choose another --output");
    assertThat(demo.out()).isEmpty();
  }

  @Test
  void aCheckpointIsNeverWrittenOverAFolderBertGenDidNotWrite(@TempDir Path dir) throws IOException {
    // the start-up check can be outrun (a file copied in while training): the save checks again
    Path partial = dir.resolve("checkpoint.partial");
    Files.createDirectories(partial);
    Files.writeString(partial.resolve("mythesis.txt"), PRECIOUS);
    Checkpoint.State state = new Checkpoint.State("bert_tiny_en_uncased", true, "data.txt", 1, 1, 1, 16, 3, 1e-3, 42,
        0, 0, 0, false, null);
    BertGenApp.UserException e = assertThrows(BertGenApp.UserException.class,
        () -> Checkpoint.save(TinyBertMaskedLM.create(1), state, dir));
    assertThat(e).hasMessageThat().contains(partial.resolve("mythesis.txt").toString());
    assertThat(Files.readString(partial.resolve("mythesis.txt"))).isEqualTo(PRECIOUS);
  }
}
