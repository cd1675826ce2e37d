package dev.bertgen.presets;

import java.nio.file.Path;

/**
 * The messages of weight files that cannot be used, shared by the keras-hub and Hugging Face readers
 * so that both name the same things: the file, the tensor as the file names it (an HDF5 dataset path
 * or a safetensors key), the Keras variable it was meant for, the expected shape, what was found and
 * how to fix it.
 */
final class WeightErrors {
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
