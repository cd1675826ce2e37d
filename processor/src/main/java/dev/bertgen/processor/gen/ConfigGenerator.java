package dev.bertgen.processor.gen;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.bertgen.processor.model.GenerationModel;
import dev.bertgen.spec.BackboneConfig;
import dev.bertgen.spec.PreprocessorConfig;
import dev.bertgen.spec.PresetSpec;
import dev.bertgen.spec.TaskConfig;
import dev.bertgen.spec.TokenizerConfig;
import javax.lang.model.element.Modifier;

/**
 * {@code XConfig}: the preset as constants named after keras-hub's arguments, and the whole preset
 * as a {@code PresetSpec}.
 */
public final class ConfigGenerator {
  private ConfigGenerator() {}

  public static TypeSpec generate(GenerationModel m) {
    PresetSpec s = m.spec();
    BackboneConfig b = s.backbone();
    TokenizerConfig t = s.tokenizer();
    PreprocessorConfig p = s.preprocessor();
    TypeSpec.Builder type = TypeSpec.classBuilder(m.names().config())
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .addJavadoc("Configuration of preset {@code $L}: $L\n\n<p>$L", s.name(),
            s.description().isEmpty() ? "(no description)" : s.description(), Common.origin(m));
    Common.annotate(type, m);
    type.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build());

    string(type, "PRESET_NAME", s.name(), "Name of the preset.");
    string(type, "DESCRIPTION", s.description(), "Description of the preset.");
    if (s.kaggleHandle() != null) {
      string(type, "KAGGLE_HANDLE", s.kaggleHandle(), "Where {@code fromPreset()} finds the weights.");
    }
    string(type, "TASK", s.task().kind().className(), "keras-hub task class the preset was saved as.");
    if (s.task().kind() == TaskConfig.Kind.TEXT_CLASSIFIER) {
      constant(type, TypeName.INT, "NUM_CLASSES", s.task().numClasses(), "Classes of the classifier task.");
    }

    constant(type, TypeName.INT, "VOCABULARY_SIZE", b.vocabularySize(), "{@code vocabulary_size}: number of token ids.");
    constant(type, TypeName.INT, "NUM_LAYERS", b.numLayers(), "{@code num_layers}: transformer encoder layers.");
    constant(type, TypeName.INT, "NUM_HEADS", b.numHeads(), "{@code num_heads}: attention heads per layer.");
    constant(type, TypeName.INT, "HIDDEN_DIM", b.hiddenDim(), "{@code hidden_dim}: width of the hidden states.");
    constant(type, TypeName.INT, "INTERMEDIATE_DIM", b.intermediateDim(), "{@code intermediate_dim}: width of the feed-forward layers.");
    constant(type, TypeName.INT, "HEAD_DIM", b.headDim(), "{@code hidden_dim / num_heads}: size of one attention head.");
    constant(type, TypeName.DOUBLE, "DROPOUT", b.dropout(), "{@code dropout}: dropout rate in training.");
    constant(type, TypeName.INT, "MAX_SEQUENCE_LENGTH", b.maxSequenceLength(), "{@code max_sequence_length}: number of positions.");
    constant(type, TypeName.INT, "NUM_SEGMENTS", b.numSegments(), "{@code num_segments}: number of segment ids.");
    enumConstant(type, RuntimeNames.ACTIVATION, "HIDDEN_ACTIVATION", b.hiddenActivation().name(), "Activation of the encoder feed-forward layers.");
    constant(type, TypeName.DOUBLE, "LAYER_NORM_EPSILON", b.layerNormEpsilon(), "LayerNorm epsilon of the embeddings and encoder layers.");
    enumConstant(type, RuntimeNames.ACTIVATION, "MLM_HEAD_ACTIVATION", b.mlmHeadActivation().name(), "Activation of the masked-LM head.");
    constant(type, TypeName.DOUBLE, "MLM_HEAD_LAYER_NORM_EPSILON", b.mlmHeadLayerNormEpsilon(), "LayerNorm epsilon of the masked-LM head.");

    enumConstant(type, RuntimeNames.TOKENIZER_FLAVOR, "TOKENIZER_FLAVOR", t.flavor().name(), "Text normalization rules of the tokenizer.");
    constant(type, TypeName.BOOLEAN, "LOWERCASE", t.lowercase(), "{@code lowercase}: the tokenizer lowercases input.");
    constant(type, TypeName.BOOLEAN, "STRIP_ACCENTS", t.stripAccents(), "{@code strip_accents}: the tokenizer removes accents.");
    constant(type, TypeName.BOOLEAN, "SPLIT", t.split(), "{@code split}: split on whitespace and punctuation.");
    constant(type, TypeName.BOOLEAN, "SPLIT_ON_CJK", t.splitOnCjk(), "{@code split_on_cjk}: CJK ideographs are words of their own.");
    string(type, "SUFFIX_INDICATOR", t.suffixIndicator(), "{@code suffix_indicator}: prefix of continuation pieces.");
    string(type, "OOV_TOKEN", t.oovToken(), "{@code oov_token}: token for unknown words.");
    string(type, "CLS_TOKEN", t.clsToken(), "Classification (start) token.");
    string(type, "SEP_TOKEN", t.sepToken(), "Separator (end) token.");
    string(type, "PAD_TOKEN", t.padToken(), "Padding token.");
    string(type, "MASK_TOKEN", t.maskToken(), "Mask token.");
    string(type, "VOCABULARY_ASSET", t.vocabularyAsset(), "Path of the vocabulary inside a preset directory.");
    if (t.bundledVocabulary() != null) {
      string(type, "BUNDLED_VOCABULARY", t.bundledVocabulary(), "Vocabulary shipped in bertgen-presets.");
    }

