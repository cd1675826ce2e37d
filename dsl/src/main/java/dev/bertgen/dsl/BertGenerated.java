package dev.bertgen.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class written by the BertGen annotation processor. CLASS retention, so that tools that
 * read class files (JaCoCo filters classes annotated {@code *Generated}) can see it.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface BertGenerated {

  /** Fully qualified name of the annotated declaration the class was generated from. */
  String source();

  /** Name of the preset the class was generated for. */
  String preset();
}
