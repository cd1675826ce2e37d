package dev.bertgen.examples;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.bertgen.examples.presets.TinyBertBackbone;
import dev.bertgen.examples.presets.TinyBertMaskedLM;
import dev.bertgen.examples.presets.TinyBertSst2TextClassifier;
import dev.bertgen.examples.presets.TinyBertTextClassifier;
import dev.bertgen.examples.presets.TinyBertTextClassifierPreprocessor;
import dev.bertgen.layers.VariableLayout;
import dev.bertgen.presets.PresetException;
import dev.bertgen.spec.Diagnostic;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated text classifiers as a user calls them. */
class GeneratedClassifiersTest {
  @TempDir Path tmp;

  @Test
  void askedForClassifierHasItsClassesAndTheBackbonesKernels() {
    TinyBertTextClassifier c = TinyBertTextClassifier.create(3);
    assertThat(c.numClasses()).isEqualTo(TinyBertTextClassifier.NUM_CLASSES);
    assertThat(c.backbone()).isInstanceOf(TinyBertBackbone.class);
    assertThat(c.preprocessor()).isInstanceOf(TinyBertTextClassifierPreprocessor.class);
    assertThat(c.preprocessor().sequenceLength()).isEqualTo(512);
    float[][] p = c.predictProbabilities(List.of("a small dog that barks", "a tall tree"));
    assertThat(p[0]).hasLength(6);
    c.close();
  }

  @Test
  void classifierPresetClassLoadsTheSavedHeadAndABackbonePresetClassAFreshOne() {
    TinyBertSst2TextClassifier sst2 = TinyBertSst2TextClassifier.create(5);
    assertThat(TinyBertSst2TextClassifier.NUM_CLASSES).isEqualTo(2);
    Path saved = tmp.resolve("sst2");
    sst2.saveToPreset(saved);
    TinyBertSst2TextClassifier again = TinyBertSst2TextClassifier.fromPreset(saved.toString());
    assertThat(again.getWeights().get(VariableLayout.CLASSIFIER_KERNEL))
        .isEqualTo(sst2.getWeights().get(VariableLayout.CLASSIFIER_KERNEL));

    Path mlm = tmp.resolve("mlm");
    TinyBertMaskedLM.create(7).saveToPreset(mlm);
    assertThat(assertThrows(PresetException.class, () -> TinyBertSst2TextClassifier.fromPreset(mlm.toString()))
        .getMessage()).contains("pass the number of classes");
    TinyBertTextClassifier fresh = TinyBertTextClassifier.fromPreset(mlm.toString());
    assertThat(fresh.backbone().getWeights().get("token_embedding/embeddings"))
        .isEqualTo(TinyBertMaskedLM.fromPreset(mlm.toString()).backbone().getWeights()
            .get("token_embedding/embeddings"));
  }

  @Test
  void classifierPresetClassRefusesASavedHeadOfAnotherClassCount() {
    Path six = tmp.resolve("six");
    TinyBertTextClassifier.create(11).saveToPreset(six);
    PresetException e = assertThrows(PresetException.class,
        () -> TinyBertSst2TextClassifier.fromPreset(six.toString()));
    assertThat(e.diagnostic()).isEqualTo(Diagnostic.ARCHITECTURE_MISMATCH);
    assertThat(e.getMessage()).contains(six + " is a classifier of 6 classes, but TinyBertSst2TextClassifier was "
        + "generated for 2; load it with BertTextClassifier.fromPreset(");
  }
}
