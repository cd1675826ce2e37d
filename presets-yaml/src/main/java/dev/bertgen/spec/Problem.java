package dev.bertgen.spec;

import java.util.Objects;

/**
 * One thing wrong with a preset declaration.
 *
 * @param diagnostic the stable ID
 * @param field the schema path of the offending value, e.g. {@code backbone.num_heads}, or {@code ""}
 *     when the problem concerns the whole declaration
 * @param message what is wrong and how to fix it, without the ID or location
 * @param source the file the problem was found in, or {@code null} for a Java declaration
 * @param line 1-based line in {@code source}, or 0 when unknown
 * @param column 1-based column in {@code source}, or 0 when unknown
 */
public record Problem(Diagnostic diagnostic, String field, String message, String source, int line, int column) {

  public Problem {
    Objects.requireNonNull(diagnostic, "diagnostic");
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(message, "message");
  }

  /** A problem without a file location. */
  public static Problem of(Diagnostic diagnostic, String field, String message) {
    return new Problem(diagnostic, field, message, null, 0, 0);
  }

  /** The same problem placed at a file location. */
  public Problem at(String source, int line, int column) {
    return new Problem(diagnostic, field, message, source, line, column);
  }

  /** {@code file:line:column: } or {@code ""} when there is no file. */
  public String location() {
    if (source == null) {
      return "";
    }
    return line > 0 ? source + ":" + line + ":" + column + ": " : source + ": ";
  }

  /** The full message: {@code [ID] file:line:col: message}. */
  public String render() {
    return diagnostic.tag() + " " + location() + message;
  }

  @Override
  public String toString() {
    return render();
  }
}