    constant(type, TypeName.INT, "SEQUENCE_LENGTH", p.sequenceLength(), "{@code sequence_length}: packed sequence length.");
    enumConstant(type, RuntimeNames.TRUNCATION, "TRUNCATE", p.truncate().name(), "{@code truncate}: how segments are shortened.");
    constant(type, TypeName.DOUBLE, "MASK_SELECTION_RATE", p.maskSelectionRate(), "{@code mask_selection_rate}: fraction of tokens selected.");
    constant(type, TypeName.INT, "MASK_SELECTION_LENGTH", p.maskSelectionLength(), "{@code mask_selection_length}: mask slots per sequence.");
    constant(type, TypeName.DOUBLE, "MASK_TOKEN_RATE", p.maskTokenRate(), "{@code mask_token_rate}: selected tokens replaced by the mask token.");
    constant(type, TypeName.DOUBLE, "RANDOM_TOKEN_RATE", p.randomTokenRate(), "{@code random_token_rate}: selected tokens replaced by a random token.");

    constant(type, TypeName.LONG, "BACKBONE_PARAMETER_COUNT", b.parameterCount(), "Parameters of the backbone, as keras' {@code count_params()} gives them.");
    constant(type, TypeName.LONG, "MASKED_LM_PARAMETER_COUNT", b.parameterCount() + b.maskedLmHeadParameterCount(), "Parameters of the masked LM: the backbone and keras-hub's MaskedLMHead.");

    type.addField(FieldSpec.builder(RuntimeNames.PRESET_SPEC, "SPEC", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("The whole preset, as the runtime reads it.\n")
        .initializer(specInitializer(s))
        .build());
    return type.build();
  }

  private static CodeBlock specInitializer(PresetSpec s) {
    CodeBlock task = s.task().kind() == TaskConfig.Kind.TEXT_CLASSIFIER
        ? CodeBlock.of("$T.textClassifier(NUM_CLASSES)", RuntimeNames.TASK_CONFIG)
        : CodeBlock.of("$T.maskedLm()", RuntimeNames.TASK_CONFIG);
    return CodeBlock.builder()
        .add("new $T(\n", RuntimeNames.PRESET_SPEC).indent().indent()
        .add("PRESET_NAME,\n")
        .add("DESCRIPTION,\n")
        .add(s.params() == null ? CodeBlock.of("null,\n") : CodeBlock.of("$LL,\n", s.params()))
        .add(s.kaggleHandle() == null ? "null,\n" : "KAGGLE_HANDLE,\n")
        .add("$L,\n", task)
        .add("new $T(VOCABULARY_SIZE, NUM_LAYERS, NUM_HEADS, HIDDEN_DIM, INTERMEDIATE_DIM, DROPOUT,\n",
            RuntimeNames.BACKBONE_CONFIG)
        .add("        MAX_SEQUENCE_LENGTH, NUM_SEGMENTS, HIDDEN_ACTIVATION, LAYER_NORM_EPSILON,\n")
        .add("        MLM_HEAD_ACTIVATION, MLM_HEAD_LAYER_NORM_EPSILON),\n")
        .add("new $T(TOKENIZER_FLAVOR, LOWERCASE, STRIP_ACCENTS, SPLIT, SPLIT_ON_CJK, SUFFIX_INDICATOR,\n",
            RuntimeNames.TOKENIZER_CONFIG)
        .add("        OOV_TOKEN, CLS_TOKEN, SEP_TOKEN, PAD_TOKEN, MASK_TOKEN, VOCABULARY_ASSET, $L),\n",
            s.tokenizer().bundledVocabulary() == null ? "null" : "BUNDLED_VOCABULARY")
        .add("new $T(SEQUENCE_LENGTH, TRUNCATE, MASK_SELECTION_RATE, MASK_SELECTION_LENGTH,\n",
            RuntimeNames.PREPROCESSOR_CONFIG)
        .add("        MASK_TOKEN_RATE, RANDOM_TOKEN_RATE))")
        .unindent().unindent()
        .build();
  }

  private static void string(TypeSpec.Builder type, String name, String value, String doc) {
    type.addField(FieldSpec.builder(String.class, name, Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc(doc + "\n")
        .initializer("$S", value)
        .build());
  }

  private static void constant(TypeSpec.Builder type, TypeName t, String name, Object value, String doc) {
    String literal = t.equals(TypeName.LONG) ? value + "L" : String.valueOf(value);
    type.addField(FieldSpec.builder(t, name, Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc(doc + "\n")
        .initializer("$L", literal)
        .build());
  }

  private static void enumConstant(TypeSpec.Builder type, com.palantir.javapoet.ClassName enumType,
      String name, String constant, String doc) {
    type.addField(FieldSpec.builder(enumType, name, Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc(doc + "\n")
        .initializer("$T.$L", enumType, constant)
        .build());
  }
}
