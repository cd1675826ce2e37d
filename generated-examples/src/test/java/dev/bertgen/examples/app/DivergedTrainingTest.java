package dev.bertgen.examples.app;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import dev.bertgen.models.BertMaskedLM;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bertgen train --learning-rate 1e9}: the run diverges, and the app stops at the first NaN
 * loss with exit code 3, keeping the last checkpoint written before it as it was (finite weights) and
 * writing no trained preset.
 */
class DivergedTrainingTest {

  @Test
  void aDivergingRunStopsWithExitCode3AndKeepsItsLastGoodCheckpoint(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("glosses.txt");
    Files.write(data, EmbeddedCorpus.lines().subList(0, 64), StandardCharsets.UTF_8);
    Path output = dir.resolve("run");
    BertGenAppTest.Result r = BertGenAppTest.run("train", "--preset", TrainKillResumeTest.referencePreset().toString(),
        "--data", data.toString(), "--batch-size", "4", "--sequence-length", "16", "--epochs", "3",
        "--learning-rate", "1e9", "--checkpoint-every", "1", "--output", output.toString());
    assertWithMessage("%s", r).that(r.exitCode()).isEqualTo(BertGenApp.DIVERGED);
    assertThat(r.err()).containsMatch("^bertgen train: training diverged at epoch \\d+, batch \\d+ \\(update \\d+\\): "
        + "loss \\S+, gradient norm \\S+; nothing was saved from it; .*checkpoint keeps the last good "
        + "checkpoint \\(update \\d+\\)\\. Train again with a lower --learning-rate \\(it was 1\\.00e\\+09\\) and a new --output\n$");
    assertThat(r.out()).doesNotContain("trained preset");
    assertThat(Files.exists(output.resolve("preset"))).isFalse();
    // the checkpoint loads (loading refuses weights that are not finite) and is one update before the bad one
    Checkpoint.State state = Checkpoint.readState(output.resolve(Checkpoint.DIR));
    assertThat(r.err()).contains("checkpoint (update " + state.iterations() + ")");
    assertThat(r.err()).contains("(update " + (state.iterations() + 1) + ")");
    BertMaskedLM saved = BertMaskedLM.fromPreset(output.resolve(Checkpoint.DIR).toString());
    for (Map.Entry<String, float[]> w : saved.getWeights().entrySet()) {
      for (float v : w.getValue()) {
        assertWithMessage("%s", w.getKey()).that(Float.isFinite(v)).isTrue();
      }
    }
  }
}
