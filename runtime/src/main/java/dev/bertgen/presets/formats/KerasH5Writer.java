package dev.bertgen.presets.formats;

import dev.bertgen.layers.ModelWeights;
import dev.bertgen.layers.Variable;
import dev.bertgen.layers.VariableLayout;
import dev.bertgen.presets.PresetException;
import io.jhdf.HdfFile;
import io.jhdf.WritableGroupImpl;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.Group;
import io.jhdf.api.WritableDataset;
import io.jhdf.api.WritableGroup;
import io.jhdf.object.message.DataLayout;
import io.jhdf.filter.PipelineFilterWithData;
import io.jhdf.object.datatype.DataType;
import io.jhdf.storage.HdfFileChannel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes keras-hub's {@code model.weights.h5} and {@code task.weights.h5} in Keras 3's layout (see
 * {@link KerasH5Paths}) with jhdf's writer: the same groups, datasets, shapes, float32 types and
 * {@code name} attributes as the files keras-hub's {@code save_to_preset} writes, including the
 * groups of layers without variables ({@code layers/add/vars}, {@code .../_softmax/vars}, the input
 * layers, the root {@code vars}), which carry only their {@code name} attribute.
 *
 * <p>What differs from an h5py-written file, below the level Keras reads: the superblock is version 2
 * (h5py writes 0), groups use link messages instead of symbol tables, the {@code name} attributes are
 * fixed-length UTF-8 strings (h5py writes variable-length ones, so h5py returns {@code bytes} rather
 * than {@code str} for them; Keras never reads them), and jhdf appends its version string after the
 * last object.
 *
 * <p>jhdf 0.9.4 writes that version string at the file channel's position, which its dataset writer
 * leaves at the end of the last dataset's data; a group written after the last dataset (a layer
 * without variables, for instance) would be overwritten by it. Every group here is therefore a
 * {@link GroupNode}, which moves the position to its own end after writing itself, so the string lands
 * after everything.
 */
public final class KerasH5Writer {
  private KerasH5Writer() {}

  /** A group of a Keras weights file: the {@code name} attribute of its {@code vars}, datasets, subgroups. */
  static final class Tree {
    private String varsName;
    private final Map<String, Object> vars = new LinkedHashMap<>();
    private final Map<String, Tree> groups = new LinkedHashMap<>();

    /** The subgroup {@code path} ("a/b/c"), created with its parents when absent. */
    Tree at(String path) {
      Tree t = this;
      for (String part : path.split("/")) {
        t = t.groups.computeIfAbsent(part, k -> new Tree());
      }
      return t;
    }

    /** Gives this group a {@code vars} group whose {@code name} attribute is {@code layerName}. */
    Tree layer(String layerName) {
      this.varsName = layerName;
      return this;
    }

    /** Adds dataset {@code vars/<index>} (a float array nested to its shape, or a scalar). */
    Tree variable(Object data) {
      vars.put(String.valueOf(vars.size()), data);
      return this;
    }
  }

  /** The tree of keras-hub's {@code model.weights.h5} for a BertBackbone with {@code weights}. */
  public static Tree backbone(ModelWeights weights) {
    Tree root = new Tree();
    Tree layers = root.at("layers");
    VariableLayout layout = weights.layout();
    layers.at("input_layer").layer("token_ids");
    layers.at("reversible_embedding").layer("token_embedding");
    layers.at("input_layer_1").layer("segment_ids");
    layers.at("position_embedding").layer("position_embedding");
    layers.at("embedding").layer("segment_embedding");
    layers.at("add").layer("embeddings_add");
    layers.at("layer_normalization").layer("embeddings_layer_norm");
    layers.at("dropout").layer("embeddings_dropout");
    layers.at("input_layer_2").layer("padding_mask");
    for (int i = 0; i < layout.config().numLayers(); i++) {
      Tree enc = layers.at("transformer_encoder" + (i == 0 ? "" : "_" + i)).layer("transformer_layer_" + i);
      Tree attention = enc.at("_self_attention_layer").layer("self_attention_layer");
      attention.at("query_dense").layer("query");
      attention.at("key_dense").layer("key");
      attention.at("value_dense").layer("value");
      attention.at("output_dense").layer("attention_output");
      // Keras numbers unnamed layers with global counters (reset only when Keras clears its state):
      // softmax, softmax_1, ... as a freshly started Keras names them
      String suffix = i == 0 ? "" : "_" + i;
      attention.at("_softmax").layer("softmax" + suffix);
      attention.at("_dropout_layer").layer("dropout" + suffix);
      enc.at("_self_attention_layer_norm").layer("self_attention_layer_norm");
      enc.at("_self_attention_dropout").layer("self_attention_dropout");
      enc.at("_feedforward_intermediate_dense").layer("feedforward_intermediate_dense");
      enc.at("_feedforward_output_dense").layer("feedforward_output_dense");
      enc.at("_feedforward_dropout").layer("feedforward_dropout");
      enc.at("_feedforward_layer_norm").layer("feedforward_layer_norm");
    }
    layers.at("dense").layer("pooled_dense");
    root.layer("bert_backbone");
    addVariables(root, weights, true);
    return root;
  }

  /**
   * The tree of keras-hub's {@code task.weights.h5} for a BertMaskedLM: the head, the mask positions
   * input, and the compiled optimizer's two variables (iteration and learning rate) that a
   * keras-hub task saves before it has been trained.
   */
  public static Tree maskedLmTask(ModelWeights weights, int iteration, float learningRate) {
    Tree root = new Tree();
    Tree layers = root.at("layers");
    layers.at("input_layer_3").layer("mask_positions");
    Tree head = layers.at("masked_lm_head").layer("mlm_head");
    head.at("_intermediate_dense").layer("intermediate_dense");
    head.at("_intermediate_layer_norm").layer("intermediate_layer_norm");
    root.at("optimizer").layer("adam").variable(iteration).variable(learningRate);
    root.layer("bert_masked_lm");
    addVariables(root, weights, false);
    return root;
  }

