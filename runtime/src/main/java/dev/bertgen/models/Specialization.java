package dev.bertgen.models;

import dev.bertgen.compute.KernelFactory;
import dev.bertgen.presets.PresetException;
import dev.bertgen.presets.loading.PresetLoader;
import dev.bertgen.spec.BackboneConfig;
import dev.bertgen.spec.Diagnostic;
import dev.bertgen.spec.PresetSpec;
import java.util.Objects;

/**
 * What a generated class tells the runtime: the preset it was generated for and its kernel class.
 * Models known only at run time use {@link #generic(PresetSpec)}.
 *
 * @param spec the preset the classes were generated from
 * @param generatedClass name of the generated masked-LM class, for messages; {@code null} if generic
 * @param kernels makes the kernel object (specialized or generic)
 */
public record Specialization(PresetSpec spec, String generatedClass, KernelFactory kernels)
    implements PresetLoader.Expectation {

  public Specialization {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(kernels, "kernels");
  }

  /** No generated class: any architecture, generic kernels. */
  public static Specialization generic(PresetSpec spec) {
    return new Specialization(spec, null, KernelFactory.generic());
  }

  /** True when this is bound to one architecture by a generated class. */
  public boolean isGenerated() {
    return generatedClass != null;
  }

  /**
   * Checks that a preset loaded from {@code source} has the shapes this specialization was
   * generated for.
   *
   * @throws PresetException with {@link Diagnostic#ARCHITECTURE_MISMATCH}, naming both architectures
   */
  @Override
  public void requireSameArchitecture(BackboneConfig loaded, String source) {
    if (!isGenerated() || spec.backbone().sameShapes(loaded)) {
      return;
    }
    throw new PresetException(Diagnostic.ARCHITECTURE_MISMATCH, source + " has a different "
        + "architecture than " + generatedClass + " was generated for.\n  " + source + ": "
        + loaded.describeShapes() + "\n  " + generatedClass + " (" + spec.name() + "): "
        + spec.backbone().describeShapes() + "\nLoad it with BertMaskedLM.fromPreset(\"" + source
        + "\"), which accepts any architecture, or generate classes for it with "
        + "@BertPreset(resource = ...) or @BertSpec.");
  }

  /**
   * Checks that a generated class can apply a sequence length override: its preprocessor's is fixed at
   * build time.
   *
   * @throws PresetException when {@code length} is not the generated preprocessor's
   */
  @Override
  public void requireSequenceLength(int length) {
    if (isGenerated() && length != spec.preprocessor().sequenceLength()) {
      throw new PresetException(null, generatedClass + " has its preprocessor's sequence length "
          + "fixed at build time (" + spec.preprocessor().sequenceLength() + "), so "
          + "PresetOptions sequenceLength " + length + " cannot apply; declare @BertOverrides(sequenceLength = "
          + length + "), or load without the option and use preprocessor().withSequenceLength(" + length + ")");
    }
  }
}
