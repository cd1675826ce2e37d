package dev.bertgen.layers;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The host copy of a model's parameters: one float arena in the order of a {@link VariableLayout},
 * read and written by Keras variable path.
 */
public final class ModelWeights {
  private final VariableLayout layout;
  private final float[] values;

  private ModelWeights(VariableLayout layout, float[] values) {
    this.layout = layout;
    this.values = values;
  }

  /** All variables initialized as keras-hub initializes them, from {@code seed}. */
  public static ModelWeights initialize(VariableLayout layout, long seed) {
    float[] arena = new float[layout.size()];
    for (Variable v : layout.variables()) {
      Initializers.fill(arena, v, seed);
    }
    return new ModelWeights(layout, arena);
  }

  /** All zeros, to be filled by a loader. */
  public static ModelWeights zeros(VariableLayout layout) {
    return new ModelWeights(layout, new float[layout.size()]);
  }

  public VariableLayout layout() {
    return layout;
  }

  /** The arena itself (not a copy): the compute runtime uploads it. */
  public float[] arena() {
    return values;
  }

  /** A copy of one variable's values, row-major in its Keras shape. */
  public float[] get(String path) {
    return read(layout.get(path));
  }

  private float[] read(Variable v) {
    return Arrays.copyOfRange(values, v.offset(), v.offset() + v.size());
  }

  /**
   * Replaces one variable's values.
   *
   * @throws IllegalArgumentException when the number of values differs from the variable's size
   */
  public void set(String path, float[] newValues) {
    Objects.requireNonNull(newValues, "newValues");
    Variable v = layout.get(path);
    if (newValues.length != v.size()) {
      throw new IllegalArgumentException("variable " + path + " has shape " + v.shapeString() + " ("
          + v.size() + " values) but " + newValues.length + " values were given");
    }
    System.arraycopy(newValues, 0, values, v.offset(), v.size());
  }

  /** Copies of every variable, by Keras path, in layout order. */
  public Map<String, float[]> toMap(boolean backboneOnly) {
    Map<String, float[]> out = new LinkedHashMap<>();
    for (Variable v : layout.variables()) {
      if (!backboneOnly || v.backbone()) {
        out.put(v.path(), read(v));
      }
    }
    return out;
  }
}
