package dev.bertgen.processor.gen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.bertgen.processor.model.GenerationModel;
import javax.lang.model.element.Modifier;

/** {@code XTextClassifierPreprocessor}: a {@code BertTextClassifierPreprocessor} with the preset's settings. */
public final class TextClassifierPreprocessorGenerator {
  private TextClassifierPreprocessorGenerator() {}

  public static TypeSpec generate(GenerationModel m) {
    ClassName self = Common.className(m, m.names().textClassifierPreprocessor());
    ClassName config = Common.className(m, m.names().config());
    TypeSpec.Builder type = TypeSpec.classBuilder(self)
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .superclass(RuntimeNames.BERT_TEXT_CLASSIFIER_PREPROCESSOR)
        .addJavadoc("Text-classifier preprocessing of {@code $L}: sequence length $L, truncation $L.\n\n<p>$L",
            m.spec().name(), m.spec().preprocessor().sequenceLength(),
            m.spec().preprocessor().truncate().yamlName(), Common.origin(m));
    Common.annotate(type, m);
    type.addMethod(MethodSpec.constructorBuilder()
        .addModifiers(Modifier.PUBLIC)
        .addParameter(RuntimeNames.BERT_TOKENIZER, "tokenizer")
        .addJavadoc("This preset's settings around {@code tokenizer}.\n")
        .addStatement("super(tokenizer, $T.SPEC.preprocessor().sequenceLength(), $T.SPEC.preprocessor().truncate())",
            config, config)
        .build());
    if (m.spec().tokenizer().bundledVocabulary() != null) {
      type.addMethod(MethodSpec.methodBuilder("create")
          .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
          .returns(self)
          .addJavadoc("With the vocabulary bundled in bertgen-presets ({@code $L}); needs no download.\n",
              m.spec().tokenizer().bundledVocabulary())
          .addStatement("return new $T($T.bundled($T.SPEC.tokenizer()))", self, RuntimeNames.BERT_TOKENIZER,
              config)
          .build());
    }
    type.addMethod(MethodSpec.methodBuilder("of")
        .addModifiers(Modifier.STATIC)
        .returns(self)
        .addParameter(RuntimeNames.BERT_TOKENIZER, "tokenizer")
        .addJavadoc("For a loaded model: {@code null} when it has no tokenizer.\n")
        .addStatement("return tokenizer == null ? null : new $T(tokenizer)", self)
        .build());
    return type.build();
  }
}
