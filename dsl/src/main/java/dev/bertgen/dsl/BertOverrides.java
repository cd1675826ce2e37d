package dev.bertgen.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Overrides the masked-LM preprocessing defaults of a {@link BertPreset} or {@link BertSpec}
 * declaration on the same type. Every attribute left at its default keeps the preset's value
 * (keras-hub's defaults: sequence length 512, round-robin truncation, selection rate 0.15,
 * selection length 96, mask rate 0.8, random rate 0.1).
 *
 * <pre>{@code
 * @BertPreset("bert_tiny_en_uncased")
 * @BertOverrides(sequenceLength = 128, maskSelectionLength = 20)
 * interface ShortTinyBert {}
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface BertOverrides {

  /** Marks an attribute as not overridden. */
  int INHERIT = -1;

  /** Packed sequence length; at most the backbone's {@code max_sequence_length}. */
  int sequenceLength() default INHERIT;

  /** How a pair of segments is cut to fit. */
  Truncation truncate() default Truncation.INHERIT;

  /** Fraction of tokens selected for prediction, in [0, 1]. */
  double maskSelectionRate() default INHERIT;

  /** Maximum number of selected positions per sequence (the number of mask slots). */
  int maskSelectionLength() default INHERIT;

  /** Fraction of selected tokens replaced by [MASK], in [0, 1]. */
  double maskTokenRate() default INHERIT;

  /** Fraction of selected tokens replaced by a random token, in [0, 1]; with the mask rate at most 1. */
  double randomTokenRate() default INHERIT;
}
