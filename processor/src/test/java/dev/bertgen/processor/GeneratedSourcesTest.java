package dev.bertgen.processor;

import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Golden files for the sources generated for one built-in preset and one {@code @BertSpec}, and a
 * warning-free compile of them against the runtime under {@code -Xlint:all} (less the
 * "no processor claimed" notices about annotations, which are not about the code).
 *
 * <p>Run with {@code BERTGEN_UPDATE_GOLDENS=true} to rewrite the goldens instead of comparing.
 */
class GeneratedSourcesTest {
  private static final Path GOLDENS = Path.of("src/test/resources/goldens");

  static final JavaFileObject TINY = JavaFileObjects.forSourceLines("golden.TinyBert",
      "package golden;",
      "",
      "import dev.bertgen.dsl.BertPreset;",
      "",
      "@BertPreset(\"bert_tiny_en_uncased\")",
      "public interface TinyBert {}");

  static final JavaFileObject CUSTOM = JavaFileObjects.forSourceLines("golden.Outer",
      "package golden;",
      "",
      "import dev.bertgen.dsl.Activation;",
      "import dev.bertgen.dsl.BertOverrides;",
      "import dev.bertgen.dsl.BertSpec;",
      "import dev.bertgen.dsl.TokenizerFlavor;",
      "import dev.bertgen.dsl.TokenizerSpec;",
      "import dev.bertgen.dsl.Truncation;",
      "",
      "public class Outer {",
      "  @BertSpec(vocabularySize = 30522, numLayers = 3, numHeads = 4, hiddenDim = 64, intermediateDim = 256,",
      "      dropout = 0.0, maxSequenceLength = 128, hiddenActivation = Activation.GELU,",
      "      mlmHeadLayerNormEpsilon = 1e-12,",
      "      tokenizer = @TokenizerSpec(flavor = TokenizerFlavor.HUGGING_FACE, stripAccents = true))",
      "  @BertOverrides(sequenceLength = 64, truncate = Truncation.WATERFALL, maskSelectionLength = 10)",
      "  public interface HfStyle {}",
      "}");

  static final JavaFileObject SST2 = JavaFileObjects.forSourceLines("golden.Sst2",
      "package golden;",
      "",
      "import dev.bertgen.dsl.BertPreset;",
      "",
      "@BertPreset(\"bert_tiny_en_uncased_sst2\")",
      "public interface Sst2 {}");

  static final JavaFileObject CLASSIFIER = JavaFileObjects.forSourceLines("golden.Topics",
      "package golden;",
      "",
      "import dev.bertgen.dsl.BertPreset;",
      "",
      "@BertPreset(value = \"bert_tiny_en_uncased\", numClasses = 3)",
      "public interface Topics {}");

  private static Compilation compile(JavaFileObject source) {
    return javac().withProcessors(new BertProcessor()).withOptions("-Xlint:all,-processing").compile(source);
  }

  @ParameterizedTest
  @ValueSource(strings = {"TinyBertConfig", "TinyBertBackbone", "TinyBertPreprocessor", "TinyBertMaskedLM",
      "TinyBertKernels", "TinyBertGpuKernels"})
  void builtinPresetGolden(String name) throws IOException {
    Compilation c = compile(TINY);
    assertThat(c).succeededWithoutWarnings();
    golden(c, "golden." + name, name);
  }

  /** A classifier preset gets its classifier (loading the saved head); a backbone preset asked for one, a fresh head. */
  @ParameterizedTest
  @ValueSource(strings = {"Sst2TextClassifier", "Sst2TextClassifierPreprocessor", "TopicsTextClassifier",
      "TopicsTextClassifierPreprocessor"})
  void textClassifierGolden(String name) throws IOException {
    Compilation c = compile(name.startsWith("Sst2") ? SST2 : CLASSIFIER);
    assertThat(c).succeededWithoutWarnings();
    golden(c, "golden." + name, name);
  }

  @Test
  void noClassifierUnlessAskedOrThePresetIsOne() {
    Compilation c = compile(TINY);
    assertThat(c).succeededWithoutWarnings();
    assertWithMessage("TinyBertTextClassifier").that(c.generatedSourceFile("golden.TinyBertTextClassifier")).isEmpty();
    assertWithMessage("TinyBertTextClassifierPreprocessor")
        .that(c.generatedSourceFile("golden.TinyBertTextClassifierPreprocessor")).isEmpty();
    Compilation sst2 = compile(SST2);
    assertWithMessage("Sst2MaskedLM").that(sst2.generatedSourceFile("golden.Sst2MaskedLM")).isPresent();
  }

  @ParameterizedTest
  @ValueSource(strings = {"Outer_HfStyleConfig", "Outer_HfStyleBackbone", "Outer_HfStylePreprocessor",
      "Outer_HfStyleMaskedLM", "Outer_HfStyleKernels", "Outer_HfStyleGpuKernels"})
  void beanSpecGolden(String name) throws IOException {
    Compilation c = compile(CUSTOM);
    assertThat(c).succeededWithoutWarnings();
    golden(c, "golden." + name, name);
  }

  @Test
  void generationIsDeterministic() throws IOException {
    Compilation a = compile(TINY);
    Compilation b = compile(TINY);
    for (String n : List.of("TinyBertConfig", "TinyBertMaskedLM")) {
      String x = a.generatedSourceFile("golden." + n).orElseThrow().getCharContent(true).toString();
      String y = b.generatedSourceFile("golden." + n).orElseThrow().getCharContent(true).toString();
      assertWithMessage(n).that(x).isEqualTo(y);
    }
  }

  @Test
  void withoutGeneratedAnnotationOption() throws IOException {
    Compilation c = javac().withProcessors(new BertProcessor())
        .withOptions("-Abertgen.generatedAnnotation=false").compile(TINY);
    assertThat(c).succeeded();
    String text = c.generatedSourceFile("golden.TinyBertConfig").orElseThrow().getCharContent(true).toString();
    assertWithMessage("@Generated left out").that(text).doesNotContain("javax.annotation.processing.Generated");
    assertWithMessage("@BertGenerated kept").that(text).contains("@BertGenerated(");
  }

  private static void golden(Compilation c, String qualified, String file) throws IOException {
    String actual = c.generatedSourceFile(qualified).orElseThrow().getCharContent(true).toString();
    Path golden = GOLDENS.resolve(file + ".java");
    if ("true".equals(System.getenv("BERTGEN_UPDATE_GOLDENS"))) {
      Files.createDirectories(GOLDENS);
      Files.writeString(golden, actual, StandardCharsets.UTF_8);
      return;
    }
    assertWithMessage("golden %s is missing; run with BERTGEN_UPDATE_GOLDENS=true", golden)
        .that(Files.exists(golden)).isTrue();
    assertWithMessage("generated %s differs from %s (BERTGEN_UPDATE_GOLDENS=true rewrites it)", qualified, golden)
        .that(actual).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
  }
}
