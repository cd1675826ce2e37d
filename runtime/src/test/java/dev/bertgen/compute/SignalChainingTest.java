package dev.bertgen.compute;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link SignalChaining}: the build preloads the JVM's signal chaining, and its absence is seen. */
class SignalChainingTest {

  /** Prints {@link SignalChaining#active()} (run in a child JVM). */
  public static void main(String[] args) {
    System.out.println(SignalChaining.active());
  }

  private static String childSays(boolean preload) throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder pb = new ProcessBuilder(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
        SignalChainingTest.class.getName()));
    pb.environment().remove("LD_PRELOAD");
    if (preload) {
      pb.environment().put("LD_PRELOAD", SignalChaining.fix().substring("LD_PRELOAD=".length()));
    }
    pb.redirectErrorStream(true);
    Process p = pb.start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
  }

  @Test
  void theTestJvmRunsWithSignalChaining() {
    assumeTrue(Files.isReadable(Path.of("/proc/self/maps")), "Linux only");
    assertThat(SignalChaining.active()).isTrue();
  }

  @Test
  void aJvmWithoutTheLibraryIsSeen() throws Exception {
    assumeTrue(Files.isReadable(Path.of("/proc/self/maps")), "Linux only");
    assumeTrue(Files.isRegularFile(Path.of(SignalChaining.fix().substring("LD_PRELOAD=".length()))),
        "this JDK has no libjsig.so");
    assertThat(childSays(false)).endsWith("false");
    assertThat(childSays(true)).endsWith("true");
  }
}
