package dev.bertgen.processor.diag;

import dev.bertgen.spec.Diagnostic;
import java.io.PrintWriter;
import java.io.StringWriter;
import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic.Kind;

/**
 * Prints the processor's messages attached to the element, annotation and value they concern, so
 * that javac and IDEs underline the exact attribute. Every error starts with its stable ID and the
 * element's name (build tools that do not quote the source line still say where).
 */
public final class Reporter {
  private final Messager messager;
  private final boolean verbose;
  private int errors;

  public Reporter(Messager messager, boolean verbose) {
    this.messager = messager;
    this.verbose = verbose;
  }

  /**
   * Reports an error.
   *
   * @param element the annotated type
   * @param mirror the annotation, or {@code null}
   * @param value the annotation value the error is about, or {@code null}
   */
  public void error(Diagnostic d, Element element, AnnotationMirror mirror, AnnotationValue value,
      String message) {
    errors++;
    String text = d.tag() + " " + element + ": " + message;
    if (mirror == null) {
      messager.printMessage(Kind.ERROR, text, element);
    } else if (value == null) {
      messager.printMessage(Kind.ERROR, text, element, mirror);
    } else {
      messager.printMessage(Kind.ERROR, text, element, mirror, value);
    }
  }

  /** Reports an unexpected exception with its stack trace, so that it can be filed as a bug. */
  public void exception(Element element, Throwable t) {
    StringWriter trace = new StringWriter();
    t.printStackTrace(new PrintWriter(trace));
    error(Diagnostic.PROCESSOR_EXCEPTION, element, null, null, "the BertGen processor failed on this "
        + "type; this is a BertGen bug, please report it with this trace:\n" + trace);
  }

  /** A note, printed only with {@code -Abertgen.verbose=true}. */
  public void note(Element element, String message) {
    if (verbose) {
      messager.printMessage(Kind.NOTE, "[BertGen] " + message, element);
    }
  }

  /** Errors reported so far. */
  public int errorCount() {
    return errors;
  }
}
