package dev.bertgen.examples.app;

import dev.bertgen.compute.ComputeDevice;
import dev.bertgen.examples.presets.TinyBertConfig;
import dev.bertgen.examples.presets.TinyBertMaskedLM;
import dev.bertgen.models.BertMaskedLM;
import dev.bertgen.models.BertMaskedLMPreprocessor;
import dev.bertgen.models.PresetOptions;
import dev.bertgen.presets.PresetException;
import dev.bertgen.spec.BuiltinPresets;
import dev.bertgen.spec.Diagnostic;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loading models for the commands: the generated TinyBert classes whenever the architecture allows. */
public final class Models {
  private Models() {}

  /**
   * Loads {@code source} (a preset directory, a built-in name, {@code kaggle://} or {@code hf://}); a
   * bert_tiny-shaped preset runs on the generated {@code TinyBertKernels}, any other on the generic ones.
   */
  public static BertMaskedLM load(String source, ComputeDevice device) {
    if (!source.contains("://") && (source.contains("/") || source.contains("\\") || source.startsWith("."))
        && !Files.isDirectory(Path.of(source))) {
      throw new IllegalArgumentException("no preset directory " + source + "; give a directory written by "
          + "saveToPreset (e.g. bertgen-demo/preset), a preset name (bertgen presets), kaggle:// or hf://");
    }
    PresetOptions options = PresetOptions.builder().device(device).build();
    BertMaskedLM mlm;
    if (isTinyBert(source)) {
      try {
        mlm = TinyBertMaskedLM.fromPreset(source, options);
      } catch (PresetException e) {
        if (e.diagnostic() != Diagnostic.ARCHITECTURE_MISMATCH) {
          throw e;
        }
        mlm = BertMaskedLM.fromPreset(source, options); // another architecture: the generic kernels
      }
    } else {
      mlm = BertMaskedLM.fromPreset(source, options);
    }
    mlm.backbone().setDevice(device);
    return mlm;
  }

  /** A new model with keras-hub's initializers: the generated TinyBertMaskedLM for bert_tiny. */
  public static BertMaskedLM fromScratch(String presetName, long seed, ComputeDevice device) {
    BertMaskedLM mlm;
    if (presetName.equals(TinyBertConfig.PRESET_NAME)) {
      mlm = TinyBertMaskedLM.create(seed);
    } else if (BuiltinPresets.names().contains(presetName)) {
      mlm = BertMaskedLM.create(BuiltinPresets.get(presetName), seed);
    } else {
      throw new IllegalArgumentException("--from-scratch needs a built-in preset name (see: bertgen presets), got "
          + presetName);
    }
    mlm.backbone().setDevice(device);
    return mlm;
  }

  /** The preprocessor at {@code sequenceLength} with {@code slots} mask slots (default: 15 % of it, rounded up). */
  public static BertMaskedLMPreprocessor preprocessor(BertMaskedLM mlm, Integer sequenceLength, Integer slots) {
    BertMaskedLMPreprocessor p = mlm.preprocessor();
    if (p == null) {
      throw new IllegalArgumentException("this preset has no vocabulary (no tokenizer assets), so it cannot read "
          + "text; use a preset saved with its tokenizer");
    }
    int max = mlm.backbone().config().maxSequenceLength();
    if (sequenceLength != null) {
      if (sequenceLength < 8 || sequenceLength > max) {
        throw new IllegalArgumentException("--sequence-length must be between 8 and the model's "
            + "max_sequence_length " + max + ", got " + sequenceLength);
      }
      p = p.withSequenceLength(sequenceLength);
    }
    int length = p.config().sequenceLength();
    if (slots != null || sequenceLength != null) {
      int s = slots != null ? slots : (int) Math.ceil(length * p.config().maskSelectionRate());
      if (s < 1 || s > length) {
        throw new IllegalArgumentException("--mask-slots must be between 1 and the sequence length " + length
            + ", got " + s);
      }
      p = p.withMaskSelectionLength(s);
    }
    return p;
  }

  private static boolean isTinyBert(String source) {
    if (BuiltinPresets.names().contains(source)) {
      return source.equals(TinyBertConfig.PRESET_NAME);
    }
    // a directory (whose config decides), or a hub handle naming bert_tiny
    return !source.contains("://") || source.contains(TinyBertConfig.PRESET_NAME);
  }
}
