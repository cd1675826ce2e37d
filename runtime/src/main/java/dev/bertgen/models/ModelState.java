package dev.bertgen.models;

import dev.bertgen.compute.ComputeDevice;
import dev.bertgen.layers.ModelWeights;
import dev.bertgen.layers.TaskHead;
import dev.bertgen.presets.SavedTask;
import dev.bertgen.layers.VariableLayout;
import dev.bertgen.presets.loading.LoadedPreset;
import dev.bertgen.presets.PresetException;
import dev.bertgen.presets.loading.PresetLoader;
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
 * @param savedTask the task the preset was saved as, or {@code null} (created, or a backbone-only preset)
 */
public record ModelState(
    Specialization specialization,
    BackboneConfig config,
    ModelWeights weights,
    BertTokenizer tokenizer,
    String source,
    ComputeDevice device,
    SavedTask savedTask) {

  public ModelState {
    Objects.requireNonNull(specialization, "specialization");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(weights, "weights");
    Objects.requireNonNull(source, "source");
  }

  /** A state for the default device. */
  public ModelState(Specialization specialization, BackboneConfig config, ModelWeights weights,
      BertTokenizer tokenizer, String source) {
    this(specialization, config, weights, tokenizer, source, null, null);
  }

  /** A state with no saved task. */
  public ModelState(Specialization specialization, BackboneConfig config, ModelWeights weights,
      BertTokenizer tokenizer, String source, ComputeDevice device) {
    this(specialization, config, weights, tokenizer, source, device, null);
  }

  /** This state with another device ({@code null}: the default). */
  public ModelState withDevice(ComputeDevice value) {
    return new ModelState(specialization, config, weights, tokenizer, source, value, savedTask);
  }

  /**
   * Fresh weights, initialized as keras-hub initializes them, for the specialization's preset; the
   * bundled tokenizer when the preset has one.
   *
   * @param withMaskedLmHead also create keras-hub's MaskedLMHead variables
   */
  public static ModelState initialize(Specialization s, long seed, boolean withMaskedLmHead) {
    return initialize(s, seed, withMaskedLmHead ? TaskHead.maskedLm() : TaskHead.none());
  }

  /** Fresh weights for the specialization's preset with {@code head}, initialized as keras-hub does. */
  public static ModelState initialize(Specialization s, long seed, TaskHead head) {
    BackboneConfig config = s.spec().backbone();
    VariableLayout layout = VariableLayout.of(config, head);
    BertTokenizer tokenizer = s.spec().tokenizer().bundledVocabulary() == null
        ? null : BertTokenizer.bundled(s.spec().tokenizer());
    return new ModelState(s, config, ModelWeights.initialize(layout, seed), tokenizer, "created");
  }

  /**
   * Loads {@code source} ({@link PresetLoader#load}) and makes the model's state of it: the
   * preset's weights (or keras-hub's initializers), its tokenizer as a {@link BertTokenizer}, and
   * {@code specialization}, or a generic one for the preset's architecture.
   *
   * @param source a preset directory (keras-hub or Hugging Face), a built-in preset name,
   *     {@code kaggle://owner/model/framework/variation[/version]} or {@code hf://org/name}; remote
   *     presets are taken from kagglehub's and huggingface_hub's caches, or downloaded into them
   * @param options whether to read the weights or initialize them from a seed, the device, the
   *     sequence length, and the hub settings
   * @param specialization the generated class asking, whose architecture the source must have; or
   *     {@code null} for any architecture
   * @param withMaskedLmHead also load (or initialize) keras-hub's MaskedLMHead
   * @throws PresetException when the source is malformed, unknown or cannot be had (naming every place
   *     looked), is not a preset BertGen reads, has another architecture than {@code specialization}
   *     (checked before any weight is downloaded), or has missing, misshapen or truncated weights
   */
  public static ModelState load(String source, PresetOptions options, Specialization specialization,
      boolean withMaskedLmHead) {
    return load(source, options, specialization, withMaskedLmHead ? TaskHead.maskedLm() : TaskHead.none());
  }

  /**
   * {@link #load(String, PresetOptions, Specialization, boolean)} with any task head: a text
   * classifier's is read from the preset when {@link TaskHead#fromPreset()} (and must have its number
   * of classes), else initialized from {@link PresetOptions#seed()}.
   */
  public static ModelState load(String source, PresetOptions options, Specialization specialization,
      TaskHead head) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(options, "options");
    LoadedPreset<BertTokenizer> p = PresetLoader.load(source, new PresetLoader.Request(options.hub(),
        options.loadWeights(), options.seed(), options.checkFinite(), options.sequenceLength(), head,
        specialization), BertTokenizer::fromFiles);
    Specialization s = specialization != null ? specialization : Specialization.generic(p.spec());
    return new ModelState(s, p.config(), p.weights(), p.tokenizer(), p.source(), options.device(), p.savedTask());
  }
}
