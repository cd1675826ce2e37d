package dev.bertgen.processor.parse;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.Elements;

/**
 * One annotation on the annotated type: its values with defaults applied, and which ones the user
 * wrote (so messages point at the value, or at the annotation when the value was defaulted).
 */
public final class AnnotationSite {
  private final AnnotationMirror mirror;
  private final Map<String, AnnotationValue> explicit = new LinkedHashMap<>();
  private final Map<String, AnnotationValue> withDefaults = new LinkedHashMap<>();

  AnnotationSite(AnnotationMirror mirror, Elements elements) {
    this.mirror = mirror;
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e
        : mirror.getElementValues().entrySet()) {
      explicit.put(e.getKey().getSimpleName().toString(), e.getValue());
    }
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e
        : elements.getElementValuesWithDefaults(mirror).entrySet()) {
      withDefaults.put(e.getKey().getSimpleName().toString(), e.getValue());
    }
  }

  public AnnotationMirror mirror() {
    return mirror;
  }

  /** The value the user wrote for {@code name}, or {@code null} if it was left at its default. */
  public AnnotationValue explicit(String name) {
    return explicit.get(name);
  }

  public boolean isExplicit(String name) {
    return explicit.containsKey(name);
  }

  public String string(String name) {
    return (String) value(name);
  }

  public int integer(String name) {
    return (Integer) value(name);
  }

  public double real(String name) {
    return ((Number) value(name)).doubleValue();
  }

  public boolean bool(String name) {
    return (Boolean) value(name);
  }

  /** The simple name of an enum constant value. */
  public String enumConstant(String name) {
    return ((VariableElement) value(name)).getSimpleName().toString();
  }

  /** A nested annotation value. */
  public AnnotationSite nested(String name, Elements elements) {
    return new AnnotationSite((AnnotationMirror) value(name), elements);
  }

  private Object value(String name) {
    AnnotationValue v = withDefaults.get(name);
    if (v == null) {
      throw new IllegalArgumentException("annotation " + mirror + " has no member " + name);
    }
    Object o = v.getValue();
    if (o instanceof List<?>) {
      throw new IllegalArgumentException("array members are not read: " + name);
    }
    return o;
  }
}
