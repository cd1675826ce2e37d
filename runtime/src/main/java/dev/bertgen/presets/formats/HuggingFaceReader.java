package dev.bertgen.presets.formats;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bertgen.dsl.Activation;
import dev.bertgen.dsl.TokenizerFlavor;
import dev.bertgen.layers.ModelWeights;
import dev.bertgen.layers.Variable;
import dev.bertgen.presets.PresetException;
import dev.bertgen.presets.PresetLogging;
import dev.bertgen.presets.RegularFiles;
import dev.bertgen.presets.SavedTask;
import dev.bertgen.spec.BackboneConfig;
import dev.bertgen.spec.PreprocessorConfig;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

/**
 * A Hugging Face BERT checkpoint directory as {@code save_pretrained} writes it: {@code config.json}
 * ({@code model_type} "bert"), {@code model.safetensors} or {@code model.safetensors.index.json}
 * with its shards, and the tokenizer ({@code tokenizer_config.json} with {@code tokenizer.json} or
 * {@code vocab.txt}, read by {@link dev.bertgen.tokenizers.TokenizerFiles}).
 *
 * <p>Hugging Face numerics: the configured activation ({@code gelu} is exact GELU) in the encoder and
 * the MLM head alike, and {@code layer_norm_eps} in both. The MLM head comes from
 * {@code cls.predictions.*}; the decoder is the tied word embedding.
 */
public final class HuggingFaceReader implements PresetReader {
  private static final Logger LOG = Logger.getLogger(PresetLogging.LOGGER_NAME);

  static final String CONFIG = "config.json";

  private final Path dir;
  private final BackboneConfig backbone;
  private final SavedTask savedTask;

  /**
   * Reads the architecture; absent config keys take transformers' {@code BertConfig} defaults, as
   * transformers does.
   *
   * @throws PresetException for a configuration BertGen cannot run (another activation or position
   *     embedding type)
   */
  HuggingFaceReader(Path dir, JsonNode config) {
    this.dir = dir;
    Path file = dir.resolve(CONFIG);
    String act = JsonFiles.optString(config, "hidden_act", "gelu", file);
    Activation activation = switch (act) {
      case "gelu" -> Activation.GELU;
      case "gelu_new", "gelu_pytorch_tanh" -> Activation.GELU_APPROXIMATE;
      default -> throw new PresetException(null, file + ": hidden_act \"" + act + "\" is not supported; "
          + "BertGen runs \"gelu\" (exact) and \"gelu_new\" / \"gelu_pytorch_tanh\" (tanh approximation)");
    };
    requireFloatDtype(config, file);
    String positions = JsonFiles.optString(config, "position_embedding_type", "absolute", file);
    if (!positions.equals("absolute")) {
      throw new PresetException(null, file + ": position_embedding_type \"" + positions + "\" is not "
          + "supported; BertGen (like keras-hub) has only \"absolute\" position embeddings");
    }
    double eps = JsonFiles.optDouble(config, "layer_norm_eps", BackboneConfig.DEFAULT_LAYER_NORM_EPSILON, file);
    double dropout = JsonFiles.optDouble(config, "hidden_dropout_prob", BackboneConfig.DEFAULT_DROPOUT, file);
    double attentionDropout = JsonFiles.optDouble(config, "attention_probs_dropout_prob", dropout, file);
    if (attentionDropout != dropout) {
      LOG.info(() -> file + ": attention_probs_dropout_prob " + attentionDropout + " differs from "
          + "hidden_dropout_prob " + dropout + "; BertGen has one dropout rate and uses " + dropout);
    }
    this.backbone = new BackboneConfig(
        JsonFiles.optInt(config, "vocab_size", 30522, file),
        JsonFiles.optInt(config, "num_hidden_layers", 12, file),
        JsonFiles.optInt(config, "num_attention_heads", 12, file),
        JsonFiles.optInt(config, "hidden_size", 768, file),
        JsonFiles.optInt(config, "intermediate_size", 3072, file),
        dropout,
        JsonFiles.optInt(config, "max_position_embeddings", BackboneConfig.DEFAULT_MAX_SEQUENCE_LENGTH, file),
        JsonFiles.optInt(config, "type_vocab_size", BackboneConfig.DEFAULT_NUM_SEGMENTS, file),
        activation, eps, activation, eps);
    this.savedTask = savedTask(config, file, dropout);
  }

