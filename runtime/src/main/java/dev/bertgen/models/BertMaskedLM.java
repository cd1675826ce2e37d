package dev.bertgen.models;

import dev.bertgen.layers.ModelWeights;
import dev.bertgen.presets.PresetLoader;
import dev.bertgen.presets.PresetWriter;
import dev.bertgen.spec.PresetSpec;
import java.util.Map;
import java.util.Objects;

/**
 * keras-hub's {@code BertMaskedLM}: a {@link BertBackbone}, keras-hub's {@code MaskedLMHead} tied
 * to the token embedding, and a {@link BertMaskedLMPreprocessor}.
 *
 * <p>Use {@link #fromPreset(String)} for any BERT preset, or the classes generated for a
 * {@code @BertPreset} ({@code XMaskedLM.create()}, {@code XMaskedLM.fromPreset()}) to have the
 * architecture fixed at build time.
 */
public class BertMaskedLM extends MaskedLM {
  private final BertBackbone backbone;
  private final ModelWeights weights;
  private final BertMaskedLMPreprocessor preprocessor;
  private final ModelState state;

  /**
   * @param backbone the backbone, built on {@code state}
   * @param state the model's weights (backbone and head) and tokenizer
   * @param preprocessor the preprocessor, or {@code null} when the preset has no vocabulary
   */
  protected BertMaskedLM(BertBackbone backbone, ModelState state, BertMaskedLMPreprocessor preprocessor) {
    this.backbone = Objects.requireNonNull(backbone, "backbone");
    this.state = Objects.requireNonNull(state, "state");
    this.weights = state.weights();
    if (!weights.layout().hasMaskedLmHead()) {
      throw new IllegalArgumentException("a BertMaskedLM needs the MaskedLMHead variables; create its "
          + "ModelState with withMaskedLmHead = true");
    }
    this.preprocessor = preprocessor;
    if (state.device() != null) {
      backbone.setDevice(state.device());
    }
  }

  /** A masked LM for any preset, initialized as keras-hub initializes it. */
  public static BertMaskedLM create(PresetSpec spec, long seed) {
    return of(ModelState.initialize(Specialization.generic(spec), seed, true));
  }

  /**
   * Loads a preset: a built-in preset name ({@link #presets()}), a
   * {@code kaggle://owner/model/framework/variation[/version]} handle, an {@code hf://org/name}
   * repository (both from Python's kagglehub and huggingface_hub caches, or downloaded into them), or
   * a directory holding a keras-hub preset or a Hugging Face BERT checkpoint. A preset saved as another
   * task (keras-hub's {@code BertTextClassifier}) loads its backbone with a fresh MaskedLM head, as
   * keras-hub does.
   *
   * @throws dev.bertgen.presets.PresetException naming the source and the fix when it cannot be
   *     found, downloaded or read
   */
  public static BertMaskedLM fromPreset(String source) {
    return fromPreset(source, PresetOptions.defaults());
  }

  /** Loads a preset with options (weights or keras-hub's initializers, device, sequence length, hub). */
  public static BertMaskedLM fromPreset(String source, PresetOptions options) {
    return of(PresetLoader.load(source, options, null, true));
  }

  /**
   * Saves this model as a keras-hub preset in {@code dir} (config.json, model.weights.h5, task.json,
   * task.weights.h5, preprocessor.json, tokenizer.json, assets/tokenizer/vocabulary.txt,
   * metadata.json), which both {@link #fromPreset(String)} and Python's
   * {@code keras_hub.models.BertMaskedLM.from_preset} load. The save is atomic: a process killed while
   * saving leaves the previous preset in {@code dir}, or the new one.
   *
   * @throws dev.bertgen.presets.PresetException when {@code dir} is a file or a non-empty directory
   *     that is not a preset, or cannot be written
   */
  public void saveToPreset(java.nio.file.Path dir) {
    ModelWeights copy = ModelWeights.zeros(weights.layout());
    getWeights().forEach(copy::set);
    PresetWriter.save(dir, new PresetWriter.Content(backbone.config(), copy, state.tokenizer(),
        preprocessor == null ? null : preprocessor.config()));
  }

  private static BertMaskedLM of(ModelState state) {
    BertBackbone backbone = new BertBackbone(state, state.specialization().kernels());
    BertMaskedLMPreprocessor pre = state.tokenizer() == null ? null
        : new BertMaskedLMPreprocessor(state.tokenizer(), state.specialization().spec().preprocessor());
    return new BertMaskedLM(backbone, state, pre);
  }

  public BertBackbone backbone() {
    return backbone;
  }

  /** The preprocessor, or {@code null} when the model has no vocabulary. */
  public BertMaskedLMPreprocessor preprocessor() {
    return preprocessor;
  }

  /**
   * Logits of the masked tokens: keras-hub's {@code predict} on preprocessed inputs.
   *
   * @return (batch, maskSlots, vocabulary) logits
   */
  public float[][][] predict(MaskedLMInputs x) {
    return backbone.runner().maskedLmLogits(x);
  }

  /** Backbone plus head parameters. */
  @Override
  public long parameterCount() {
    return weights.layout().size();
  }

  /** Copies of every variable (backbone and head) by Keras path, in Keras shapes. */
  public Map<String, float[]> getWeights() {
    return weights.toMap(false);
  }

  /** The state this model was built from. */
  protected ModelState state() {
    return state;
  }
}
