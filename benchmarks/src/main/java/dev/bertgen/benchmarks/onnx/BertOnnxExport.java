package dev.bertgen.benchmarks.onnx;

import dev.bertgen.layers.VariableLayout;
import dev.bertgen.spec.BackboneConfig;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a BERT backbone as an ONNX model (opset 17) with a BertGen backbone's weights, for ONNX Runtime to
 * time against BertGen at shapes no published ONNX file has here (bert_base). The graph is the one
 * PyTorch exports for Hugging Face's {@code BertModel}, op for op: Gather embeddings, LayerNormalization,
 * MatMul + Add, Reshape/Transpose per head, scaled scores plus the additive padding mask, Softmax, and GELU
 * written out in the exporters' form ({@link #gelu}), which ONNX Runtime's graph optimizer recognizes and fuses
 * (Gelu or FastGelu, BiasGelu, SkipLayerNormalization). Inputs {@code input_ids}, {@code attention_mask},
 * {@code token_type_ids} (int64, batch × {@code seq}); output {@code last_hidden_state}.
 *
 * <p>ONNX files are protocol buffers; this class writes the few messages it needs itself (no protobuf
 * dependency).
 */
public final class BertOnnxExport {
  private final BackboneConfig config;
  private final Map<String, float[]> weights;
  private final int seq;
  private final List<byte[]> nodes = new ArrayList<>();
  private final List<byte[]> initializers = new ArrayList<>();
  private int names;

  private BertOnnxExport(BackboneConfig config, Map<String, float[]> weights, int seq) {
    this.config = config;
    this.weights = weights;
    this.seq = seq;
  }

  /**
   * The model's bytes.
   *
   * @param weights by Keras path ({@code BertBackbone.getWeights()})
   * @param seq the sequence length the position ids cover (inputs must have exactly this many columns)
   */
  public static byte[] export(BackboneConfig config, Map<String, float[]> weights, int seq) {
    if (config.hiddenActivation() != dev.bertgen.dsl.Activation.GELU
        && config.hiddenActivation() != dev.bertgen.dsl.Activation.GELU_APPROXIMATE) {
      throw new IllegalArgumentException("the export writes GELU (exact or tanh); this backbone uses "
          + config.hiddenActivation());
    }
    return new BertOnnxExport(config, weights, seq).model();
  }