  /** Hugging Face's sequence-classification head: {@code classifier.weight} (classes, hidden) and bias. */
  static final String CLASSIFIER_WEIGHT = "classifier.weight";
  static final String CLASSIFIER_BIAS = "classifier.bias";

  /**
   * The task of {@code architectures}: {@code BertForSequenceClassification} is keras-hub's
   * {@code BertTextClassifier} ({@code num_labels} classes, named by {@code id2label}, dropout
   * {@code classifier_dropout} or else {@code hidden_dropout_prob}, as transformers does); the
   * masked-LM architectures are {@code BertMaskedLM}; anything else saved only a backbone for BertGen.
   */
  private static SavedTask savedTask(JsonNode config, Path file, double hiddenDropout) {
    JsonNode arch = config.path("architectures");
    List<String> names = new java.util.ArrayList<>();
    arch.forEach(n -> names.add(n.asText("")));
    if (names.contains("BertForSequenceClassification")) {
      JsonNode id2label = config.path("id2label");
      int classes = JsonFiles.optInt(config, "num_labels", id2label.isObject() && id2label.size() > 0
          ? id2label.size() : 2, file);
      if (classes < 1) {
        throw new PresetException(null, file + ": num_labels is " + classes + "; a classifier has at least 1 class");
      }
      List<String> classNames = new java.util.ArrayList<>();
      if (id2label.isObject() && id2label.size() == classes) {
        for (int i = 0; i < classes; i++) {
          JsonNode name = id2label.get(Integer.toString(i));
          if (name == null || !name.isTextual()) {
            throw new PresetException(null, file + ": id2label has no name for class " + i + " (it needs one for "
                + "each id 0.." + (classes - 1) + ")");
          }
          classNames.add(name.asText());
        }
      }
      JsonNode cd = config.get("classifier_dropout");
      double dropout = cd == null || cd.isNull() ? hiddenDropout
          : JsonFiles.optDouble(config, "classifier_dropout", hiddenDropout, file);
      return new SavedTask("BertTextClassifier", classes, "linear", dropout, classNames);
    }
    if (names.contains("BertForMaskedLM") || names.contains("BertForPreTraining")) {
      return SavedTask.maskedLm("BertMaskedLM");
    }
    return null;
  }

  @Override
  public SavedTask savedTask() {
    return savedTask;
  }

  @Override
  public Set<String> readClassifierHead(ModelWeights weights, boolean checkFinite) {
    if (savedTask == null || !savedTask.isTextClassifier()) {
      throw new PresetException(null, dir.resolve(CONFIG) + " is not a BertForSequenceClassification (its "
          + "architectures), so it has no classifier head to load; pass numClasses to put a fresh head on its "
          + "backbone, e.g. BertTextClassifier.fromPreset(source, 2)");
    }
    if (!SafetensorsCheckpoint.exists(dir)) {
      throw noSafetensors();
    }
    Variable kernel = weights.layout().get(dev.bertgen.layers.VariableLayout.CLASSIFIER_KERNEL);
    Variable bias = weights.layout().get(dev.bertgen.layers.VariableLayout.CLASSIFIER_BIAS);
    int hidden = kernel.shape()[0];
    int classes = kernel.shape()[1];
    try (SafetensorsCheckpoint ckpt = SafetensorsCheckpoint.open(dir)) {
      float[] w = ckpt.read(CLASSIFIER_WEIGHT, new int[] {classes, hidden}, kernel.path(), checkFinite);
      float[] t = new float[w.length];
      for (int c = 0; c < classes; c++) {
        for (int i = 0; i < hidden; i++) {
          t[i * classes + c] = w[c * hidden + i];
        }
      }
      weights.set(kernel.path(), t);
      weights.set(bias.path(), ckpt.read(CLASSIFIER_BIAS, new int[] {classes}, bias.path(), checkFinite));
    }
    return Set.of(kernel.path(), bias.path());
  }

