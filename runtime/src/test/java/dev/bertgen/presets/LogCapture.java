package dev.bertgen.presets;

import dev.bertgen.presets.loading.PresetLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects what the loader logs while it is open. */
final class LogCapture extends Handler implements AutoCloseable {
  private final Logger logger = Logger.getLogger(PresetLoader.LOGGER_NAME);
  private final List<LogRecord> records = new ArrayList<>();
  private final Level previous;

  LogCapture() {
    previous = logger.getLevel();
    logger.setLevel(Level.ALL);
    logger.addHandler(this);
  }

  @Override
  public synchronized void publish(LogRecord record) {
    records.add(record);
  }

  /** Messages logged at {@code level} or above. */
  synchronized List<String> messages(Level level) {
    List<String> out = new ArrayList<>();
    for (LogRecord r : records) {
      if (r.getLevel().intValue() >= level.intValue()) {
        out.add(r.getMessage());
      }
    }
    return out;
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
    logger.setLevel(previous);
  }
}
