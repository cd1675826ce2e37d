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
 * The fast version of the pre-training acceptance run: the generated bert_tiny, from scratch, on the
 * embedded WordNet glosses, for 75 seconds of training on the OpenCL device (PoCL in CI); the masked-LM loss
 * on held-out lines must fall from about ln(30,522) = 10.33 by at least 2 nats. The full run is
 * {@code ./bertgen demo} (3 minutes by default; {@code --minutes 5} for the bound).
 */
class PretrainingConvergenceTest {

  private static final Pattern HELD_OUT =
      Pattern.compile("held-out text: (\\d+\\.\\d+) before, (\\d+\\.\\d+) after");

  @Test
  void heldOutLossFallsByTwoNatsInSeventyFiveSeconds(@TempDir Path dir) {
    assumeTrue(!Devices.openCl().isEmpty(),
        "no OpenCL device: on Java threads the same 75 s give too few steps (run ./bertgen demo instead)");
    BertGenAppTest.Result r = BertGenAppTest.run("demo", "--minutes", "1.25", "--held-out", "256",
        "--eval-every", "1000", "--output", dir.resolve("demo").toString());
    System.out.println(r.out());
    assertWithMessage("%s", r).that(r.exitCode()).isEqualTo(0);
    assertWithMessage("ran on OpenCL, not Java threads: %s", r).that(r.out()).containsMatch("device: (cpu|gpu): ");
    Matcher m = HELD_OUT.matcher(r.out());
    assertWithMessage("%s", r).that(m.find()).isTrue();
    double before = Double.parseDouble(m.group(1));
    double after = Double.parseDouble(m.group(2));
    assertWithMessage("%s", r).that(before).isWithin(0.3).of(Math.log(30522));
    assertWithMessage("held-out masked-LM loss %s -> %s\n%s", before, after, r)
        .that(before - after).isAtLeast(2.0);
  }
}
