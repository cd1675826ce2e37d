package dev.bertgen.presets;

/**
 * The {@code java.util.logging} logger the preset classes report to: notes and warnings while loading
 * and saving, download progress.
 */
public final class PresetLogging {
  /** Name of the logger. */
  public static final String LOGGER_NAME = "dev.bertgen.presets";

  private PresetLogging() {}
}
