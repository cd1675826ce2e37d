package dev.bertgen.examples.app;

import dev.bertgen.compute.DeviceException;
import dev.bertgen.presets.PresetException;
import dev.bertgen.training.NonFiniteLossException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code bertgen} command-line app: pre-trains the masked LM that the processor generated for
 * {@code @BertPreset("bert_tiny_en_uncased")} on the embedded corpus ({@code demo}), trains and
 * evaluates presets on the user's text, fills masks, and lists presets and devices.
 */
@Command(name = "bertgen", mixinStandardHelpOptions = true, versionProvider = BertGenApp.Version.class,
    subcommands = {DemoCommand.class, TrainCommand.class, FillMaskCommand.class, EvaluateCommand.class,
        TrainClassifierCommand.class, ClassifyCommand.class,
        PresetsCommand.class, DevicesCommand.class, CommandLine.HelpCommand.class},
    description = {"keras-hub's BertMaskedLM in Java: pre-train, fine-tune and fill masks with BERT.", "",
        "Start with: bertgen demo"})
public final class BertGenApp implements Runnable {

  /** Exit code of bad arguments and bad input (a missing file, an unknown preset, ...). */
  static final int USAGE = 2;
  /** Exit code of a training run that diverged (a NaN or infinite loss or gradient norm). */
  static final int DIVERGED = 3;

  @Spec
  CommandSpec spec;

  final PrintStream out;
  final PrintStream err;

  BertGenApp(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
    System.exit(run(args, out, err));
  }

  /**
   * Runs a command line; returns the exit code: 0 done, 2 bad arguments or input, 3 training diverged,
   * 130 stopped by Ctrl-C (after saving), 1 anything else.
   */
  static int run(String[] args, PrintStream out, PrintStream err) {
    CommandLine cl = new CommandLine(new BertGenApp(out, err));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    cl.setParameterExceptionHandler((e, a) -> {
      CommandLine c = e.getCommandLine();
      err.println("bertgen: " + e.getMessage() + " (see: " + c.getCommandSpec().qualifiedName() + " --help)");
      return USAGE;
    });
    cl.setExecutionExceptionHandler((e, c, parsed) -> {
      boolean userError = e instanceof IllegalArgumentException || e instanceof PresetException
          || e instanceof DeviceException || e instanceof UncheckedIOException || e instanceof UserException;
      String message = e.getMessage() == null ? e.toString() : e.getMessage();
      if (e instanceof NonFiniteLossException || e instanceof Diverged) {
        err.println("bertgen " + c.getCommandName() + ": " + oneLine(message));
        return DIVERGED;
      }
      if (userError) {
        err.println("bertgen " + c.getCommandName() + ": " + oneLine(message));
        return USAGE;
      }
      err.println("bertgen " + c.getCommandName() + ": " + e.getClass().getSimpleName() + ": " + oneLine(message)
          + " (set BERTGEN_STACKTRACE=1 for the stack trace)");
      if (System.getenv("BERTGEN_STACKTRACE") != null) {
        e.printStackTrace(err);
      }
      return 1;
    });
    return cl.execute(args);
  }

  private static String oneLine(String message) {
    return message.replaceAll("\\s*\\R\\s*", " ").strip();
  }

  @Override
  public void run() {
    spec.commandLine().usage(out);
  }

  /** A mistake in what the user asked for: one line, exit code 2. */
  public static final class UserException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UserException(String message) {
      super(message);
    }
  }

  /** Training diverged: one line saying what was kept and what to change, exit code 3. */
  static final class Diverged extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Diverged(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The version from the jar's manifest, or "development" when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = BertGenApp.class.getPackage().getImplementationVersion();
      return new String[] {"bertgen " + (v == null ? "0.1.0-SNAPSHOT" : v) + ", Java "
          + System.getProperty("java.version")};
    }
  }
}
