package dev.bertgen.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a BERT masked language model whose architecture comes from a preset YAML file.
 *
 * <pre>{@code
 * @BertPreset("bert_tiny_en_uncased")
 * interface TinyBert {}
 * // javac generates TinyBertConfig, TinyBertBackbone, TinyBertPreprocessor, TinyBertMaskedLM, TinyBertKernels
 *
 * @BertPreset(value = "bert_tiny_en_uncased", numClasses = 5)
 * interface TinyBertClassifier {}
 * // ... and TinyBertClassifierTextClassifier, TinyBertClassifierTextClassifierPreprocessor
 * }</pre>
 *
 * <p>Exactly one of {@link #value()} (a built-in preset of the {@code bertgen-presets} artifact) and
 * {@link #resource()} (a YAML file of your own, on the class path at compile time) must be set. The
 * YAML schema is documented in {@code presets-yaml/SCHEMA.md}.
 *
 * <p>The annotated type must be a class or an interface; it is only the declaration, the generated
 * classes live beside it in the same package.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface BertPreset {

  /**
   * Name of a built-in preset: one of {@code bert_tiny_en_uncased}, {@code bert_tiny_en_uncased_sst2},
   * {@code bert_small_en_uncased}, {@code bert_medium_en_uncased}, {@code bert_base_en_uncased},
   * {@code bert_base_en}, {@code bert_base_zh}, {@code bert_base_multi}, {@code bert_large_en_uncased},
   * {@code bert_large_en}.
   */
  String value() default "";

  /**
   * Class-path location of a preset YAML file of your own, for example {@code "presets/my_bert.yaml"}
   * for {@code src/main/resources/presets/my_bert.yaml}. The processor looks in the source path, the
   * class output and the compile class path.
   */
  String resource() default "";

  /**
   * Prefix of the generated class names. By default the annotated type's simple name, with the names
   * of enclosing types in front, joined by {@code _} ({@code Outer_Inner}).
   */
  String prefix() default "";

  /**
   * Also generate a text classifier of this many classes over the backbone: {@code XTextClassifier}
   * (keras-hub's {@code BertTextClassifier}, whose {@code create} and {@code fromPreset} put a fresh
   * head of this many classes on the backbone) and {@code XTextClassifierPreprocessor}. 0 (the
   * default) generates none, unless the preset is itself a classifier (such as
   * {@code bert_tiny_en_uncased_sst2}): then the classifier has the preset's own number of classes
   * and {@code fromPreset} loads the head the preset saved. A different number there, a negative
   * one, or one above the preset's {@code vocabulary_size} is an error ({@code [BertBadNumClasses]}).
   */
  int numClasses() default 0;
}
