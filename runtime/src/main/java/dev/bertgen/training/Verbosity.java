package dev.bertgen.training;

/** What {@code fit} and {@code evaluate} print while they run (keras' {@code verbose}). */
public enum Verbosity {
  /** A progress bar when standard output is a terminal; nothing otherwise (logs, CI, pipes). */
  AUTO,
  /** Nothing. */
  SILENT,
  /** A progress bar redrawn in place after every batch (keras' {@code verbose=1}). */
  PROGRESS_BAR,
  /** One line per epoch (keras' {@code verbose=2}), suitable for log files. */
  EPOCH_LINES
}
