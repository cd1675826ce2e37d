package dev.bertgen.models;

import dev.bertgen.compute.ComputeDevice;
import dev.bertgen.layers.ModelWeights;
import dev.bertgen.layers.VariableLayout;
import dev.bertgen.spec.BackboneConfig;
import java.util.Objects;

/**
 * What a model is made of once created or loaded: its effective architecture (with the numeric
 * flavor of its source), its weights, its tokenizer if it has one, and the specialization of the
 * class that asked for it. Generated classes pass it to their runtime superclasses.
 *
 * @param specialization the generated class's preset and kernels, or a generic one
 * @param config the architecture as loaded (same shapes as a generated class's)
 * @param weights the parameters
 * @param tokenizer the tokenizer, or {@code null} when the preset has no vocabulary at hand
 * @param source where it came from, for messages ({@code "created"} for fresh weights)
 * @param device the device the model is to run on ({@link PresetOptions#device()}), or {@code null}
 *     for the default; a {@link BertMaskedLM} built on this state sets it on its backbone
 */
public record ModelState(
    Specialization specialization,
    BackboneConfig config,
    ModelWeights weights,
    BertTokenizer tokenizer,
    String source,
    ComputeDevice device) {

  public ModelState {
    Objects.requireNonNull(specialization, "specialization");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(weights, "weights");
    Objects.requireNonNull(source, "source");
  }

  /** A state for the default device. */
  public ModelState(Specialization specialization, BackboneConfig config, ModelWeights weights,
      BertTokenizer tokenizer, String source) {
    this(specialization, config, weights, tokenizer, source, null);
  }

  /** This state with another device ({@code null}: the default). */
  public ModelState withDevice(ComputeDevice value) {
    return new ModelState(specialization, config, weights, tokenizer, source, value);
  }

  /**
   * Fresh weights, initialized as keras-hub initializes them, for the specialization's preset; the
   * bundled tokenizer when the preset has one.
   *
   * @param withMaskedLmHead also create keras-hub's MaskedLMHead variables
   */
  public static ModelState initialize(Specialization s, long seed, boolean withMaskedLmHead) {
    BackboneConfig config = s.spec().backbone();
    VariableLayout layout = withMaskedLmHead ? VariableLayout.maskedLm(config) : VariableLayout.backbone(config);
    BertTokenizer tokenizer = s.spec().tokenizer().bundledVocabulary() == null
        ? null : BertTokenizer.bundled(s.spec().tokenizer());
    return new ModelState(s, config, ModelWeights.initialize(layout, seed), tokenizer, "created");
  }
}
