package dev.bertgen.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One compile-testing case per error of the processor: its ID, the file and the line it points at,
 * and that processing went on with the other types (a valid type beside the bad one still gets its
 * classes generated).
 */
class ProcessorErrorsTest {

  @TempDir Path temp;

  /** A valid declaration compiled beside every bad one. */
  private static final JavaFileObject GOOD = JavaFileObjects.forSourceLines("p.Good",
      "package p;",
      "@dev.bertgen.dsl.BertPreset(\"bert_tiny_en_uncased\")",
      "interface Good {}");

  private Compilation compile(JavaFileObject bad) {
    return javac().withProcessors(new BertProcessor()).withOptions(VERBOSE).compile(bad, GOOD);
  }

  private Compilation compileWithClasspath(List<File> extra, JavaFileObject... sources) {
    List<File> cp = new ArrayList<>(extra);
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      cp.add(new File(entry));
    }
    return javac().withProcessors(new BertProcessor()).withOptions(VERBOSE).withClasspath(cp).compile(sources);
  }

  private static final String VERBOSE = "-Abertgen.verbose=true";

  /** Processing went on after the error: the valid type's classes were written. */
  private static void goodStillGenerated(Compilation c) {
    assertThat(c).hadNoteContaining("[BertGen] wrote p.GoodConfig, p.GoodBackbone, p.GoodPreprocessor, "
        + "p.GoodMaskedLM, p.GoodKernels");
  }

  private static JavaFileObject source(String name, String... lines) {
    return JavaFileObjects.forSourceLines(name, lines);
  }

  @Test
  void unknownPresetSuggestsTheClosestName() {
    JavaFileObject bad = source("p.Bad",
        "package p;",
        "@dev.bertgen.dsl.BertPreset(\"bert_tiny_en_uncase\")",
        "interface Bad {}");
    Compilation c = compile(bad);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c).hadErrorContaining("[BertUnknownPreset] p.Bad: unknown preset \"bert_tiny_en_uncase\"; "
        + "did you mean \"bert_tiny_en_uncased\"?").inFile(bad).onLineContaining("bert_tiny_en_uncase\"");
    goodStillGenerated(c);
  }

  @Test
  void presetNeedsExactlyOneSource() {
    JavaFileObject neither = source("p.Bad", "package p;", "@dev.bertgen.dsl.BertPreset", "interface Bad {}");
    Compilation c = compile(neither);
    assertThat(c).hadErrorContaining("[BertPresetSource] p.Bad: @BertPreset names no preset")
        .inFile(neither).onLineContaining("@dev.bertgen.dsl.BertPreset");
    goodStillGenerated(c);

    JavaFileObject both = source("p.Both", "package p;",
        "@dev.bertgen.dsl.BertPreset(value = \"bert_tiny_en_uncased\", resource = \"x.yaml\")",
        "interface Both {}");
    assertThat(compile(both)).hadErrorContaining("[BertPresetSource] p.Both: @BertPreset sets both")
        .inFile(both).onLineContaining("resource = \"x.yaml\"");
  }

  @Test
  void headsMustDivideHidden() {
    JavaFileObject bad = source("p.Bad",
        "package p;",
        "@dev.bertgen.dsl.BertSpec(vocabularySize = 30522, numLayers = 2,",
        "    numHeads = 3,",
        "    hiddenDim = 128, intermediateDim = 512)",
        "interface Bad {}");
    Compilation c = compile(bad);
    assertThat(c).hadErrorCount(1);
    assertThat(c).hadErrorContaining("[BertHeadsDoNotDivideHidden] p.Bad: num_heads 3 does not divide "
        + "hidden_dim 128").inFile(bad).onLineContaining("numHeads = 3");
    goodStillGenerated(c);
  }

  @Test
  void nonPositiveSizesEachReported() {
    JavaFileObject bad = source("p.Bad",
        "package p;",
        "@dev.bertgen.dsl.BertSpec(vocabularySize = 30522,",
        "    numLayers = 0,",
        "    numHeads = 2, hiddenDim = 128,",
        "    intermediateDim = -4)",
        "interface Bad {}");
    Compilation c = compile(bad);
    assertThat(c).hadErrorCount(2);
    assertThat(c).hadErrorContaining("[BertNonPositiveSize] p.Bad: num_layers must be positive, found 0")
        .inFile(bad).onLineContaining("numLayers = 0");
    assertThat(c).hadErrorContaining("[BertNonPositiveSize] p.Bad: intermediate_dim must be positive, found -4")
        .inFile(bad).onLineContaining("intermediateDim = -4");
    goodStillGenerated(c);
  }

  @Test
  void sequenceLengthAboveMax() {
    JavaFileObject bad = source("p.Bad",
        "package p;",
        "@dev.bertgen.dsl.BertPreset(\"bert_tiny_en_uncased\")",
        "@dev.bertgen.dsl.BertOverrides(",
        "    sequenceLength = 1024)",
        "interface Bad {}");
    Compilation c = compile(bad);
    assertThat(c).hadErrorContaining("[BertSequenceLengthAboveMax] p.Bad: with @BertOverrides, "
        + "sequence_length 1024 is above the backbone's max_sequence_length 512")
        .inFile(bad).onLineContaining("sequenceLength = 1024");
    goodStillGenerated(c);
  }

  @Test
  void maskRatesOutsideUnitInterval() {
    JavaFileObject bad = source("p.Bad",
        "package p;",
        "@dev.bertgen.dsl.BertPreset(\"bert_tiny_en_uncased\")",
        "@dev.bertgen.dsl.BertOverrides(",
        "    maskSelectionRate = 1.5)",
        "interface Bad {}");
    Compilation c = compile(bad);
    assertThat(c).hadErrorCount(1);
    assertThat(c).hadErrorContaining("[BertRateOutOfRange] p.Bad: with @BertOverrides, "
        + "mask_selection_rate 1.5 is outside [0, 1]").inFile(bad).onLineContaining("maskSelectionRate = 1.5");
    goodStillGenerated(c);
  }

  @Test
  void maskRatesSummingAboveOne() {
    JavaFileObject bad = source("p.Bad",
        "package p;",
        "@dev.bertgen.dsl.BertPreset(\"bert_tiny_en_uncased\")",
        "@dev.bertgen.dsl.BertOverrides(maskTokenRate = 0.9,",
        "    randomTokenRate = 0.2)",
        "interface Bad {}");
    Compilation c = compile(bad);
    assertThat(c).hadErrorCount(1);
    assertThat(c).hadErrorContaining("[BertMaskRatesAboveOne] p.Bad: with @BertOverrides, "
        + "mask_token_rate 0.9 + random_token_rate 0.2").inFile(bad).onLineContaining("randomTokenRate = 0.2");
    goodStillGenerated(c);
  }

  @Test
  void malformedYamlNamesFileAndLine() throws IOException {
    Path dir = Files.createDirectories(temp.resolve("cp/presets"));
    Files.writeString(dir.resolve("broken.yaml"), "name: broken\nbackbone:\n  num_layers: [2\n  hidden_dim: 8\n");
    JavaFileObject bad = source("p.Bad",
        "package p;",
        "@dev.bertgen.dsl.BertPreset(resource = \"presets/broken.yaml\")",
        "interface Bad {}");
    Compilation c = compileWithClasspath(List.of(temp.resolve("cp").toFile()), bad, GOOD);
    assertThat(c).hadErrorCount(1);
    assertThat(c).hadErrorContaining("[BertMalformedYaml] p.Bad: presets/broken.yaml:4:")
        .inFile(bad).onLineContaining("resource = ");
    goodStillGenerated(c);
  }

  @Test
  void schemaViolationNamesFileLineAndFix() throws IOException {
    Path dir = Files.createDirectories(temp.resolve("cp/presets"));
    Files.writeString(dir.resolve("mine.yaml"), String.join("\n",
        "name: mine",
        "backbone:",
        "  vocabulary_size: 30522",
        "  num_layers: 2",
        "  num_heads: 2",
        "  hidden_dim: 128",
        "  intermediat_dim: 512",
        ""));
    JavaFileObject bad = source("p.Bad",
        "package p;",
        "@dev.bertgen.dsl.BertPreset(resource = \"presets/mine.yaml\")",
        "interface Bad {}");
    Compilation c = compileWithClasspath(List.of(temp.resolve("cp").toFile()), bad, GOOD);
    assertThat(c).hadErrorCount(2);
    assertThat(c).hadErrorContaining("[BertSchemaViolation] p.Bad: presets/mine.yaml:3:3: 'backbone' "
        + "needs 'intermediate_dim'").inFile(bad).onLineContaining("resource = ");
    assertThat(c).hadErrorContaining("[BertSchemaViolation] p.Bad: presets/mine.yaml:7:3: unknown key "
        + "'intermediat_dim' in 'backbone'; did you mean \"intermediate_dim\"?");
    goodStillGenerated(c);
  }

  @Test
  void validationErrorsInUserYamlHaveLines() throws IOException {
    Path dir = Files.createDirectories(temp.resolve("cp/presets"));
    Files.writeString(dir.resolve("mine.yaml"), String.join("\n",
        "name: mine",
        "backbone:",
        "  vocabulary_size: 30522",
        "  num_layers: 2",
        "  num_heads: 5",
        "  hidden_dim: 128",
        "  intermediate_dim: 512",
        ""));
    JavaFileObject bad = source("p.Bad", "package p;",
        "@dev.bertgen.dsl.BertPreset(resource = \"presets/mine.yaml\")", "interface Bad {}");
    Compilation c = compileWithClasspath(List.of(temp.resolve("cp").toFile()), bad, GOOD);
    assertThat(c).hadErrorContaining("[BertHeadsDoNotDivideHidden] p.Bad: presets/mine.yaml:5:3: num_heads 5")
        .inFile(bad).onLineContaining("resource = ");
  }

  @Test
  void declaredParameterCountMustMatch() throws IOException {
    Path dir = Files.createDirectories(temp.resolve("cp/presets"));
    Files.writeString(dir.resolve("mine.yaml"), String.join("\n",
        "name: mine",
        "params: 4385921",
        "backbone: {vocabulary_size: 30522, num_layers: 2, num_heads: 2, hidden_dim: 128, intermediate_dim: 512}",
        ""));
    JavaFileObject bad = source("p.Bad", "package p;",
        "@dev.bertgen.dsl.BertPreset(resource = \"presets/mine.yaml\")", "interface Bad {}");
    Compilation c = compileWithClasspath(List.of(temp.resolve("cp").toFile()), bad, GOOD);
    assertThat(c).hadErrorCount(1);
    assertThat(c).hadErrorContaining("[BertParameterCountMismatch] p.Bad: presets/mine.yaml:2:1: params says "
        + "4,385,921 but this architecture has 4,385,920 backbone parameters").inFile(bad).onLineContaining("resource");
    goodStillGenerated(c);
  }

  @Test
  void userYamlThatCannotBeFound() {
    JavaFileObject bad = source("p.Bad",
        "package p;",
        "@dev.bertgen.dsl.BertPreset(resource = \"presets/missing.yaml\")",
        "interface Bad {}");
    Compilation c = compile(bad);
    assertThat(c).hadErrorCount(1);
    assertThat(c).hadErrorContaining("[BertPresetResourceNotFound] p.Bad: cannot find preset file "
        + "\"presets/missing.yaml\" (looked in SOURCE_PATH, CLASS_OUTPUT, CLASS_PATH); put it under "
        + "src/main/resources/presets/missing.yaml").inFile(bad).onLineContaining("missing.yaml");
    goodStillGenerated(c);
  }

  @Test
  void userYamlIsUsed() throws IOException {
    Path dir = Files.createDirectories(temp.resolve("cp/presets"));
    Files.writeString(dir.resolve("mine.yaml"), String.join("\n",
        "name: mine",
        "backbone:",
        "  vocabulary_size: 30522",
        "  num_layers: 3",
        "  num_heads: 2",
        "  hidden_dim: 64",
        "  intermediate_dim: 128",
        "tokenizer:",
        "  lowercase: true",
        "  bundled_vocabulary: bert_en_uncased",
        ""));
    JavaFileObject mine = source("p.Mine", "package p;",
        "@dev.bertgen.dsl.BertPreset(resource = \"presets/mine.yaml\")", "interface Mine {}");
    Compilation c = compileWithClasspath(List.of(temp.resolve("cp").toFile()), mine);
    assertThat(c).succeeded();
    assertThat(c).generatedSourceFile("p.MineConfig").contentsAsUtf8String()
        .contains("public static final int NUM_LAYERS = 3;");
    assertThat(c).generatedSourceFile("p.MineConfig").contentsAsUtf8String()
        .contains("from preset file presets/mine.yaml");
  }

  @Test
  void twoDeclarationsGeneratingTheSameName() {
    JavaFileObject a = source("p.A", "package p;",
        "@dev.bertgen.dsl.BertPreset(value = \"bert_tiny_en_uncased\", prefix = \"Shared\")", "interface A {}");
    JavaFileObject b = source("p.B", "package p;",
        "@dev.bertgen.dsl.BertPreset(value = \"bert_small_en_uncased\",",
        "    prefix = \"Shared\")", "interface B {}");
    Compilation c = javac().withProcessors(new BertProcessor()).withOptions(VERBOSE).compile(a, b, GOOD);
    assertThat(c).hadErrorCount(2);
    assertThat(c).hadErrorContaining("[BertDuplicateClassName] p.A: would generate p.SharedConfig, which "
        + "clashes with p.B").inFile(a).onLineContaining("prefix = \"Shared\"");
    assertThat(c).hadErrorContaining("[BertDuplicateClassName] p.B: would generate p.SharedConfig, which "
        + "clashes with p.A").inFile(b).onLineContaining("prefix = \"Shared\"");
    goodStillGenerated(c);
  }

  @Test
  void generatedNameTakenByAUserClass() {
    JavaFileObject user = source("p.TinyConfig", "package p;", "class TinyConfig {}");
    JavaFileObject tiny = source("p.Tiny", "package p;",
        "@dev.bertgen.dsl.BertPreset(\"bert_tiny_en_uncased\")", "interface Tiny {}");
    Compilation c = javac().withProcessors(new BertProcessor()).withOptions(VERBOSE).compile(user, tiny, GOOD);
    assertThat(c).hadErrorContaining("[BertDuplicateClassName] p.Tiny: would generate p.TinyConfig, which "
        + "clashes with the existing class p.TinyConfig").inFile(tiny).onLineContaining("@dev.bertgen");
    goodStillGenerated(c);
  }

  @Test
  void annotationOnAnEnum() {
    JavaFileObject bad = source("p.Bad", "package p;",
        "@dev.bertgen.dsl.BertPreset(\"bert_tiny_en_uncased\")", "enum Bad { A }");
    Compilation c = compile(bad);
    assertThat(c).hadErrorCount(1);
    assertThat(c).hadErrorContaining("[BertWrongElementKind] p.Bad: @BertPreset must be on an interface or "
        + "a class, not on an enum").inFile(bad).onLineContaining("@dev.bertgen.dsl.BertPreset");
    goodStillGenerated(c);
  }

  @Test
  void annotationOnAnAnnotationTypeAndARecord() {
    JavaFileObject ann = source("p.Ann", "package p;",
        "@dev.bertgen.dsl.BertSpec(vocabularySize = 10, numLayers = 1, numHeads = 1, hiddenDim = 4,",
        "    intermediateDim = 8, tokenizer = @dev.bertgen.dsl.TokenizerSpec(bundledVocabulary = \"\"))",
        "@interface Ann {}");
    assertThat(compile(ann)).hadErrorContaining("[BertWrongElementKind] p.Ann: @BertSpec must be on an "
        + "interface or a class, not on an annotation type").inFile(ann).onLineContaining("@dev.bertgen.dsl.BertSpec");
    JavaFileObject rec = source("p.Rec", "package p;",
        "@dev.bertgen.dsl.BertPreset(\"bert_tiny_en_uncased\")", "record Rec(int x) {}");
    assertThat(compile(rec)).hadErrorContaining("not on a record").inFile(rec).onLineContaining("@dev.bertgen");
  }

  @Test
  void bothPresetAndSpec() {
    JavaFileObject bad = source("p.Bad", "package p;",
        "@dev.bertgen.dsl.BertPreset(\"bert_tiny_en_uncased\")",
        "@dev.bertgen.dsl.BertSpec(vocabularySize = 30522, numLayers = 2, numHeads = 2, hiddenDim = 128, intermediateDim = 512)",
        "interface Bad {}");
    Compilation c = compile(bad);
    assertThat(c).hadErrorCount(1);
    assertThat(c).hadErrorContaining("[BertConflictingAnnotations] p.Bad: has both @BertPreset and @BertSpec")
        .inFile(bad).onLineContaining("@dev.bertgen.dsl.BertSpec");
    goodStillGenerated(c);
  }

  @Test
  void overridesAlone() {
    JavaFileObject bad = source("p.Bad", "package p;",
        "@dev.bertgen.dsl.BertOverrides(sequenceLength = 128)", "interface Bad {}");
    Compilation c = compile(bad);
    assertThat(c).hadErrorCount(1);
    assertThat(c).hadErrorContaining("[BertOverridesWithoutDeclaration] p.Bad:")
        .inFile(bad).onLineContaining("@dev.bertgen.dsl.BertOverrides");
    goodStillGenerated(c);
  }

  @Test
  void prefixMustBeAnIdentifier() {
    JavaFileObject bad = source("p.Bad", "package p;",
        "@dev.bertgen.dsl.BertPreset(value = \"bert_tiny_en_uncased\",",
        "    prefix = \"Tiny-Bert\")", "interface Bad {}");
    Compilation c = compile(bad);
    assertThat(c).hadErrorCount(1);
    assertThat(c).hadErrorContaining("[BertInvalidPrefix] p.Bad: prefix \"Tiny-Bert\" is not a Java identifier")
        .inFile(bad).onLineContaining("prefix = \"Tiny-Bert\"");
    goodStillGenerated(c);
  }

  @Test
  void negativeNumClassesIsRefusedAtTheValue() {
    JavaFileObject bad = source("p.Bad", "package p;",
        "@dev.bertgen.dsl.BertPreset(value = \"bert_tiny_en_uncased\",",
        "    numClasses = -1)", "interface Bad {}");
    Compilation c = compile(bad);
    assertThat(c).hadErrorCount(1);
    assertThat(c).hadErrorContaining("[BertBadNumClasses] p.Bad: numClasses = -1: numClasses must be at least 1 "
        + "(2 for a binary classifier), or 0 for no classifier").inFile(bad).onLineContaining("numClasses = -1");
    goodStillGenerated(c);
  }

  @Test
  void numClassesContradictingAClassifierPresetIsRefused() {
    JavaFileObject bad = source("p.Bad", "package p;",
        "@dev.bertgen.dsl.BertPreset(value = \"bert_tiny_en_uncased_sst2\", numClasses = 3)", "interface Bad {}");
    Compilation c = compile(bad);
    assertThat(c).hadErrorCount(1);
    assertThat(c).hadErrorContaining("[BertBadNumClasses] p.Bad: numClasses = 3: bert_tiny_en_uncased_sst2 is a "
        + "classifier of 2 classes").inFile(bad).onLineContaining("numClasses = 3");
    goodStillGenerated(c);
  }

  @Test
  void numClassesAboveTheVocabularyIsRefusedOnASpec() {
    JavaFileObject bad = source("p.Bad", "package p;",
        "@dev.bertgen.dsl.BertSpec(vocabularySize = 30522, numLayers = 2, numHeads = 2, hiddenDim = 128,",
        "    intermediateDim = 512, numClasses = 40000)", "interface Bad {}");
    Compilation c = compile(bad);
    assertThat(c).hadErrorCount(1);
    assertThat(c).hadErrorContaining("[BertBadNumClasses] p.Bad: numClasses = 40000: numClasses 40000 is more than "
        + "the vocabulary_size 30522").inFile(bad).onLineContaining("numClasses = 40000");
    goodStillGenerated(c);
  }

  @Test
  void specialTokenMissingFromBundledVocabularyPointsIntoTheNestedAnnotation() {
    JavaFileObject bad = source("p.Bad", "package p;",
        "@dev.bertgen.dsl.BertSpec(vocabularySize = 30522, numLayers = 2, numHeads = 2, hiddenDim = 128,",
        "    intermediateDim = 512, tokenizer = @dev.bertgen.dsl.TokenizerSpec(",
        "        clsToken = \"[XLS]\"))",
        "interface Bad {}");
    Compilation c = compile(bad);
    assertThat(c).hadErrorCount(1);
    assertThat(c).hadErrorContaining("[BertVocabularyMismatch] p.Bad: token \"[XLS]\" is not in bundled "
        + "vocabulary \"bert_en_uncased\"").inFile(bad).onLineContaining("clsToken = \"[XLS]\"");
  }

  @Test
  void vocabularySizeMustMatchBundledVocabulary() {
    JavaFileObject bad = source("p.Bad", "package p;",
        "@dev.bertgen.dsl.BertSpec(",
        "    vocabularySize = 1000,",
        "    numLayers = 2, numHeads = 2, hiddenDim = 128, intermediateDim = 512)",
        "interface Bad {}");
    Compilation c = compile(bad);
    assertThat(c).hadErrorContaining("[BertVocabularyMismatch] p.Bad: vocabulary_size 1000 differs from the "
        + "30522 tokens").inFile(bad).onLineContaining("vocabularySize = 1000");
  }

  @Test
  void otherInvalidValues() {
    JavaFileObject bad = source("p.Bad", "package p;",
        "@dev.bertgen.dsl.BertSpec(vocabularySize = 30522, numLayers = 2, numHeads = 2, hiddenDim = 128,",
        "    intermediateDim = 512,",
        "    dropout = 1.0,",
        "    layerNormEpsilon = 0)",
        "interface Bad {}");
    Compilation c = compile(bad);
    assertThat(c).hadErrorCount(2);
    assertThat(c).hadErrorContaining("[BertRateOutOfRange] p.Bad: dropout 1.0 is outside [0, 1)")
        .inFile(bad).onLineContaining("dropout = 1.0");
    assertThat(c).hadErrorContaining("[BertInvalidValue] p.Bad: layer_norm_epsilon must be a small positive")
        .inFile(bad).onLineContaining("layerNormEpsilon = 0");
  }

  @Test
  void tooLargeEmbedding() {
    JavaFileObject bad = source("p.Bad", "package p;",
        "@dev.bertgen.dsl.BertSpec(vocabularySize = 3000000, numLayers = 2, numHeads = 2, hiddenDim = 1024,",
        "    intermediateDim = 512, tokenizer = @dev.bertgen.dsl.TokenizerSpec(bundledVocabulary = \"\"))",
        "interface Bad {}");
    assertThat(compile(bad)).hadErrorContaining("[BertTensorTooLarge] p.Bad: the token embedding would hold "
        + "3,072,000,000 values").inFile(bad).onLineContaining("vocabularySize = 3000000");
  }

  @Test
  void everyDiagnosticOfTheProcessorIsCoveredHere() throws IOException {
    String me = Files.readString(Path.of("src/test/java/dev/bertgen/processor/ProcessorErrorsTest.java"));
    for (dev.bertgen.spec.Diagnostic d : dev.bertgen.spec.Diagnostic.values()) {
      if (d == dev.bertgen.spec.Diagnostic.PROCESSOR_EXCEPTION || d == dev.bertgen.spec.Diagnostic.ARCHITECTURE_MISMATCH
          ) {
        continue; // a processor bug and a run-time error: tested elsewhere
      }
      assertThat(me).contains("\"" + d.tag());
    }
  }
}