  private byte[] model() {
    int h = config.hiddenDim();
    int heads = config.numHeads();
    int dh = config.headDim();
    long[] positions = new long[seq];
    for (int i = 0; i < seq; i++) {
      positions[i] = i;
    }
    String posIds = longs("position_ids", positions, seq);
    String tok = weight("token_embedding/embeddings", config.vocabularySize(), h);
    String pos = weight("position_embedding/embeddings", config.maxSequenceLength(), h);
    String segTable = weight("segment_embedding/embeddings", config.numSegments(), h);
    String emb = op("Add", op("Add", op("Gather", tok, "input_ids"), op("Gather", pos, posIds)),
        op("Gather", segTable, "token_type_ids"));
    String x = layerNorm(emb, "embeddings_layer_norm", config.layerNormEpsilon());
    // additive mask (B, 1, 1, S): 0 where attended, -10000 at padding
    String maskF = node("Cast", new String[] {"attention_mask"}, attrInt("to", 1));
    String inverted = op("Sub", scalar(1f), maskF);
    String additive = op("Mul", inverted, scalar(-10000f));
    String mask4 = op("Unsqueeze", additive, longs(fresh("axes"), new long[] {1, 2}, 2));
    String headShape = longs(fresh("shape"), new long[] {0, 0, heads, dh}, 4);
    String mergedShape = longs(fresh("shape"), new long[] {0, 0, h}, 3);
    float scale = (float) (1 / Math.sqrt(dh));
    for (int l = 0; l < config.numLayers(); l++) {
      String p = VariableLayout.layerPrefix(l) + "self_attention_layer/";
      String q = heads(dense(x, p + "query", h, h), headShape, new long[] {0, 2, 1, 3});
      String k = heads(dense(x, p + "key", h, h), headShape, new long[] {0, 2, 3, 1});
      String v = heads(dense(x, p + "value", h, h), headShape, new long[] {0, 2, 1, 3});
      String scores = op("Add", op("Mul", op("MatMul", q, k), scalar(scale)), mask4);
      String probs = node("Softmax", new String[] {scores}, attrInt("axis", -1));
      String context = op("Reshape", node("Transpose", new String[] {op("MatMul", probs, v)},
          attrInts("perm", new long[] {0, 2, 1, 3})), mergedShape);
      String attention = dense(context, p + "attention_output", h, h);
      x = layerNorm(op("Add", attention, x), VariableLayout.layerPrefix(l) + "self_attention_layer_norm",
          config.layerNormEpsilon());
      String up = dense(x, VariableLayout.layerPrefix(l) + "feedforward_intermediate_dense", h,
          config.intermediateDim());
      String gelu = gelu(up);
      String down = dense(gelu, VariableLayout.layerPrefix(l) + "feedforward_output_dense",
          config.intermediateDim(), h);
      x = layerNorm(op("Add", down, x), VariableLayout.layerPrefix(l) + "feedforward_layer_norm",
          config.layerNormEpsilon());
    }
    nodes.add(nodeBytes("Identity", new String[] {x}, new String[] {"last_hidden_state"}));

    Proto graph = new Proto();
    nodes.forEach(n -> graph.message(1, n));
    graph.string(2, "bert");
    initializers.forEach(t -> graph.message(5, t));
    for (String in : new String[] {"input_ids", "attention_mask", "token_type_ids"}) {
      graph.message(11, valueInfo(in, 7, new Object[] {"batch", (long) seq}));
    }
    graph.message(12, valueInfo("last_hidden_state", 1, new Object[] {"batch", (long) seq, (long) h}));
    Proto model = new Proto();
    model.varint(1, 8); // IR version 8
    model.string(2, "bertgen-benchmarks");
    model.message(7, graph.bytes());
    model.message(8, new Proto().string(1, "").varint(2, 17).bytes());
    return model.bytes();
  }

  private String dense(String x, String path, int in, int out) {
    return op("Add", op("MatMul", x, weight(path + "/kernel", in, out)), weight(path + "/bias", out));
  }

  /**
   * GELU as the exporters write it (ONNX Runtime fuses both patterns): exact, {@code x·0.5·(1 + erf(x/√2))}, or
   * the tanh form, {@code 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))}.
   */
  private String gelu(String x) {
    if (config.hiddenActivation() == dev.bertgen.dsl.Activation.GELU) {
      return op("Mul", op("Mul", x, op("Add", op("Erf", op("Div", x, scalar((float) Math.sqrt(2)))), scalar(1f))),
          scalar(0.5f));
    }
    String cube = op("Mul", op("Mul", x, x), x);
    String inner = op("Mul", op("Add", x, op("Mul", cube, scalar(0.044715f))),
        scalar((float) Math.sqrt(2 / Math.PI)));
    return op("Mul", op("Mul", x, scalar(0.5f)), op("Add", op("Tanh", inner), scalar(1f)));
  }

  private String heads(String x, String shape, long[] perm) {
    return node("Transpose", new String[] {op("Reshape", x, shape)}, attrInts("perm", perm));
  }

  private String layerNorm(String x, String path, double epsilon) {
    return node("LayerNormalization", new String[] {x, weight(path + "/gamma", config.hiddenDim()),
        weight(path + "/beta", config.hiddenDim())}, attrFloat("epsilon", (float) epsilon), attrInt("axis", -1));
  }

  private String fresh(String prefix) {
    return prefix + "_" + names++;
  }

  private String op(String type, String... inputs) {
    return node(type, inputs);
  }

