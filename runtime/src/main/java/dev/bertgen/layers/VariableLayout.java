package dev.bertgen.layers;

import dev.bertgen.compute.Arena;
import dev.bertgen.compute.Tensor;
import dev.bertgen.spec.BackboneConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The variables of a BERT backbone, optionally with keras-hub's masked-LM head, named by Keras
 * variable paths and laid out one after another in a single float arena (so that one optimizer
 * launch can update all of them). Every variable is stored row-major in its Keras shape; the query,
 * key and value kernels of a layer are adjacent (then their biases), so one product computes all three.
 */
public final class VariableLayout {
  private static final String[] QKV = {"query", "key", "value"};

  private final BackboneConfig config;
  private final TaskHead head;
  private final List<Variable> variables;
  private final Map<String, Variable> byPath;
  private final int size;

  private VariableLayout(BackboneConfig config, TaskHead head) {
    this.config = config;
    this.head = java.util.Objects.requireNonNull(head, "head");
    Builder b = new Builder();
    int v = config.vocabularySize();
    int h = config.hiddenDim();
    int n = config.numHeads();
    int dh = config.headDim();
    int in = config.intermediateDim();
    b.add("token_embedding/embeddings", Variable.Init.TRUNCATED_NORMAL, true, v, h);
    b.add("position_embedding/embeddings", Variable.Init.TRUNCATED_NORMAL, true, config.maxSequenceLength(), h);
    b.add("segment_embedding/embeddings", Variable.Init.TRUNCATED_NORMAL, true, config.numSegments(), h);
    b.add("embeddings_layer_norm/gamma", Variable.Init.ONES, true, h);
    b.add("embeddings_layer_norm/beta", Variable.Init.ZEROS, true, h);
    for (int l = 0; l < config.numLayers(); l++) {
      String p = layerPrefix(l);
      // query, key and value kernels (then their biases) are adjacent: one fused [3H][H] product
      for (String proj : QKV) {
        b.add(p + "self_attention_layer/" + proj + "/kernel", Variable.Init.TRUNCATED_NORMAL, true, h, n, dh);
      }
      for (String proj : QKV) {
        b.add(p + "self_attention_layer/" + proj + "/bias", Variable.Init.ZEROS, true, n, dh);
      }
      b.add(p + "self_attention_layer/attention_output/kernel", Variable.Init.TRUNCATED_NORMAL, true, n, dh, h);
      b.add(p + "self_attention_layer/attention_output/bias", Variable.Init.ZEROS, true, h);
      b.add(p + "self_attention_layer_norm/gamma", Variable.Init.ONES, true, h);
      b.add(p + "self_attention_layer_norm/beta", Variable.Init.ZEROS, true, h);
      b.add(p + "feedforward_intermediate_dense/kernel", Variable.Init.TRUNCATED_NORMAL, true, h, in);
      b.add(p + "feedforward_intermediate_dense/bias", Variable.Init.ZEROS, true, in);
      b.add(p + "feedforward_output_dense/kernel", Variable.Init.TRUNCATED_NORMAL, true, in, h);
      b.add(p + "feedforward_output_dense/bias", Variable.Init.ZEROS, true, h);
      b.add(p + "feedforward_layer_norm/gamma", Variable.Init.ONES, true, h);
      b.add(p + "feedforward_layer_norm/beta", Variable.Init.ZEROS, true, h);
    }
    b.add("pooled_dense/kernel", Variable.Init.TRUNCATED_NORMAL, true, h, h);
    b.add("pooled_dense/bias", Variable.Init.ZEROS, true, h);
    if (head.kind() == TaskHead.Kind.MASKED_LM) {
      b.add("mlm_head/intermediate_dense/kernel", Variable.Init.TRUNCATED_NORMAL, false, h, h);
      b.add("mlm_head/intermediate_dense/bias", Variable.Init.ZEROS, false, h);
      b.add("mlm_head/intermediate_layer_norm/gamma", Variable.Init.ONES, false, h);
      b.add("mlm_head/intermediate_layer_norm/beta", Variable.Init.ZEROS, false, h);
      b.add("mlm_head/output_bias", Variable.Init.ZEROS, false, v);
    } else if (head.kind() == TaskHead.Kind.TEXT_CLASSIFIER) {
      // keras-hub's BertTextClassifier: Dense(num_classes, name="logits") over the pooled output
      b.add(CLASSIFIER_KERNEL, Variable.Init.TRUNCATED_NORMAL, false, h, head.numClasses());
      b.add(CLASSIFIER_BIAS, Variable.Init.ZEROS, false, head.numClasses());
    }
    this.variables = Collections.unmodifiableList(b.list);
    Map<String, Variable> map = new LinkedHashMap<>();
    for (Variable var : variables) {
      map.put(var.path(), var);
    }
    this.byPath = Collections.unmodifiableMap(map);
    this.size = b.offset;
  }

