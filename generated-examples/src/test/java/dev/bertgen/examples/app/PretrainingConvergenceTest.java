package dev.bertgen.examples.app;

import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bertgen.compute.Devices;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fast version of the pre-training run: the generated bert_tiny, from scratch, on the embedded
 * WordNet glosses, for 500 optimizer steps on the OpenCL device (PoCL in CI; about a minute on two
 * cores); the masked-LM loss on held-out lines must fall from about ln(30,522) = 10.33 by at least 2
 * nats. A step budget, not a time budget: the result does not depend on the machine's speed (the
 * learning-rate schedule follows the steps, the time limit of an hour is only a bound). The full run
 * is {@code ./bertgen demo} (3 minutes by default). Then the pre-trained model, fine-tuned as a
 * classifier for 100 steps, must beat the same classifier trained from scratch for as many steps.
 */
class PretrainingConvergenceTest {

  private static final Pattern HELD_OUT =
      Pattern.compile("held-out text: (\\d+\\.\\d+) before, (\\d+\\.\\d+) after");

  @Test
  void heldOutLossFallsByTwoNatsInFiveHundredSteps(@TempDir Path dir) {
    assumeTrue(!Devices.openCl().isEmpty(),
        "no OpenCL device: on Java threads 500 steps take too long for the test suite (run ./bertgen demo instead)");
    BertGenAppTest.Result r = BertGenAppTest.run("demo", "--max-steps", "500", "--minutes", "60", "--held-out", "256",
        "--eval-every", "1000", "--output", dir.resolve("demo").toString());
    System.out.println(r.out());
    assertWithMessage("%s", r).that(r.exitCode()).isEqualTo(0);
    assertWithMessage("%s", r).that(r.out()).contains("trained 500 steps");
    assertWithMessage("ran on OpenCL, not Java threads: %s", r).that(r.out()).containsMatch("device: (cpu|gpu): ");
    Matcher m = HELD_OUT.matcher(r.out());
    assertWithMessage("%s", r).that(m.find()).isTrue();
    double before = Double.parseDouble(m.group(1));
    double after = Double.parseDouble(m.group(2));
    assertWithMessage("%s", r).that(before).isWithin(0.3).of(Math.log(30522));
    assertWithMessage("held-out masked-LM loss %s -> %s\n%s", before, after, r)
        .that(before - after).isAtLeast(2.0);

    // fine-tuning that masked LM as a classifier on the embedded WordNet set beats the same classifier
    // from scratch after the same 100 steps (keras-hub's default Adam 5e-5, seed 42)
    BertGenAppTest.Result tuned = BertGenAppTest.run("train-classifier", "--preset",
        dir.resolve("demo/preset").toString(), "--max-steps", "100", "--epochs", "10", "--sequence-length", "32",
        "--output", dir.resolve("tuned").toString());
    BertGenAppTest.Result scratch = BertGenAppTest.run("train-classifier", "--preset", "bert_tiny_en_uncased",
        "--from-scratch", "--max-steps", "100", "--epochs", "10", "--sequence-length", "32",
        "--output", dir.resolve("scratch").toString());
    System.out.println(tuned.out());
    System.out.println(scratch.out());
    double pretrained = heldOutAccuracy(tuned);
    double fromScratch = heldOutAccuracy(scratch);
    assertWithMessage("held-out accuracy: fine-tuned %s, from scratch %s", pretrained, fromScratch)
        .that(pretrained).isGreaterThan(fromScratch);
  }

  private static final Pattern ACCURACY = Pattern.compile("held-out accuracy: (\\d\\.\\d+)");

  private static double heldOutAccuracy(BertGenAppTest.Result r) {
    assertWithMessage("%s", r).that(r.exitCode()).isEqualTo(0);
    Matcher m = ACCURACY.matcher(r.out());
    assertWithMessage("%s", r).that(m.find()).isTrue();
    return Double.parseDouble(m.group(1));
  }
}
