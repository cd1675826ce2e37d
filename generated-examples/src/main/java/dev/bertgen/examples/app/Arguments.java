package dev.bertgen.examples.app;

import dev.bertgen.examples.app.BertGenApp.UserException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks of option values, each failing with a one-line message naming the option. */
final class Arguments {
  private Arguments() {}

  static void atLeast(String option, int value, int min) {
    if (value < min) {
      throw new UserException(option + " must be at least " + min + ", got " + value);
    }
  }

  static void positive(String option, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new UserException(option + " must be a positive number, got " + value);
    }
  }

  /** A folder that exists or can be created (not a file). */
  static void writableFolder(String option, Path folder) {
    if (Files.exists(folder) && !Files.isDirectory(folder)) {
      throw new UserException(option + " " + folder + " is a file; give a folder");
    }
  }

  /** A file or folder that exists. */
  static void exists(String option, Path path) {
    if (!Files.exists(path)) {
      throw new UserException(option + " " + path + ": no such file or folder");
    }
  }
}
