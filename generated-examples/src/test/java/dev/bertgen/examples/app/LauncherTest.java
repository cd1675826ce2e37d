package dev.bertgen.examples.app;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code bertgen} launcher script at the repository root: it drops exactly Aparapi's native
 * "untested OpenCL platform version" warning from standard error and passes everything else through,
 * with java's exit code, and signals still reach java. The script runs with a stand-in {@code java}
 * first on the PATH (so this needs no jar), and once with the real app when {@code bertgen.jar} exists.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class LauncherTest {

  static final String APARAPI_WARNING =
      "WARNING: Aparapi is running on an untested OpenCL platform version: OpenCL 3.0 PoCL 3.1+debian  Linux";

  /** A stand-in for java: the launcher runs {@code java OPTIONS -jar JAR ARGS...}. */
  private static final String FAKE_JAVA = String.join("\n",
      "#!/usr/bin/env bash",
      "while [ \"$1\" != -jar ]; do shift; done",
      "shift 2",
      "case \"$1\" in",
      "  talk)",
      "    echo '" + APARAPI_WARNING + "' >&2",
      "    echo \"bertgen: a line of the app's\" >&2",
      "    echo 'bertgen: WARNING: Aparapi is running on an untested OpenCL platform version, quoted' >&2",
      "    echo 'WARNING: another warning' >&2",
      "    while IFS= read -r line; do echo \"stdin: $line\"; done",
      "    printf '[%s]' \"${@:2}\"; echo",
      "    echo 'bertgen: the last line' >&2",
      "    exit 7 ;;",
      "  wait)",
      "    trap 'echo \"bertgen: stopping after the current batch and saving\" >&2; echo saved; exit 130' TERM INT",
      "    echo ready",
      "    while :; do sleep 0.05; done ;;",
      "esac",
      "");

  private static final String STOPPING = "bertgen: stopping after the current batch and saving\n";

  private record Run(int exitCode, String out, String err) {}

  /** The repository root: the folder holding the {@code bertgen} script. */
  private static Path repository() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("bertgen")) && Files.isDirectory(p.resolve("generated-examples"))) {
        return p;
      }
    }
    throw new IllegalStateException("no bertgen script above " + Path.of("").toAbsolutePath());
  }

  /** A copy of the launcher beside an (empty) jar, with the stand-in java first on the PATH. */
  private static ProcessBuilder fakeLauncher(Path dir, String... args) throws IOException {
    Path script = dir.resolve("bertgen");
    Files.copy(repository().resolve("bertgen"), script);
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createDirectories(dir.resolve("generated-examples/target"));
    Files.write(dir.resolve("generated-examples/target/bertgen.jar"), new byte[0]);
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Files.writeString(bin.resolve("java"), FAKE_JAVA);
    Files.setPosixFilePermissions(bin.resolve("java"), PosixFilePermissions.fromString("rwxr-xr-x"));
    List<String> command = new ArrayList<>(List.of(script.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    env.put("PATH", bin + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
    return pb;
  }

  /**
   * Runs to the end with standard error going to {@code err}, and waits (at most 10 s) for it to read
   * {@code expectedErr}: the filter may write its last line a moment after java exited (and Java's
   * Process would close a pipe from it when java exits, so a file it is).
   */
  private static Run finish(Process p, BufferedReader stdout, Path err, String expectedErr) throws Exception {
    StringBuilder out = new StringBuilder();
    for (int c; (c = stdout.read()) >= 0; ) {
      out.append((char) c);
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!Files.readString(err).equals(expectedErr) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    return new Run(p.exitValue(), out.toString(), Files.readString(err));
  }

  private static Run finish(Process p, Path err, String expectedErr) throws Exception {
    return finish(p, new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)), err,
        expectedErr);
  }

  @Test
  void dropsExactlyAparapisWarningAndKeepsStdinStdoutArgumentsAndExitCode(@TempDir Path dir) throws Exception {
    Path err = dir.resolve("stderr.txt");
    Process p = fakeLauncher(dir, "talk", "two words", "*", "").redirectError(err.toFile()).start();
    try (OutputStream stdin = p.getOutputStream()) {
      stdin.write("one\ntwo\n".getBytes(StandardCharsets.UTF_8));
    }
    String expected = "bertgen: a line of the app's\n"
        + "bertgen: WARNING: Aparapi is running on an untested OpenCL platform version, quoted\n"
        + "WARNING: another warning\nbertgen: the last line\n";
    Run r = finish(p, err, expected);
    assertWithMessage("%s", r).that(r.exitCode()).isEqualTo(7);
    assertWithMessage("%s", r).that(r.out()).isEqualTo("stdin: one\nstdin: two\n[two words][*][]\n");
    assertWithMessage("%s", r).that(r.err()).isEqualTo(expected);
  }

  @Test
  void sigtermReachesJavaWhichSavesAndSetsTheExitCode(@TempDir Path dir) throws Exception {
    Path err = dir.resolve("stderr.txt");
    Process p = fakeLauncher(dir, "wait").redirectError(err.toFile()).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    assertThat(out.readLine()).isEqualTo("ready");
    p.toHandle().destroy(); // SIGTERM to the launcher's process id, which is java's
    Run r = finish(p, out, err, STOPPING);
    assertWithMessage("%s", r).that(r.exitCode()).isEqualTo(130);
    assertWithMessage("%s", r).that(r.out()).isEqualTo("saved\n");
    assertWithMessage("%s", r).that(r.err()).isEqualTo(STOPPING);
  }

  @Test
  void ctrlCToTheWholeProcessGroupLeavesTheFilterRunning(@TempDir Path dir) throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/setsid")) || Files.isExecutable(Path.of("/bin/setsid")),
        "setsid (util-linux) is not installed: cannot send a terminal's Ctrl-C to a process group");
    Path err = dir.resolve("stderr.txt");
    ProcessBuilder pb = fakeLauncher(dir, "wait").redirectError(err.toFile());
    List<String> command = new ArrayList<>(List.of("setsid"));
    command.addAll(pb.command());
    Process p = pb.command(command).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    assertThat(out.readLine()).isEqualTo("ready");
    // what a terminal does on Ctrl-C: SIGINT to every process of the foreground group
    Process kill = new ProcessBuilder("kill", "-INT", "--", "-" + p.pid()).inheritIO().start();
    assertThat(kill.waitFor()).isEqualTo(0);
    Run r = finish(p, out, err, STOPPING);
    assertWithMessage("%s", r).that(r.exitCode()).isEqualTo(130);
    assertWithMessage("%s", r).that(r.out()).isEqualTo("saved\n");
    assertWithMessage("%s", r).that(r.err()).isEqualTo(STOPPING);
  }

  @Test
  void theRealAppPrintsNoAparapiWarning(@TempDir Path dir) throws Exception {
    Path repo = repository();
    Path jar = repo.resolve("generated-examples/target/bertgen.jar");
    assumeTrue(Files.isRegularFile(jar), jar + " is not built yet (mvn package builds it after the tests); "
        + "the stand-in tests above cover the launcher");
    String javaBin = Path.of(System.getProperty("java.home"), "bin").toString();
    Process direct = new ProcessBuilder(Path.of(javaBin, "java").toString(), "-jar", jar.toString(), "devices")
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    String plainOut = new String(direct.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String plainErr = new String(direct.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(direct.waitFor(60, TimeUnit.SECONDS)).isTrue();
    // without the launcher the warning is there when this machine's OpenCL platform is one Aparapi
    // did not test (PoCL 3, say); the launcher drops that line and nothing else
    String filtered = plainErr.lines().filter(l -> !l.startsWith("WARNING: Aparapi is running on an untested"))
        .map(l -> l + "\n").reduce("", String::concat);
    Path err = dir.resolve("stderr.txt");
    ProcessBuilder pb = new ProcessBuilder(repo.resolve("bertgen").toString(), "devices")
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).redirectError(err.toFile());
    pb.environment().put("PATH", javaBin + ":" + pb.environment().getOrDefault("PATH", "/usr/bin:/bin"));
    Run launched = finish(pb.start(), err, filtered);
    assertWithMessage("%s", launched).that(launched.exitCode()).isEqualTo(direct.exitValue());
    assertWithMessage("%s", launched).that(launched.out()).isEqualTo(plainOut);
    assertWithMessage("%s", launched).that(launched.err()).doesNotContain("WARNING: Aparapi");
    assertWithMessage("%s", launched).that(launched.err()).isEqualTo(filtered);
  }
}