  /**
   * keras-hub's {@code task.weights.h5} of a {@code BertTextClassifier}: the {@code logits} Dense layer
   * ({@code layers/dense}), the variable-less {@code classifier_dropout} ({@code layers/dropout}), and
   * Adam's iteration count and learning rate.
   */
  public static Tree textClassifierTask(ModelWeights weights, int iteration, float learningRate) {
    Tree root = new Tree();
    Tree layers = root.at("layers");
    layers.at("dense").layer("logits");
    layers.at("dropout").layer("classifier_dropout");
    root.at("optimizer").layer("adam").variable(iteration).variable(learningRate);
    root.layer("bert_text_classifier");
    addVariables(root, weights, false);
    return root;
  }

  private static void addVariables(Tree root, ModelWeights weights, boolean backbone) {
    for (Variable v : weights.layout().variables()) {
      if (v.backbone() != backbone) {
        continue;
      }
      String group = KerasH5Paths.groups(KerasH5Paths.layerOf(v.path())).get(0);
      root.at(group).variable(nested(weights.get(v.path()), v.shape()));
    }
  }

  /** {@code flat} as a Java array nested to {@code shape} (jhdf takes a dataset's shape from it). */
  static Object nested(float[] flat, int[] shape) {
    return switch (shape.length) {
      case 1 -> flat;
      case 2 -> {
        float[][] out = new float[shape[0]][shape[1]];
        for (int i = 0; i < shape[0]; i++) {
          System.arraycopy(flat, i * shape[1], out[i], 0, shape[1]);
        }
        yield out;
      }
      case 3 -> {
        float[][][] out = new float[shape[0]][shape[1]][shape[2]];
        int k = 0;
        for (int i = 0; i < shape[0]; i++) {
          for (int j = 0; j < shape[1]; j++) {
            System.arraycopy(flat, k, out[i][j], 0, shape[2]);
            k += shape[2];
          }
        }
        yield out;
      }
      default -> throw new IllegalArgumentException("no BERT variable has rank " + shape.length);
    };
  }

  /**
   * Writes {@code root} to {@code file} (replacing it).
   *
   * @throws PresetException when the file cannot be written
   */
  public static void write(Path file, Tree root) {
    try {
      Files.deleteIfExists(file); // jhdf does not truncate an existing file
    } catch (IOException e) {
      throw new PresetException(null, "cannot replace " + file + ": " + e, e);
    }
    try (WritableHdfFile out = HdfFile.write(file)) {
      out.removeAttribute("_jHDF");
      fill(out, out, root);
    } catch (RuntimeException e) {
      throw new PresetException(null, "cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static void fill(WritableGroup target, Group self, Tree t) {
    if (t.varsName != null) {
      GroupNode vars = new GroupNode(self, "vars");
      vars.putAttribute("name", t.varsName);
      target.putDataset("vars", vars);
      for (Map.Entry<String, Object> d : t.vars.entrySet()) {
        vars.putDataset(d.getKey(), d.getValue());
      }
    }
    for (Map.Entry<String, Tree> g : t.groups.entrySet()) {
      GroupNode child = new GroupNode(self, g.getKey());
      target.putDataset(g.getKey(), child);
      fill(child, child, g.getValue());
    }
  }

  /**
   * A group that leaves the file position at its end after writing itself (see the class comment).
   * jhdf adds a child node given as a {@link WritableDataset} as it is, whatever it writes, which is
   * the only way to give a group other behavior; the dataset methods are never called.
   */
  private static final class GroupNode extends WritableGroupImpl implements WritableDataset {
    GroupNode(Group parent, String name) {
      super(parent, name);
    }

    @Override
    public long write(HdfFileChannel channel, long position) {
      long end = super.write(channel, position);
      channel.position(end);
      return end;
    }

    private static UnsupportedOperationException notADataset() {
      return new UnsupportedOperationException("a group, not a dataset");
    }

    @Override
    public long getSize() {
      throw notADataset();
    }

    @Override
    public long getSizeInBytes() {
      throw notADataset();
    }

    @Override
    public long getStorageInBytes() {
      throw notADataset();
    }

    @Override
    public int[] getDimensions() {
      throw notADataset();
    }

    @Override
    public boolean isScalar() {
      throw notADataset();
    }

    @Override
    public boolean isEmpty() {
      throw notADataset();
    }

    @Override
    public boolean isCompound() {
      throw notADataset();
    }

    @Override
    public boolean isVariableLength() {
      throw notADataset();
    }

    @Override
    public long[] getMaxSize() {
      throw notADataset();
    }

    @Override
    public DataLayout getDataLayout() {
      throw notADataset();
    }

    @Override
    public Object getData() {
      throw notADataset();
    }

    @Override
    public Object getDataFlat() {
      throw notADataset();
    }

    @Override
    public Object getData(long[] sliceOffset, int[] sliceDimensions) {
      throw notADataset();
    }

    @Override
    public Class<?> getJavaType() {
      throw notADataset();
    }

    @Override
    public DataType getDataType() {
      throw notADataset();
    }

    @Override
    public Object getFillValue() {
      throw notADataset();
    }

    @Override
    public List<PipelineFilterWithData> getFilters() {
      throw notADataset();
    }
  }
}
