package dev.bertgen.hostile;

import dev.bertgen.dsl.Activation;
import dev.bertgen.models.BertMaskedLM;
import dev.bertgen.presets.SafetensorsWriter;
import dev.bertgen.spec.BackboneConfig;
import dev.bertgen.spec.PreprocessorConfig;
import dev.bertgen.spec.PresetSpec;
import dev.bertgen.spec.TaskConfig;
import dev.bertgen.spec.TokenizerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Tiny presets (16 tokens, one encoder layer, hidden size 8) written from scratch, small enough to be
 * damaged and loaded thousands of times: a keras-hub preset saved by {@code saveToPreset} and a
 * Hugging Face checkpoint ({@code config.json} and {@code model.safetensors}) with every tensor of a
 * {@code BertForMaskedLM}.
 */
final class TinyPresets {
  static final int VOCABULARY = 16;
  static final int HIDDEN = 8;
  static final int INTERMEDIATE = 16;
  static final int POSITIONS = 8;

  private TinyPresets() {}

  static BackboneConfig config() {
    return new BackboneConfig(VOCABULARY, 1, 2, HIDDEN, INTERMEDIATE, 0.0, POSITIONS, 2,
        Activation.GELU_APPROXIMATE, 1e-12, Activation.GELU, 1e-5);
  }

  /** A keras-hub preset (config.json, model.weights.h5, task.json, task.weights.h5, ...) in {@code dir}. */
  static Path keras(Path dir) {
    PresetSpec spec = new PresetSpec("tiny", "", null, null, TaskConfig.maskedLm(), config(),
        TokenizerConfig.kerasHub(true, null), PreprocessorConfig.kerasHubDefaults());
    BertMaskedLM.create(spec, 42).saveToPreset(dir);
    return dir;
  }

  /** A Hugging Face checkpoint with a pooler and the MLM head in {@code dir}. */
  static Path huggingFace(Path dir) {
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"bert\", \"vocab_size\": " + VOCABULARY
          + ", \"hidden_size\": " + HIDDEN + ", \"num_hidden_layers\": 1, \"num_attention_heads\": 2, "
          + "\"intermediate_size\": " + INTERMEDIATE + ", \"max_position_embeddings\": " + POSITIONS
          + ", \"type_vocab_size\": 2, \"hidden_act\": \"gelu\", \"dtype\": \"float32\"}");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    huggingFaceWeights().write(dir.resolve("model.safetensors"));
    return dir;
  }

  /** Every tensor of the tiny {@code BertForMaskedLM}, with small random values. */
  static SafetensorsWriter huggingFaceWeights() {
    Random random = new Random(7);
    SafetensorsWriter w = new SafetensorsWriter();
    String e = "bert.embeddings.";
    put(w, random, e + "word_embeddings.weight", VOCABULARY, HIDDEN);
    put(w, random, e + "position_embeddings.weight", POSITIONS, HIDDEN);
    put(w, random, e + "token_type_embeddings.weight", 2, HIDDEN);
    layerNorm(w, random, e + "LayerNorm");
    String l = "bert.encoder.layer.0.";
    for (String m : new String[] {"attention.self.query", "attention.self.key", "attention.self.value",
        "attention.output.dense"}) {
      dense(w, random, l + m, HIDDEN, HIDDEN);
    }
    layerNorm(w, random, l + "attention.output.LayerNorm");
    dense(w, random, l + "intermediate.dense", INTERMEDIATE, HIDDEN);
    dense(w, random, l + "output.dense", HIDDEN, INTERMEDIATE);
    layerNorm(w, random, l + "output.LayerNorm");
    dense(w, random, "bert.pooler.dense", HIDDEN, HIDDEN);
    dense(w, random, "cls.predictions.transform.dense", HIDDEN, HIDDEN);
    layerNorm(w, random, "cls.predictions.transform.LayerNorm");
    put(w, random, "cls.predictions.bias", VOCABULARY);
    return w;
  }

  private static void dense(SafetensorsWriter w, Random random, String module, int out, int in) {
    put(w, random, module + ".weight", out, in);
    put(w, random, module + ".bias", out);
  }

  private static void layerNorm(SafetensorsWriter w, Random random, String module) {
    put(w, random, module + ".weight", HIDDEN);
    put(w, random, module + ".bias", HIDDEN);
  }

  private static void put(SafetensorsWriter w, Random random, String key, int... shape) {
    long[] dims = new long[shape.length];
    int n = 1;
    for (int i = 0; i < shape.length; i++) {
      dims[i] = shape[i];
      n *= shape[i];
    }
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (random.nextGaussian() * 0.02);
    }
    w.put(key, SafetensorsWriter.Tensor.f32(dims, v));
  }
}
