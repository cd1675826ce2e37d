package dev.bertgen.examples.app;

import dev.bertgen.compute.ComputeDevice;
import dev.bertgen.examples.app.BertGenApp.UserException;
import dev.bertgen.examples.presets.TinyBertConfig;
import dev.bertgen.examples.presets.TinyBertTextClassifier;
import dev.bertgen.models.BertTextClassifier;
import dev.bertgen.presets.PresetException;
import dev.bertgen.spec.Diagnostic;
import dev.bertgen.models.PresetOptions;
import dev.bertgen.spec.BuiltinPresets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loading text classifiers for the commands. */
public final class ClassifierModels {
  private ClassifierModels() {}

  /**
   * A classifier of {@code source}: its saved head when {@code numClasses} is null (a classifier
   * preset), else a fresh head of {@code numClasses} over its backbone.
   */
  public static BertTextClassifier load(String source, Integer numClasses, long seed, ComputeDevice device) {
    requirePresetPath(source);
    PresetOptions options = PresetOptions.builder().device(device).seed(seed).build();
    BertTextClassifier c = null;
    if (numClasses != null && numClasses == TinyBertTextClassifier.NUM_CLASSES) {
      try {
        c = TinyBertTextClassifier.fromPreset(source, options); // bert_tiny: the generated kernels
      } catch (PresetException e) {
        if (e.diagnostic() != Diagnostic.ARCHITECTURE_MISMATCH) {
          throw e;
        }
      }
    }
    if (c == null) {
      c = numClasses == null ? BertTextClassifier.fromPreset(source, options)
          : BertTextClassifier.fromPreset(source, numClasses, options);
    }
    c.backbone().setDevice(device);
    return c;
  }

  /** A new classifier with keras-hub's initializers over a built-in preset's architecture. */
  public static BertTextClassifier fromScratch(String presetName, int numClasses, long seed, ComputeDevice device) {
    if (!BuiltinPresets.names().contains(presetName)) {
      throw new UserException("--from-scratch needs a built-in preset name (see: bertgen presets), got " + presetName);
    }
    BertTextClassifier c = presetName.equals(TinyBertConfig.PRESET_NAME) && numClasses == TinyBertTextClassifier.NUM_CLASSES
        ? TinyBertTextClassifier.create(seed) : BertTextClassifier.create(BuiltinPresets.get(presetName), numClasses, seed);
    c.backbone().setDevice(device);
    return c;
  }

  private static void requirePresetPath(String source) {
    if (!source.contains("://") && (source.contains("/") || source.contains("\\") || source.startsWith("."))
        && !Files.isDirectory(Path.of(source))) {
      throw new UserException("no preset directory " + source + "; give a directory written by saveToPreset or "
          + "train-classifier (e.g. bertgen-classifier/preset), a preset name (bertgen presets), kaggle:// or hf://");
    }
  }
}
