package dev.bertgen.processor.model;

import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.TypeElement;

/**
 * A valid declaration: the model to generate from, plus where it was declared (for later errors
 * such as name clashes).
 *
 * @param type the annotated type (the originating element of every generated file)
 * @param annotation the {@code @BertPreset} or {@code @BertSpec}
 * @param prefixValue the {@code prefix} value if written, else {@code null}
 */
public record Declaration(TypeElement type, AnnotationMirror annotation, AnnotationValue prefixValue,
    GenerationModel model) {}
