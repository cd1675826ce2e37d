package dev.bertgen.presets;

import dev.bertgen.spec.Diagnostic;

/**
 * A preset could not be found, read or used. The message starts with the diagnostic's ID and names
 * the input and the fix.
 */
public class PresetException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient Diagnostic diagnostic;

  public PresetException(Diagnostic diagnostic, String message) {
    super(diagnostic == null ? message : diagnostic.tag() + " " + message);
    this.diagnostic = diagnostic;
  }

  public PresetException(Diagnostic diagnostic, String message, Throwable cause) {
    super(diagnostic == null ? message : diagnostic.tag() + " " + message, cause);
    this.diagnostic = diagnostic;
  }

  /** The diagnostic, or {@code null} for I/O and format errors that have none. */
  public Diagnostic diagnostic() {
    return diagnostic;
  }
}
