package dev.bertgen.presets.formats;

import dev.bertgen.presets.PresetException;
import java.nio.file.Path;

/**
 * The messages of weight files that cannot be used, shared by the keras-hub and Hugging Face readers
 * so that both name the same things: the file, the tensor as the file names it (an HDF5 dataset path
 * or a safetensors key), the Keras variable it was meant for, the expected shape, what was found and
 * how to fix it.
 */
public final class WeightErrors {
  private WeightErrors() {}

  /** A tensor the architecture needs is not in the file. */
  static PresetException missing(Path file, String tensor, String kerasPath, int[] expected, String found,
      String fix) {
    return new PresetException(null, file + ": missing tensor " + tensor + " (Keras variable " + kerasPath
        + "): expected shape " + shape(expected) + ", found " + found + ". " + fix);
  }

  /** A tensor has another shape than the architecture needs. */
  static PresetException shapeMismatch(Path file, String tensor, String kerasPath, int[] expected,
      int[] found, String fix) {
    return new PresetException(null, file + ": tensor " + tensor + " (Keras variable " + kerasPath
        + ") has the wrong shape: expected " + shape(expected) + ", found " + shape(found) + ". " + fix);
  }

  /** A tensor's bytes lie beyond the end of a truncated file. */
  static PresetException truncated(Path file, String tensor, String kerasPath, int[] expected, String found,
      Throwable cause) {
    return new PresetException(null, file + " is truncated: tensor " + tensor + " (Keras variable "
        + kerasPath + ", expected shape " + shape(expected) + ") cannot be read: " + found + ". The file "
        + "is incomplete (an interrupted download or copy); download or copy it again.", cause);
  }

  /** A tensor exists but cannot be read for another reason (a type BertGen does not read, damage). */
  static PresetException unreadable(Path file, String tensor, String kerasPath, int[] expected, String why,
      Throwable cause) {
    return new PresetException(null, file + ": tensor " + tensor + " (Keras variable " + kerasPath
        + ", expected shape " + shape(expected) + ") cannot be read: " + why, cause);
  }

  /**
   * Refuses values that are not finite: one NaN or infinity in a weight makes every prediction NaN.
   *
   * @param file the file the tensor was read from
   * @param tensor the tensor as the file names it
   * @param kerasPath the Keras variable it is read for
   * @param shape the tensor's shape in the file, whose row-major order {@code values} has
   * @param values the tensor's values as read (after conversion to float32)
   * @throws PresetException naming the file, the tensor, the first value that is not finite, its
   *     index (in {@code shape} and flat) and the option that skips the check
   */
  static void requireFinite(Path file, String tensor, String kerasPath, int[] shape, float[] values) {
    int i = firstNonFinite(values, 0, values.length);
    if (i >= 0) {
      throw new PresetException(null, file + ": tensor " + tensor + " (Keras variable " + kerasPath
          + ", shape " + shape(shape) + ") holds " + values[i] + " at index " + index(shape, i)
          + " (flat index " + i + "); weights must be finite, and one NaN or infinity makes every "
          + "prediction NaN. The file is damaged or the model diverged in training: use another copy "
          + "or checkpoint, or load it with PresetOptions.builder().checkFinite(false) to skip this check");
    }
  }

  /** The index, from {@code from}, of the first NaN or infinity of {@code values[from, from + length)}, or -1. */
  public static int firstNonFinite(float[] values, int from, int length) {
    for (int i = 0; i < length; i++) {
      if (!Float.isFinite(values[from + i])) {
        return i;
      }
    }
    return -1;
  }

  /** Flat row-major index {@code flat} as the index of each dimension of {@code shape}: {@code [1, 4]}. */
  public static String index(int[] shape, int flat) {
    if (shape.length == 0) {
      return "[]";
    }
    int[] at = new int[shape.length];
    long rest = flat;
    for (int d = shape.length - 1; d >= 0; d--) {
      int n = Math.max(shape[d], 1);
      at[d] = (int) (rest % n);
      rest /= n;
    }
    StringBuilder sb = new StringBuilder("[");
    for (int d = 0; d < at.length; d++) {
      sb.append(d == 0 ? "" : ", ").append(at[d]);
    }
    return sb.append(']').toString();
  }

  /** The number of elements of {@code shape}, or {@link Long#MAX_VALUE} when that overflows a long. */
  static long elements(int[] shape) {
    long n = 1;
    try {
      for (int d : shape) {
        n = Math.multiplyExact(n, d);
      }
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
    return n;
  }

  /** A shape as Keras prints it: {@code (24, 48)}, {@code (24,)}, {@code ()}. */
  static String shape(int[] shape) {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(shape[i]);
    }
    return sb.append(shape.length == 1 ? ",)" : ")").toString();
  }

  /** The same for long dimensions (safetensors headers). */
  static String shape(long[] shape) {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(shape[i]);
    }
    return sb.append(shape.length == 1 ? ",)" : ")").toString();
  }
}
