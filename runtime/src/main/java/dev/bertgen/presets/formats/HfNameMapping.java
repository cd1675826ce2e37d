package dev.bertgen.presets.formats;

import dev.bertgen.layers.Variable;
import java.util.List;
import java.util.Map;

/**
 * Which Hugging Face BERT tensor holds each Keras variable, and how to turn it around: keras-hub's
 * {@code convert_bert.py} for the backbone, plus {@code cls.predictions.*} for the MaskedLM head.
 *
 * <p>Hugging Face linear weights are (out, in); Keras kernels are (in..., out...). A kernel is read as
 * the (out, in) matrix, transposed, and taken row-major in its Keras shape, which also does the
 * reshapes: query/key/value (H, N·Dh) to (H, N, Dh), the attention output (N·Dh, H) to (N, Dh, H).
 * Biases and LayerNorm parameters are flat vectors in both (a (N, Dh) bias is N·Dh values); the
 * embeddings have the same (rows, H) shape in both.
 *
 * <p>Backbone names are given without the model prefix ({@code bert.} in {@code BertForMaskedLM}
 * checkpoints, none in {@code BertModel} ones); {@code cls.*} names never have it.
 */
public final class HfNameMapping {
  private HfNameMapping() {}

  /** Where the MaskedLM head's tensors start. */
  static final String HEAD_PREFIX = "cls.predictions.";
  /** Where the pooler's tensors start (after the model prefix). */
  static final String POOLER_PREFIX = "pooler.";
  /** The word embeddings, whose name gives away the model prefix. */
  static final String WORD_EMBEDDINGS = "embeddings.word_embeddings.weight";
  /** The untied or tied decoder weight of the MLM head, which keras-hub ties to the word embeddings. */
  static final String DECODER_WEIGHT = "cls.predictions.decoder.weight";

  /**
   * How one Keras variable is stored in a Hugging Face checkpoint.
   *
   * @param names candidate tensor names, first preferred; a backbone name lacks the model prefix
   * @param backbone true when the names take the model prefix
   * @param hfShape the shape the tensor has in the checkpoint
   * @param transposedRows for a kernel: the number of Keras rows (the product of its input
   *     dimensions), the checkpoint holding the (out, in) transpose; 0 when the values are copied as is
   */
  record Source(List<String> names, boolean backbone, int[] hfShape, int transposedRows) {
    /** The candidate names with the model prefix applied where it belongs. */
    List<String> keys(String modelPrefix) {
      return backbone ? names.stream().map(n -> modelPrefix + n).toList() : names;
    }

    /** The checkpoint's values rearranged into the Keras variable's row-major order. */
    float[] toKeras(float[] hf) {
      if (transposedRows == 0) {
        return hf;
      }
      int rows = transposedRows;
      int cols = hf.length / rows;
      float[] out = new float[hf.length];
      for (int c = 0; c < cols; c++) {
        int base = c * rows;
        for (int r = 0; r < rows; r++) {
          out[r * cols + c] = hf[base + r];
        }
      }
      return out;
    }
  }

  /** Hugging Face module of each Keras layer inside encoder layer i ({@code encoder.layer.i.}). */
  private static final Map<String, String> ENCODER_LAYERS = Map.of(
      "self_attention_layer/query", "attention.self.query",
      "self_attention_layer/key", "attention.self.key",
      "self_attention_layer/value", "attention.self.value",
      "self_attention_layer/attention_output", "attention.output.dense",
      "self_attention_layer_norm", "attention.output.LayerNorm",
      "feedforward_intermediate_dense", "intermediate.dense",
      "feedforward_output_dense", "output.dense",
      "feedforward_layer_norm", "output.LayerNorm");

  /** Hugging Face module of each Keras layer outside the encoder layers. */
  private static final Map<String, String> OTHER_LAYERS = Map.of(
      "token_embedding", "embeddings.word_embeddings",
      "position_embedding", "embeddings.position_embeddings",
      "segment_embedding", "embeddings.token_type_embeddings",
      "embeddings_layer_norm", "embeddings.LayerNorm",
      "pooled_dense", "pooler.dense",
      "mlm_head/intermediate_dense", "cls.predictions.transform.dense",
      "mlm_head/intermediate_layer_norm", "cls.predictions.transform.LayerNorm");

  /**
   * The checkpoint tensor of {@code v}.
   *
   * @throws IllegalArgumentException for a variable of no BERT layer this mapping knows
   */
  static Source of(Variable v) {
    String path = v.path();
    if (path.equals("mlm_head/output_bias")) {
      // transformers ties cls.predictions.decoder.bias to cls.predictions.bias; either may be saved
      return new Source(List.of("cls.predictions.bias", "cls.predictions.decoder.bias"), false,
          new int[] {v.size()}, 0);
    }
    int slash = path.lastIndexOf('/');
    String layer = path.substring(0, slash);
    String leaf = path.substring(slash + 1);
    String module;
    if (layer.startsWith("transformer_layer_")) {
      int next = layer.indexOf('/');
      String index = layer.substring("transformer_layer_".length(), next);
      String inner = ENCODER_LAYERS.get(layer.substring(next + 1));
      module = inner == null ? null : "encoder.layer." + index + "." + inner;
    } else {
      module = OTHER_LAYERS.get(layer);
    }
    if (module == null) {
      throw new IllegalArgumentException("no Hugging Face tensor is known for Keras variable " + path);
    }
    boolean backbone = !module.startsWith(HEAD_PREFIX);
    int[] shape = v.shape();
    return switch (leaf) {
      case "embeddings" -> new Source(List.of(module + ".weight"), backbone, shape.clone(), 0);
      case "gamma" -> new Source(List.of(module + ".weight", module + ".gamma"), backbone,
          new int[] {v.size()}, 0);
      case "beta" -> new Source(List.of(module + ".bias", module + ".beta"), backbone,
          new int[] {v.size()}, 0);
      case "bias" -> new Source(List.of(module + ".bias"), backbone, new int[] {v.size()}, 0);
      case "kernel" -> {
        // Keras (in..., out...): the attention output's input is (heads, head_dim), the rest have one
        // input dimension
        int inputDims = layer.endsWith("/attention_output") ? 2 : 1;
        int rows = 1;
        for (int i = 0; i < inputDims; i++) {
          rows *= shape[i];
        }
        int cols = v.size() / rows;
        yield new Source(List.of(module + ".weight"), backbone, new int[] {cols, rows}, rows);
      }
      default -> throw new IllegalArgumentException("no Hugging Face tensor is known for Keras variable "
          + path);
    };
  }
}
