package dev.bertgen.presets.formats;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bertgen.presets.PresetException;
import dev.bertgen.presets.RegularFiles;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.api.dataset.ContiguousDataset;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A Keras 3 {@code .weights.h5} file read with jhdf, or the shards of one: a
 * {@code model.weights.json} whose {@code weight_map} maps each {@code /group/vars} to a
 * {@code model_NNNNN.weights.h5} file holding it.
 *
 * <p>Every failure names the file, the dataset, the Keras variable and the expected shape: a missing
 * dataset (with what the file has instead), a shape that differs, a type that is not a float type,
 * and a truncated file (the HDF5 superblock records the file's length, so truncation is recognized
 * even when it breaks the file's group structure rather than the dataset itself).
 *
 * <p>Hostile files are refused with one line rather than followed: paths are resolved by
 * {@link Hdf5Paths}, which refuses external links and soft links that loop; every file is checked to be
 * a regular file before it is opened ({@link RegularFiles}); a file of up to 2 GiB is memory-mapped and
 * read by jhdf from the mapping, so a damaged length in its structure fails on the mapping's bounds
 * instead of allocating what it claims; and unless the check is turned off, every tensor read is
 * checked for NaN and infinite values ({@link WeightErrors#requireFinite}).
 */
public final class Hdf5Weights implements AutoCloseable {
  /** One open file with what is needed to recognize its truncation. */
  private record Shard(Path path, HdfFile file, long size, long declaredSize) {
    boolean truncated() {
      return declaredSize > size;
    }
  }

  /** The largest file read from a memory mapping; larger ones are read through jhdf's file channel. */
  private static final long MAX_MAPPED = Integer.MAX_VALUE;

  private final Path described;
  private final List<Shard> shards;
  /** {@code /group/vars} to shard file name, for sharded weights; empty otherwise. */
  private final Map<String, String> weightMap;
  private final boolean checkFinite;

  private Hdf5Weights(Path described, List<Shard> shards, Map<String, String> weightMap, boolean checkFinite) {
    this.described = described;
    this.shards = shards;
    this.weightMap = weightMap;
    this.checkFinite = checkFinite;
  }

  /**
   * Opens one {@code .weights.h5} file.
   *
   * @param checkFinite refuse tensors with NaN or infinite values
   * @throws PresetException when it is not a regular file or cannot be opened as HDF5
   */
  static Hdf5Weights open(Path file, boolean checkFinite) {
    return new Hdf5Weights(file, List.of(openShard(file)), Map.of(), checkFinite);
  }

  /**
   * Opens sharded weights from their {@code .weights.json} index.
   *
   * @param checkFinite refuse tensors with NaN or infinite values
   * @throws PresetException when the index is damaged or a shard it names is missing
   */
  static Hdf5Weights openSharded(Path index, boolean checkFinite) {
    JsonNode map = JsonFiles.object(JsonFiles.read(index), "weight_map", index);
    if (map == null) {
      throw new PresetException(null, index + " has no \"weight_map\" object (HDF5 group to shard file); "
          + "the index is damaged: copy or download the preset again");
    }
    Map<String, String> weightMap = new LinkedHashMap<>();
    Map<String, Shard> byName = new LinkedHashMap<>();
    try {
      for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String name = e.getValue().asText("");
        if (name.isEmpty() || name.contains("/") || name.contains("\\")) {
          throw new PresetException(null, index + ": " + e.getKey() + " maps to \"" + e.getValue()
              + "\", which is not a file name");
        }
        weightMap.put(e.getKey(), name);
        if (!byName.containsKey(name)) {
          Path shard = index.resolveSibling(name);
          if (!RegularFiles.exists(shard)) {
            throw new PresetException(null, index + " lists shard " + name + " (for " + e.getKey()
                + ") but " + shard + " does not exist; copy or download every shard of the preset");
          }
          byName.put(name, openShard(shard));
        }
      }
    } catch (RuntimeException e) {
      byName.values().forEach(s -> s.file().close());
      throw e;
    }
    if (byName.isEmpty()) {
      throw new PresetException(null, index + " lists no shards in its weight_map");
    }
    return new Hdf5Weights(index, List.copyOf(byName.values()), weightMap, checkFinite);
  }

  private static Shard openShard(Path file) {
    RegularFiles.require(file);
    long size;
    HdfFile hdf;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      size = channel.size();
      if (size <= MAX_MAPPED) {
        MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
        hdf = HdfFile.fromByteBuffer(mapped);
      } else {
        hdf = new HdfFile(file);
      }
    } catch (IOException e) {
      throw new PresetException(null, "cannot read " + file + ": " + e, e);
    } catch (RuntimeException | StackOverflowError e) {
      throw new PresetException(null, file + " is not a readable HDF5 file (" + firstLine(e) + "); "
          + "a Keras .weights.h5 file is HDF5: copy or download the preset again", e);
    }
    long declared = -1;
    try {
      long eof = hdf.getHdfBackingStorage().getSuperblock().getEndOfFileAddress();
      if (eof > 0) { // all ones (-1) means undefined
        declared = eof + hdf.getUserBlockSize();
      }
    } catch (RuntimeException e) {
      // an unknown end-of-file address only means truncation is recognized by failed reads alone
    }
    return new Shard(file, hdf, size, declared);
  }

  /** The file (or the sharded index), for messages. */
  Path path() {
    return described;
  }

  /**
   * Reads dataset {@code vars/index} of the first of {@code groups} that exists.
   *
   * @param groups candidate groups of the layer, preferred first
   * @param index position of the variable in the layer's creation order
   * @param expectedShape the Keras variable's shape
   * @param kerasPath the Keras variable, for messages
   * @throws PresetException naming the file, the dataset, the Keras variable and the expected shape
   *     when the dataset is missing, has another shape or type, or lies in a truncated part of the file
   */
  float[] read(List<String> groups, int index, int[] expectedShape, String kerasPath) {
    return readInto(groups, index, expectedShape, kerasPath, null, 0);
  }

  /**
   * {@link #read} into {@code dest} from {@code offset} (the model's weight arena): float32 data stored
   * contiguously, a Keras file's usual layout, goes straight from the file into {@code dest} without an array
   * per variable. With {@code dest} null, a new array.
   *
   * @return {@code dest}, or the new array
   */
  float[] readInto(List<String> groups, int index, int[] expectedShape, String kerasPath, float[] dest, int offset) {
    String firstTried = groups.get(0) + "/vars/" + index;
    for (String g : groups) {
      String datasetPath = g + "/vars/" + index;
      for (Shard s : shardsFor(g)) {
        Node n;
        try {
          n = Hdf5Paths.find(s.file(), datasetPath);
        } catch (Hdf5Paths.LinkException e) {
          throw WeightErrors.unreadable(s.path(), datasetPath, kerasPath, expectedShape, e.getMessage(), null);
        } catch (RuntimeException | StackOverflowError e) {
          throw failure(s, datasetPath, kerasPath, expectedShape, e);
        }
        if (n == null) {
          continue;
        }
        if (!(n instanceof Dataset d)) {
          throw WeightErrors.unreadable(s.path(), datasetPath, kerasPath, expectedShape, "it is a group, "
              + "not a dataset", null);
        }
        return readDataset(s, d, datasetPath, expectedShape, kerasPath, dest, offset);
      }
    }
    throw WeightErrors.missing(described, firstTried, kerasPath, expectedShape,
        whatExists(shardsFor(groups.get(0)).get(0), groups.get(0) + "/vars/" + index),
        "The weights and config.json do not belong together; use the config.json saved with these "
            + "weights (keras-hub's save_to_preset writes both).");
  }

  /** Bytes read from the file at a time by {@link #readContiguous}. */
  private static final int READ_CHUNK = 1 << 20;
  /** The read buffer of {@link #readContiguous}, kept for the next dataset (no garbage per variable). */
  private java.nio.ByteBuffer readBuffer;

  /**
   * Reads the {@code count} float32 values of a contiguous dataset into {@code dest} from {@code offset}, with
   * positional reads of the file rather than through
   * the memory map jhdf parses: the map's pages would count as this process's resident memory while the
   * weights are copied (a whole preset file's worth at its peak), page-cache pages read this way do not.
   */
  private synchronized void readContiguous(Shard s, long address, int count, java.nio.ByteOrder order, float[] dest,
      int offset) throws IOException {
    if (readBuffer == null) {
      readBuffer = java.nio.ByteBuffer.allocate(READ_CHUNK);
    }
    java.nio.ByteBuffer buffer = readBuffer.order(order);
    try (FileChannel channel = FileChannel.open(s.path(), StandardOpenOption.READ)) {
      int done = 0;
      long at = address;
      while (done < count) {
        buffer.clear();
        buffer.limit((int) Math.min(buffer.capacity(), (long) (count - done) * Float.BYTES));
        while (buffer.hasRemaining()) {
          if (channel.read(buffer, at + buffer.position()) < 0) {
            throw new java.io.EOFException("the file ends at byte " + (at + buffer.position()));
          }
        }
        buffer.flip();
        int n = buffer.remaining() / Float.BYTES;
        buffer.asFloatBuffer().get(dest, offset + done, n);
        done += n;
        at += (long) n * Float.BYTES;
      }
    }
  }

  private float[] readDataset(Shard s, Dataset d, String datasetPath, int[] expectedShape, String kerasPath,
      float[] dest, int offset) {
    try {
      int[] found = d.getDimensions();
      if (!java.util.Arrays.equals(found, expectedShape)) {
        throw WeightErrors.shapeMismatch(s.path(), datasetPath, kerasPath, expectedShape, found,
            "The weights and config.json do not belong together; use the config.json saved with "
                + "these weights (keras-hub's save_to_preset writes both).");
      }
      Attribute dtype = d.getAttribute("dtype");
      if (dtype != null && "bfloat16".equals(String.valueOf(dtype.getData()))) {
        throw WeightErrors.unreadable(s.path(), datasetPath, kerasPath, expectedShape, "it is stored as "
            + "bfloat16; BertGen reads float32 (and float64) .weights.h5 files. Save the model with "
            + "dtype \"float32\" in keras-hub and load that preset", null);
      }
      if (d instanceof ContiguousDataset c) {
        long end = addOrMax(addOrMax(s.file().getUserBlockSize(), c.getDataAddress()), d.getSizeInBytes());
        if (end > s.size()) {
          throw WeightErrors.truncated(s.path(), datasetPath, kerasPath, expectedShape, "its data lies at "
              + "bytes " + (end - d.getSizeInBytes()) + ".." + end + " but the file ends at byte "
              + s.size(), null);
        }
      }
      Class<?> type = d.getJavaType();
      float[] values = null;
      if (type == float.class && d instanceof ContiguousDataset c
          && d.getDataType() instanceof io.jhdf.object.datatype.FloatingPoint fp && fp.getSize() == Float.BYTES) {
        long elements = WeightErrors.elements(expectedShape);
        if (elements > Integer.MAX_VALUE - 8 || d.getSizeInBytes() != elements * Float.BYTES) {
          throw WeightErrors.unreadable(s.path(), datasetPath, kerasPath, expectedShape, "it holds "
              + d.getSizeInBytes() / Float.BYTES + " values; the file is damaged: copy or download the preset again",
              null);
        }
        int n = (int) elements;
        float[] into = dest != null ? dest : new float[n];
        int at = dest != null ? offset : 0;
        readContiguous(s, s.file().getUserBlockSize() + c.getDataAddress(), n, fp.getByteOrder(), into, at);
        if (checkFinite) {
          for (int i = at; i < at + n; i++) {
            if (!Float.isFinite(into[i])) {
              WeightErrors.requireFinite(s.path(), datasetPath, kerasPath, expectedShape,
                  java.util.Arrays.copyOfRange(into, at, at + n)); // names the first such value
            }
          }
        }
        return into;
      } else if (type == float.class) {
        values = (float[]) d.getDataFlat();
      } else if (type == double.class) {
        double[] v = (double[]) d.getDataFlat();
        values = new float[v.length];
        for (int i = 0; i < v.length; i++) {
          values[i] = (float) v[i];
        }
      }
      if (values != null) {
        if (values.length != WeightErrors.elements(expectedShape)) {
          throw WeightErrors.unreadable(s.path(), datasetPath, kerasPath, expectedShape, "it holds "
              + values.length + " values; the file is damaged: copy or download the preset again", null);
        }
        if (checkFinite) {
          WeightErrors.requireFinite(s.path(), datasetPath, kerasPath, expectedShape, values);
        }
        if (dest != null) {
          System.arraycopy(values, 0, dest, offset, values.length);
          return dest;
        }
        return values;
      }
      throw WeightErrors.unreadable(s.path(), datasetPath, kerasPath, expectedShape, "its type is "
          + type.getSimpleName() + " (" + d.getDataType().getClass().getSimpleName() + ", "
          + d.getDataType().getSize() + " bytes); BertGen reads float32 weights (float64 is converted)",
          null);
    } catch (PresetException e) {
      throw e;
    } catch (IOException e) {
      throw WeightErrors.unreadable(s.path(), datasetPath, kerasPath, expectedShape, "reading it failed ("
          + e.getMessage() + "); copy or download the preset again", e);
    } catch (RuntimeException | StackOverflowError e) {
      throw failure(s, datasetPath, kerasPath, expectedShape, e);
    }
  }

  /** {@code a + b}, or {@link Long#MAX_VALUE} when that overflows (damaged addresses and sizes). */
  private static long addOrMax(long a, long b) {
    long sum = a + b;
    return a < 0 || b < 0 || sum < 0 ? Long.MAX_VALUE : sum;
  }

  /**
   * The exception of a read that failed: truncation when the file is shorter than declared. A stack
   * overflow inside jhdf is a structure that nests without end (a B-tree whose node is its own child).
   */
  private static PresetException failure(Shard s, String datasetPath, String kerasPath, int[] expectedShape,
      Throwable e) {
    if (s.truncated()) {
      return WeightErrors.truncated(s.path(), datasetPath, kerasPath, expectedShape, "the file has "
          + s.size() + " bytes but its HDF5 superblock says " + s.declaredSize() + " (" + firstLine(e)
          + ")", e);
    }
    return WeightErrors.unreadable(s.path(), datasetPath, kerasPath, expectedShape, firstLine(e)
        + "; the file is damaged: copy or download the preset again", e);
  }

  /** The first line of {@code e}'s message, with its cause's when it is jhdf's wrapper, for one-line errors. */
  static String firstLine(Throwable e) {
    if (e instanceof StackOverflowError) {
      return "its structure nests without end";
    }
    String m = String.valueOf(e.getMessage());
    if (e.getCause() != null && e.getCause() != e && e.getCause().getMessage() != null) {
      m = m + ": " + e.getCause().getMessage();
    }
    m = m.lines().findFirst().orElse("").strip();
    return m.length() > 300 ? m.substring(0, 297) + "..." : m;
  }

  /** The shards to look in for {@code group}: the one the weight map names first, then the others. */
  private List<Shard> shardsFor(String group) {
    if (shards.size() == 1) {
      return shards;
    }
    String name = weightMap.get("/" + group + "/vars");
    List<Shard> out = new ArrayList<>(shards.size());
    for (Shard s : shards) {
      if (s.path().getFileName().toString().equals(name)) {
        out.add(0, s);
      } else {
        out.add(s);
      }
    }
    return out;
  }

  private static Node node(Shard s, String path) {
    try {
      return Hdf5Paths.find(s.file(), path);
    } catch (Hdf5Paths.LinkException e) {
      throw new PresetException(null, s.path() + ": " + path + " cannot be read: " + e.getMessage());
    } catch (RuntimeException | StackOverflowError e) {
      throw damaged(s, path, e);
    }
  }

  private static PresetException damaged(Shard s, String path, Throwable e) {
    if (s.truncated()) {
      return new PresetException(null, s.path() + " is truncated: it has " + s.size() + " bytes but "
          + "its HDF5 superblock says " + s.declaredSize() + ", so " + path + " cannot be read ("
          + firstLine(e) + "). Copy or download the preset again.", e);
    }
    return new PresetException(null, s.path() + " is damaged: " + path + " cannot be read ("
        + firstLine(e) + "). Copy or download the preset again.", e);
  }

  /** What the file has where {@code path} was expected: the children of its deepest existing group. */
  private static String whatExists(Shard s, String path) {
    String[] parts = path.split("/");
    String existing = "";
    Group group = s.file();
    for (String part : parts) {
      String next = existing.isEmpty() ? part : existing + "/" + part;
      Node n = node(s, next);
      if (!(n instanceof Group g)) {
        break;
      }
      existing = next;
      group = g;
    }
    TreeSet<String> children;
    try {
      children = new TreeSet<>(group.getChildren().keySet());
    } catch (RuntimeException | StackOverflowError e) {
      throw damaged(s, existing, e);
    }
    String where = existing.isEmpty() ? "the file's root" : existing + "/";
    return "nothing there; " + where + " has " + (children.isEmpty() ? "nothing" : String.join(", ", children));
  }

  @Override
  public void close() {
    for (Shard s : shards) {
      s.file().close();
    }
  }
}