  /**
   * Accepts {@code torch_dtype} (transformers 4) or {@code dtype} (transformers 5) float32, bfloat16
   * and float16, all of which are read as float32; refuses the others.
   */
  static void requireFloatDtype(JsonNode config, Path file) {
    for (String key : new String[] {"dtype", "torch_dtype"}) {
      JsonNode v = config.get(key);
      if (v == null || v.isNull()) {
        continue;
      }
      String name = v.asText("");
      switch (name) {
        case "float32", "bfloat16", "float16", "auto" -> { }
        default -> throw new PresetException(null, file + ": " + key + " \"" + name + "\" is not supported; "
            + "BertGen reads checkpoints saved as float32, bfloat16 or float16 (all computed in float32). "
            + "Save a float copy with transformers (from_pretrained(..., dtype=torch.float32) then "
            + "save_pretrained) and load that");
      }
    }
  }

  @Override
  public Path directory() {
    return dir;
  }

  @Override
  public BackboneConfig backbone() {
    return backbone;
  }

  @Override
  public TokenizerFlavor tokenizerFlavor() {
    return TokenizerFlavor.HUGGING_FACE;
  }

  /** keras-hub's defaults (Hugging Face has no preprocessor file), at most max_position_embeddings long. */
  @Override
  public PreprocessorConfig preprocessor() {
    PreprocessorConfig d = PreprocessorConfig.kerasHubDefaults();
    return d.withSequenceLength(Math.min(d.sequenceLength(), backbone.maxSequenceLength()));
  }

  @Override
  public Set<String> readWeights(ModelWeights weights, boolean checkFinite) {
    if (!SafetensorsCheckpoint.exists(dir)) {
      throw noSafetensors();
    }
    Set<String> loaded = new HashSet<>();
    try (SafetensorsCheckpoint ckpt = SafetensorsCheckpoint.open(dir)) {
      String prefix = modelPrefix(ckpt);
      boolean hasPooler = ckpt.keys().stream().anyMatch(k -> k.startsWith(prefix + HfNameMapping.POOLER_PREFIX));
      boolean hasHead = ckpt.keys().stream().anyMatch(k -> k.startsWith(HfNameMapping.HEAD_PREFIX));
      if (!hasPooler) {
        LOG.warning(() -> ckpt.path() + " has no pooler (" + prefix + "pooler.dense.*, which "
            + "BertForMaskedLM does not save); pooled_dense is initialized as keras-hub initializes it, "
            + "so pooled_output is untrained");
      }
      if (weights.layout().hasMaskedLmHead() && !hasHead) {
        LOG.info(() -> ckpt.path() + " has no MaskedLM head (cls.predictions.*); it is initialized as "
            + "keras-hub initializes it (fine-tune it before using its predictions)");
      }
      for (Variable v : weights.layout().variables()) {
        boolean pooler = v.path().startsWith("pooled_dense/");
        boolean classifier = weights.layout().numClasses() > 0 && !v.backbone();
        if ((pooler && !hasPooler) || (!v.backbone() && !hasHead) || classifier) {
          continue;
        }
        HfNameMapping.Source source = HfNameMapping.of(v);
        List<String> keys = source.keys(prefix);
        String key = keys.stream().filter(ckpt::contains).findFirst().orElse(keys.get(0));
        weights.set(v.path(), source.toKeras(ckpt.read(key, source.hfShape(), v.path(), checkFinite)));
        loaded.add(v.path());
      }
      if (loaded.contains("mlm_head/output_bias") && ckpt.contains(HfNameMapping.DECODER_WEIGHT)) {
        checkTiedDecoder(ckpt, weights);
      }
      ckpt.requireComplete();
    }
    return loaded;
  }