  /** Path of a text classifier's kernel (hidden, classes): keras-hub's {@code logits} Dense layer. */
  public static final String CLASSIFIER_KERNEL = "logits/kernel";
  /** Path of a text classifier's bias (classes). */
  public static final String CLASSIFIER_BIAS = "logits/bias";

  /** The variables of a bare backbone. */
  public static VariableLayout backbone(BackboneConfig config) {
    return new VariableLayout(config, TaskHead.none());
  }

  /** The variables of a backbone plus keras-hub's MaskedLMHead (tied to the token embedding). */
  public static VariableLayout maskedLm(BackboneConfig config) {
    return new VariableLayout(config, TaskHead.maskedLm());
  }

  /** The variables of a backbone plus a text classifier's {@code logits} layer of {@code numClasses}. */
  public static VariableLayout textClassifier(BackboneConfig config, int numClasses) {
    return new VariableLayout(config, TaskHead.textClassifier(numClasses));
  }

  /** The variables of a backbone with {@code head} (its {@code fromPreset} flag does not matter here). */
  public static VariableLayout of(BackboneConfig config, TaskHead head) {
    return new VariableLayout(config, head.fromPreset()
        ? TaskHead.textClassifier(head.numClasses()) : head);
  }

  /** Path prefix of encoder layer {@code i}: {@code transformer_layer_i/}. */
  public static String layerPrefix(int i) {
    return "transformer_layer_" + i + "/";
  }

  public BackboneConfig config() {
    return config;
  }

  public boolean hasMaskedLmHead() {
    return head.kind() == TaskHead.Kind.MASKED_LM;
  }

  /** The task head whose variables follow the backbone's. */
  public TaskHead head() {
    return head;
  }

  /** Classes of a text classifier's head; 0 when there is none. */
  public int numClasses() {
    return head.numClasses();
  }

  /** All variables in arena order. */
  public List<Variable> variables() {
    return variables;
  }

  /** Variables by Keras path, in arena order. */
  public Map<String, Variable> byPath() {
    return byPath;
  }

  public Optional<Variable> find(String path) {
    return Optional.ofNullable(byPath.get(path));
  }

  /**
   * The variable at {@code path}.
   *
   * @throws IllegalArgumentException naming the closest paths when there is none
   */
  public Variable get(String path) {
    Variable v = byPath.get(path);
    if (v == null) {
      throw new IllegalArgumentException("no variable \"" + path + "\""
          + dev.bertgen.spec.Suggestions.didYouMean(path, byPath.keySet())
          + " Variables are named by Keras paths such as token_embedding/embeddings or "
          + "transformer_layer_0/self_attention_layer/query/kernel");
    }
    return v;
  }

  /**
   * The variable at {@code path} as a {@code rows × cols} tensor of the parameter arena.
   *
   * @throws IllegalStateException when the variable does not hold {@code rows · cols} values
   */
  public Tensor parameter(String path, int rows, int cols) {
    Variable v = get(path);
    if ((long) rows * cols != v.size()) {
      throw new IllegalStateException(path + " " + v.shapeString() + " is not a " + rows + " × " + cols
          + " matrix");
    }
    return Tensor.of(path, Arena.PARAMETERS, v.offset(), rows, cols);
  }

  /** The whole parameter arena as one row (the gradients' and the optimizer's range). */
  public Tensor parameters() {
    return Tensor.of("parameters", Arena.PARAMETERS, 0, 1, size);
  }

  /** Total number of floats, which is also the parameter count. */
  public int size() {
    return size;
  }

  /** Number of backbone parameters (all variables without the head). */
  public long backboneSize() {
    long n = 0;
    for (Variable v : variables) {
      if (v.backbone()) {
        n += v.size();
      }
    }
    return n;
  }

  private static final class Builder {
    final List<Variable> list = new ArrayList<>();
    int offset;

    void add(String path, Variable.Init init, boolean backbone, int... shape) {
      Variable v = new Variable(path, shape.clone(), init, offset, backbone);
      long next = (long) offset + v.size();
      if (next > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("[BertTensorTooLarge] the parameters of this model do not fit "
            + "in one Java array (" + next + " floats at " + path + "); use a smaller architecture");
      }
      list.add(v);
      offset = (int) next;
    }
  }
}
