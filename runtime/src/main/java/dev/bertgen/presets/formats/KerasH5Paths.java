package dev.bertgen.presets.formats;

import java.util.List;
import java.util.Map;

/**
 * Where keras-hub's Keras 3 {@code .weights.h5} files keep each BERT layer's variables.
 *
 * <p>Keras names the groups of a functional model's layers by snake_case class name plus a
 * {@code _N} suffix counting earlier layers of the same class ({@code layers/transformer_encoder},
 * {@code layers/transformer_encoder_1}, ...), and the groups of a layer's sub-layers by the Python
 * attribute that holds them ({@code _self_attention_layer/query_dense}). Each layer's variables are
 * datasets {@code vars/0}, {@code vars/1}, ... in creation order, which is the order
 * {@link dev.bertgen.layers.VariableLayout} lists a layer's variables in (kernel before bias, gamma
 * before beta). Each {@code vars} group also has an attribute {@code name}, the layer's name, which
 * is the Keras path component; Keras itself loads by group path, and so does this reader.
 *
 * <p>Verified against {@code model.weights.h5} and {@code task.weights.h5} written by keras-hub
 * 0.32 / Keras 3.15 ({@code testdata/reference/keras_bert_mlm/preset}).
 */
public final class KerasH5Paths {
  private KerasH5Paths() {}

  /** Group of each backbone layer outside the encoder layers, in {@code model.weights.h5}. */
  private static final Map<String, String> BACKBONE = Map.of(
      "token_embedding", "layers/reversible_embedding",
      "position_embedding", "layers/position_embedding",
      "segment_embedding", "layers/embedding",
      "embeddings_layer_norm", "layers/layer_normalization",
      "pooled_dense", "layers/dense");

  /**
   * Groups of each layer inside {@code transformer_layer_i}, relative to its group; the attention
   * projections were {@code _query_dense} etc. in files written before January 2024.
   */
  private static final Map<String, List<String>> ENCODER = Map.of(
      "self_attention_layer/query",
      List.of("_self_attention_layer/query_dense", "_self_attention_layer/_query_dense"),
      "self_attention_layer/key",
      List.of("_self_attention_layer/key_dense", "_self_attention_layer/_key_dense"),
      "self_attention_layer/value",
      List.of("_self_attention_layer/value_dense", "_self_attention_layer/_value_dense"),
      "self_attention_layer/attention_output",
      List.of("_self_attention_layer/output_dense", "_self_attention_layer/_output_dense"),
      "self_attention_layer_norm", List.of("_self_attention_layer_norm"),
      "feedforward_intermediate_dense", List.of("_feedforward_intermediate_dense"),
      "feedforward_output_dense", List.of("_feedforward_output_dense"),
      "feedforward_layer_norm", List.of("_feedforward_layer_norm"));

  /** Group of each task-head layer in {@code task.weights.h5}: the MaskedLMHead, a text classifier's {@code logits}. */
  private static final Map<String, String> HEAD = Map.of(
      "mlm_head", "layers/masked_lm_head",
      "mlm_head/intermediate_dense", "layers/masked_lm_head/_intermediate_dense",
      "mlm_head/intermediate_layer_norm", "layers/masked_lm_head/_intermediate_layer_norm",
      "logits", "layers/dense");

  /**
   * The candidate groups, preferred first, of the layer whose variables have Keras path prefix
   * {@code layer} (e.g. {@code transformer_layer_1/self_attention_layer/query}).
   *
   * @throws IllegalArgumentException for a layer that is not part of keras-hub's BertMaskedLM
   */
  public static List<String> groups(String layer) {
    String g = BACKBONE.get(layer);
    if (g == null) {
      g = HEAD.get(layer);
    }
    if (g != null) {
      return List.of(g);
    }
    if (layer.startsWith("transformer_layer_")) {
      int slash = layer.indexOf('/');
      int index = Integer.parseInt(layer.substring("transformer_layer_".length(), slash));
      List<String> inner = ENCODER.get(layer.substring(slash + 1));
      if (inner != null) {
        String encoder = "layers/transformer_encoder" + (index == 0 ? "" : "_" + index) + "/";
        return inner.stream().map(i -> encoder + i).toList();
      }
    }
    throw new IllegalArgumentException("no .weights.h5 group is known for Keras layer " + layer);
  }

  /** The Keras layer path of variable {@code path}: all but its last component. */
  public static String layerOf(String variablePath) {
    return variablePath.substring(0, variablePath.lastIndexOf('/'));
  }
}