  /** keras-hub ties the decoder to the word embeddings; warn when the checkpoint's decoder differs. */
  private void checkTiedDecoder(SafetensorsCheckpoint ckpt, ModelWeights weights) {
    Variable embeddings = weights.layout().get("token_embedding/embeddings");
    float[] decoder;
    try {
      decoder = ckpt.read(HfNameMapping.DECODER_WEIGHT, embeddings.shape(), embeddings.path(), false);
    } catch (PresetException e) {
      LOG.warning(() -> ckpt.path() + ": " + HfNameMapping.DECODER_WEIGHT + " is ignored (BertGen ties the "
          + "decoder to the word embeddings) and cannot be compared with them: " + e.getMessage());
      return;
    }
    if (!java.util.Arrays.equals(decoder, weights.get(embeddings.path()))) {
      LOG.warning(() -> ckpt.path() + ": " + HfNameMapping.DECODER_WEIGHT + " differs from the word "
          + "embeddings (the checkpoint's decoder is not tied); BertGen, like keras-hub, ties the MaskedLM "
          + "decoder to the word embeddings and ignores it, so its predictions differ from the checkpoint's");
    }
  }

  /** {@code bert.} in BertFor* checkpoints, {@code ""} in BertModel ones: what precedes the backbone names. */
  private static String modelPrefix(SafetensorsCheckpoint ckpt) {
    for (String k : ckpt.keys()) {
      if (k.startsWith(HfNameMapping.HEAD_PREFIX)) {
        continue;
      }
      for (String marker : new String[] {HfNameMapping.WORD_EMBEDDINGS, "embeddings.", "encoder.layer."}) {
        int at = k.indexOf(marker);
        if (at == 0 || (at > 0 && k.charAt(at - 1) == '.')) {
          return k.substring(0, at);
        }
      }
    }
    return "";
  }

  private PresetException noSafetensors() {
    String[][] others = {
      {"pytorch_model.bin", "PyTorch pickle"},
      {"pytorch_model.bin.index.json", "sharded PyTorch pickle"},
      {"tf_model.h5", "TensorFlow"},
      {"flax_model.msgpack", "Flax"},
    };
    for (String[] o : others) {
      if (RegularFiles.exists(dir.resolve(o[0]))) {
        String d = dir.toAbsolutePath().toString().replace("'", "\\'");
        String howTo = o[0].equals("pytorch_model.bin")
            ? "Convert it once, keeping every tensor, with torch and safetensors:\n  python -c \"import torch; "
                + "from safetensors.torch import save_file; d='" + d + "'; sd = torch.load(d + "
                + "'/pytorch_model.bin', map_location='cpu', weights_only=True); save_file({k: "
                + "v.clone().contiguous() for k, v in sd.items()}, d + '/model.safetensors', "
                + "metadata={'format': 'pt'})\""
            : "Convert it once with transformers (AutoModelForMaskedLM keeps the MLM head; use AutoModel "
                + "for a checkpoint without one):\n  python -c \"from transformers import AutoModelForMaskedLM "
                + "as M; d='" + d + "'; M.from_pretrained(d).save_pretrained(d, safe_serialization=True)\"";
        return new PresetException(null, dir + " has " + o[0] + " (" + o[1] + " weights) but no "
            + SafetensorsCheckpoint.SINGLE + "; BertGen reads safetensors weights only. " + howTo);
      }
    }
    return new PresetException(null, dir + " has config.json but no weights: looked for "
        + SafetensorsCheckpoint.SINGLE + " and " + SafetensorsCheckpoint.INDEX + ". Download the whole "
        + "checkpoint, or load it with PresetOptions.builder().loadWeights(false) to initialize the "
        + "weights instead");
  }

}