  private String node(String type, String[] inputs, byte[]... attributes) {
    String out = fresh(type.toLowerCase(java.util.Locale.ROOT));
    byte[] n = nodeBytes(type, inputs, new String[] {out}, attributes);
    nodes.add(n);
    return out;
  }

  private byte[] nodeBytes(String type, String[] inputs, String[] outputs, byte[]... attributes) {
    Proto n = new Proto();
    for (String i : inputs) {
      n.string(1, i);
    }
    for (String o : outputs) {
      n.string(2, o);
    }
    n.string(3, outputs[0] + "_node");
    n.string(4, type);
    for (byte[] a : attributes) {
      n.message(5, a);
    }
    return n.bytes();
  }

  private static byte[] attrInt(String name, long value) {
    return new Proto().string(1, name).varint(3, value).varint(20, 2).bytes();
  }

  private static byte[] attrFloat(String name, float value) {
    return new Proto().string(1, name).fixed32(2, Float.floatToRawIntBits(value)).varint(20, 1).bytes();
  }

  private static byte[] attrInts(String name, long[] values) {
    Proto a = new Proto().string(1, name);
    for (long v : values) {
      a.varint(8, v);
    }
    return a.varint(20, 7).bytes();
  }

  private String weight(String path, int... dims) {
    float[] w = weights.get(path);
    if (w == null) {
      throw new IllegalArgumentException("no weight " + path);
    }
    long size = 1;
    for (int d : dims) {
      size *= d;
    }
    if (size != w.length) {
      throw new IllegalArgumentException(path + " has " + w.length + " values, not " + size);
    }
    ByteBuffer raw = ByteBuffer.allocate(w.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    raw.asFloatBuffer().put(w);
    String name = path.replace('/', '.');
    initializers.add(tensor(name, 1, dims, raw.array()));
    return name;
  }

  private String scalar(float value) {
    String name = fresh("c");
    initializers.add(tensor(name, 1, new int[0],
        ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(value).array()));
    return name;
  }

  private String longs(String name, long[] values, int length) {
    ByteBuffer raw = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : values) {
      raw.putLong(v);
    }
    initializers.add(tensor(name, 7, new int[] {length}, raw.array()));
    return name;
  }

  private static byte[] tensor(String name, int type, int[] dims, byte[] raw) {
    Proto t = new Proto();
    for (int d : dims) {
      t.varint(1, d);
    }
    t.varint(2, type);
    t.string(8, name);
    t.bytes(9, raw);
    return t.bytes();
  }

  /** A value's name, element type and shape (a String dimension is symbolic, a Long fixed). */
  private static byte[] valueInfo(String name, int elementType, Object[] dims) {
    Proto shape = new Proto();
    for (Object d : dims) {
      shape.message(1, d instanceof Long v ? new Proto().varint(1, v).bytes() : new Proto().string(2, (String) d).bytes());
    }
    byte[] tensorType = new Proto().varint(1, elementType).message(2, shape.bytes()).bytes();
    return new Proto().string(1, name).message(2, new Proto().message(1, tensorType).bytes()).bytes();
  }

  /** A protocol-buffer message being written: fields in the order given. */
  private static final class Proto {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Proto varint(int field, long value) {
      key(field, 0);
      raw(value);
      return this;
    }

    Proto fixed32(int field, int value) {
      key(field, 5);
      for (int i = 0; i < 4; i++) {
        out.write((value >>> (8 * i)) & 0xff);
      }
      return this;
    }

    Proto string(int field, String value) {
      return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    Proto message(int field, byte[] value) {
      return bytes(field, value);
    }

    Proto bytes(int field, byte[] value) {
      key(field, 2);
      raw(value.length);
      out.writeBytes(value);
      return this;
    }

    private void key(int field, int wireType) {
      raw(((long) field << 3) | wireType);
    }

    private void raw(long value) {
      while ((value & ~0x7FL) != 0) {
        out.write((int) ((value & 0x7F) | 0x80));
        value >>>= 7;
      }
      out.write((int) value);
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }
}
