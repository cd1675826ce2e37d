package dev.bertgen.presets;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import dev.bertgen.models.ModelState;
import dev.bertgen.models.PresetOptions;
import dev.bertgen.presets.loading.PresetWriter;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM killed (SIGKILL) while it saves over an existing preset leaves a preset that loads and is
 * one of the complete versions: every weight file from the same save, all other weights unchanged.
 */
class InterruptedSaveTest {
  @TempDir Path tmp;

  @Test
  void killingTheJvmMidSaveLeavesACompleteVersion() throws Exception {
    Path source = KerasFixture.preset();
    ModelState original = ModelState.load(source.toString(), PresetOptions.defaults(), null, true);
    Path target = tmp.resolve("preset");
    SaveLoop.mark(original, 0);
    PresetWriter.save(target, new PresetWriter.Content(original.config(), original.weights(), SaveLoop.saved(original.tokenizer()),
        original.specialization().spec().preprocessor()));

    Random random = new Random(42);
    List<Integer> seen = new ArrayList<>();
    int interrupted = 0;
    for (int round = 0; round < 6; round++) {
      Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), SaveLoop.class.getName(), source.toString(),
          target.toString())
          .redirectErrorStream(true)
          .start();
      AtomicInteger saved = new AtomicInteger(0);
      AtomicInteger saving = new AtomicInteger(0);
      Thread reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line; (line = r.readLine()) != null; ) {
            if (line.startsWith("saved ")) {
              saved.set(Integer.parseInt(line.substring(6)));
            } else if (line.startsWith("saving ")) {
              saving.set(Integer.parseInt(line.substring(7)));
            }
          }
        } catch (Exception e) {
          // the child was killed
        }
      });
      reader.setDaemon(true);
      reader.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      int until = 2 + round % 3;
      while (saving.get() < until && child.isAlive() && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertWithMessage("the child process saves").that(child.isAlive()).isTrue();
      Thread.sleep(random.nextInt(40)); // somewhere inside save number `until`
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      if (java.nio.file.Files.exists(tmp.resolve(".preset.bertgen-new"))
          || java.nio.file.Files.exists(tmp.resolve(".preset.bertgen-old"))) {
        interrupted++;
      }

      ModelState loaded = ModelState.load(target.toString(), PresetOptions.defaults(), null, true);
      float embeddingMark = loaded.weights().get("token_embedding/embeddings")[0];
      float headMark = loaded.weights().get("mlm_head/output_bias")[0];
      assertWithMessage("model.weights.h5 and task.weights.h5 of the same save").that(headMark).isEqualTo(embeddingMark);
      int version = (int) embeddingMark;
      assertThat(version).isAtLeast(saved.get());
      assertThat(version).isAtMost(saved.get() + 1);
      seen.add(version);
      SaveLoop.mark(loaded, 0);
      SaveLoop.mark(original, 0);
      Map<String, float[]> a = loaded.weights().toMap(false);
      Map<String, float[]> b = original.weights().toMap(false);
      for (String path : b.keySet()) {
        assertWithMessage(path).that(a.get(path)).isEqualTo(b.get(path));
      }
      assertThat(loaded.tokenizer().vocabulary()).isEqualTo(original.tokenizer().vocabulary());
    }
    System.out.println("versions found after each kill: " + seen + "; kills that left a save half done: "
        + interrupted);
    assertWithMessage("some kill landed inside a save").that(interrupted).isAtLeast(1);
  }
}
