package dev.bertgen.examples.app;

import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.bertgen.examples.app.BertGenAppTest.Result;
import dev.bertgen.examples.presets.TinyBertMaskedLM;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A careless user's inputs to every command: folders, pipes, devices and binary files where text is
 * wanted, outputs that cannot be written. Each gives one line naming the input and the fix, exit code 2,
 * within a minute (a pipe must not be waited on forever).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileAppInputTest {

  private Path dir;

  private final List<Case> cases = new ArrayList<>();
  private int tried;

  /** A command line, its standard input (or null), and what its one-line error must contain. */
  private record Case(String name, List<String> args, String stdin, List<String> expected) {}

  private void add(String name, String stdin, List<String> args, String... expected) {
    cases.add(new Case(name, args, stdin, Arrays.asList(expected)));
  }

  private void add(String name, List<String> args, String... expected) {
    add(name, null, args, expected);
  }

  private Path write(String name, byte[] bytes) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    return Files.write(file, bytes);
  }

  @BeforeAll
  void makeHostileInputs(@TempDir Path tempDir) throws Exception {
    dir = tempDir;
    Path preset = dir.resolve("preset");
    TinyBertMaskedLM.create(7).saveToPreset(preset);
    String p = preset.toString();
    Path text = write("text.txt", String.join("\n", EmbeddedCorpus.lines().subList(0, 32))
        .getBytes(StandardCharsets.UTF_8));
    Path emptyFolder = Files.createDirectories(dir.resolve("empty-folder"));
    Path fifo = dir.resolve("pipe.txt");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
    assertWithMessage("mkfifo").that(mkfifo.waitFor()).isEqualTo(0);
    Path fifoFolder = Files.createDirectories(dir.resolve("pipe-folder"));
    Process mkfifo2 = new ProcessBuilder("mkfifo", fifoFolder.resolve("lines.txt").toString()).inheritIO().start();
    assertWithMessage("mkfifo").that(mkfifo2.waitFor()).isEqualTo(0);
    byte[] png = new byte[4096];
    System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13}, 0, png, 0, 12);
    Path binary = write("model.bin", png);
    Path binaryTxt = write("binary-folder/notes.txt", png);
    Path utf16 = write("utf16.txt", "a [MASK] dog\nthe [MASK] tree\n".getBytes(StandardCharsets.UTF_16LE));
    java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
      z.write(png);
    }
    Path binaryGz = write("binary.txt.gz", gz.toByteArray());
    Path truncatedGz = write("truncated.txt.gz", Arrays.copyOf(gz.toByteArray(), 12));
    Path latin1 = write("latin1.txt", "caf\u00e9 au lait\n".getBytes(StandardCharsets.ISO_8859_1));
    Path blank = write("blank.txt", "\n \n\t\n".getBytes(StandardCharsets.UTF_8));
    Path file = write("a-file", "not a folder".getBytes(StandardCharsets.UTF_8));
    Path unwritable;
    if ("root".equals(System.getProperty("user.name"))) {
      unwritable = Path.of("/proc/self/bertgen-output"); // root writes anywhere but here
    } else {
      Path locked = Files.createDirectories(dir.resolve("locked"));
      Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
      unwritable = locked.resolve("run");
    }
    Path userFolder = dir.resolve("user-folder");
    write("user-folder/thesis.tex", "precious".getBytes(StandardCharsets.UTF_8));
    String t = text.toString();
    String out = dir.resolve("train-output").toString(); // were a case accepted, it would write here

    for (String command : List.of("train", "evaluate")) {
      List<String> head = command.equals("train")
          ? List.of("train", "--from-scratch", "--output", out)
          : List.of("evaluate", "--preset", p);
      add(command + ": --data a named pipe", cat(head, "--data", fifo.toString()), fifo.toString(),
          "not a regular file");
      add(command + ": --data a device", cat(head, "--data", "/dev/null"), "/dev/null", "not a regular file");
      add(command + ": --data a binary file", cat(head, "--data", binary.toString()), binary.toString(),
          "NUL bytes", "UTF-8 text");
      add(command + ": --data UTF-16 text", cat(head, "--data", utf16.toString()), utf16.toString(), "UTF-16",
          "iconv");
      add(command + ": --data gzip of a binary file", cat(head, "--data", binaryGz.toString()),
          binaryGz.toString(), "NUL bytes");
      add(command + ": --data a truncated gzip file", cat(head, "--data", truncatedGz.toString()),
          truncatedGz.toString(), "truncated");
      add(command + ": --data Latin-1 text", cat(head, "--data", latin1.toString()), latin1.toString(), "iconv");
      add(command + ": --data blank lines only", cat(head, "--data", blank.toString()), blank.toString(),
          "no text lines");
      add(command + ": --data empty", cat(head, "--data", ""), "--data", "give a");
      add(command + ": --data missing", cat(head, "--data", dir.resolve("missing.txt").toString()),
          "missing.txt", "no such file");
    }
    List<String> train = List.of("train", "--output", out, "--data");
    add("train: --data a folder without text files", cat(train, emptyFolder.toString()), emptyFolder.toString(),
        "no *.txt or *.txt.gz files");
    add("train: --data a folder whose only *.txt is a pipe", cat(train, fifoFolder.toString()),
        fifoFolder.toString(), "no *.txt or *.txt.gz files");
    add("train: --data a folder with a binary *.txt", cat(train, binaryTxt.getParent().toString()),
        binaryTxt.toString(), "NUL bytes");
    Path many = write("many.txt", String.join("\n", EmbeddedCorpus.lines().subList(0, 3000))
        .getBytes(StandardCharsets.UTF_8));
    add("train: --batch-size beyond one device buffer", List.of("train", "--from-scratch", "--data", many.toString(),
        "--batch-size", "100000", "--sequence-length", "32", "--output", dir.resolve("big-batch").toString()),
        "buffer needs", "use a smaller batch size or sequence length");
    add("evaluate: --data a folder", List.of("evaluate", "--preset", p, "--data", emptyFolder.toString()),
        emptyFolder.toString(), "a folder", "give one text file");

    for (String command : List.of("train", "demo")) {
      List<String> head = command.equals("train") ? List.of("train", "--from-scratch", "--data", t)
          : List.of("demo", "--max-steps", "1", "--held-out", "8"); // were one accepted, it would end soon
      add(command + ": --output a file", cat(head, "--output", file.toString()), file.toString(), "is a file");
      add(command + ": --output inside a file", cat(head, "--output", file.resolve("run").toString()),
          file.toString(), "is a file");
      add(command + ": --output unwritable", cat(head, "--output", unwritable.toString()), unwritable.toString(),
          "choose another --output");
      add(command + ": --output a folder of the user's", cat(head, "--output", userFolder.toString()),
          userFolder.resolve("thesis.tex").toString(), "choose another --output");
      add(command + ": --output empty", cat(head, "--output", ""), "--output", "give a");
    }

    add("fill-mask: --preset a named pipe", List.of("fill-mask", "--preset", fifo.toString(), "a [MASK]"),
        fifo.toString(), "no preset directory");
    add("fill-mask: --preset a text file", List.of("fill-mask", "--preset", t, "a [MASK]"), t,
        "no preset directory");
    add("fill-mask: --preset an empty folder", List.of("fill-mask", "--preset", emptyFolder.toString(), "a [MASK]"),
        emptyFolder.toString());
    add("fill-mask: standard input without [MASK]", "just words\n", List.of("fill-mask", "--preset", p),
        "line 1", "just words", "has no [MASK]");
    add("fill-mask: [MASK] past the sequence length", "word ".repeat(600) + "[MASK]\n",
        List.of("fill-mask", "--preset", p), "line 1", "sequence length");
    add("fill-mask: empty standard input", "\n\n", List.of("fill-mask", "--preset", p), "no text");
  }

  private static List<String> cat(List<String> head, String... more) {
    List<String> all = new ArrayList<>(head);
    all.addAll(List.of(more));
    return all;
  }

  @TestFactory
  List<DynamicTest> everyHostileInputGivesOneLineAndExitCode2() {
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
      tried++;
      Result r = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> run(c));
      System.out.println("HostileAppInputTest, " + c.name() + ": " + r.err().strip());
      assertWithMessage("%s\n%s", c, r).that(r.exitCode()).isEqualTo(2);
      assertWithMessage("%s\n%s", c, r).that(r.err().strip().lines().count()).isEqualTo(1);
      assertWithMessage("%s\n%s", c, r).that(r.err()).startsWith("bertgen ");
      assertWithMessage("%s\n%s", c, r).that(r.err()).doesNotContain("Exception");
      for (String e : c.expected()) {
        assertWithMessage("%s\n%s", c, r).that(r.err()).contains(e);
      }
    })).toList();
  }

  private static Result run(Case c) {
    if (c.stdin() == null) {
      return BertGenAppTest.run(c.args().toArray(String[]::new));
    }
    InputStream systemIn = System.in;
    try {
      System.setIn(new ByteArrayInputStream(c.stdin().getBytes(StandardCharsets.UTF_8)));
      return BertGenAppTest.run(c.args().toArray(String[]::new));
    } finally {
      System.setIn(systemIn);
    }
  }

  @AfterAll
  void report() throws IOException {
    System.out.println("HostileAppInputTest: tried " + tried + " hostile inputs of " + cases.size());
    Path locked = dir.resolve("locked");
    if (Files.exists(locked)) {
      Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }
}
