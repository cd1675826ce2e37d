package dev.bertgen.examples.app;

import dev.bertgen.examples.presets.TinyBertConfig;
import dev.bertgen.examples.presets.TinyBertMaskedLM;
import dev.bertgen.spec.BuiltinPresets;
import dev.bertgen.spec.PresetSpec;
import java.io.PrintStream;
import java.util.Locale;

/**
 * The {@code bertgen} command-line app: lists the built-in presets and builds the masked LM that
 * the processor generated for {@code @BertPreset("bert_tiny_en_uncased")}.
 */
public final class BertGenApp {
  private BertGenApp() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs a command; returns the exit code (2 for bad arguments). */
  static int run(String[] args, PrintStream out, PrintStream err) {
    String command = args.length == 0 ? "presets" : args[0];
    switch (command) {
      case "presets" -> {
        presets(out);
        return 0;
      }
      case "create" -> {
        create(out);
        return 0;
      }
      case "--help", "-h", "help" -> {
        usage(out);
        return 0;
      }
      default -> {
        err.println("bertgen: unknown command \"" + command + "\"; commands: presets, create, help");
        return 2;
      }
    }
  }

  private static void usage(PrintStream out) {
    out.println("Usage: bertgen <command>");
    out.println("  presets   list the built-in presets with their parameter counts (default)");
    out.println("  create    build the generated TinyBertMaskedLM with keras-hub's initializers");
  }

  private static void presets(PrintStream out) {
    out.printf(Locale.ROOT, "%-28s %6s %6s %6s %13s  %s%n", "preset", "layers", "hidden", "heads",
        "parameters", "description");
    for (String name : BuiltinPresets.names()) {
      PresetSpec s = BuiltinPresets.get(name);
      out.printf(Locale.ROOT, "%-28s %6d %6d %6d %,13d  %s%n", name, s.backbone().numLayers(),
          s.backbone().hiddenDim(), s.backbone().numHeads(), s.backbone().parameterCount(), s.description());
    }
  }

  private static void create(PrintStream out) {
    long t0 = System.nanoTime();
    TinyBertMaskedLM mlm = TinyBertMaskedLM.create();
    out.printf(Locale.ROOT, "%s: %d layers, hidden %d, %,d parameters (backbone %,d), vocabulary %,d; "
            + "created in %d ms%n", TinyBertConfig.PRESET_NAME, TinyBertConfig.NUM_LAYERS,
        TinyBertConfig.HIDDEN_DIM, mlm.parameterCount(), mlm.backbone().parameterCount(),
        mlm.preprocessor().tokenizer().vocabularySize(), (System.nanoTime() - t0) / 1_000_000);
  }
}
