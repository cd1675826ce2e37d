package dev.bertgen.presets.formats;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bertgen.presets.PresetException;
import dev.bertgen.presets.RegularFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The weights of a Hugging Face checkpoint directory: {@code model.safetensors}, or the shards that
 * {@code model.safetensors.index.json} lists in its {@code weight_map} (tensor name to file name).
 */
public final class SafetensorsCheckpoint implements AutoCloseable {
  /** The single-file checkpoint's name. */
  public static final String SINGLE = "model.safetensors";
  /** The index of a sharded checkpoint. */
  public static final String INDEX = "model.safetensors.index.json";

  private final Path described;
  private final List<SafetensorsFile> files;
  private final Map<String, SafetensorsFile> byKey;

  private SafetensorsCheckpoint(Path described, List<SafetensorsFile> files, Map<String, SafetensorsFile> byKey) {
    this.described = described;
    this.files = files;
    this.byKey = byKey;
  }

  /**
   * True when {@code dir} has {@code model.safetensors} or its sharded index.
   *
   * @throws PresetException when one of them is there but is not a regular file
   */
  static boolean exists(Path dir) {
    return RegularFiles.exists(dir.resolve(SINGLE)) || RegularFiles.exists(dir.resolve(INDEX));
  }

  /**
   * Opens the checkpoint in {@code dir}: {@code model.safetensors} if present, else the sharded
   * index.
   *
   * @throws PresetException when neither exists, the index is damaged or names a missing shard
   */
  static SafetensorsCheckpoint open(Path dir) {
    Path single = dir.resolve(SINGLE);
    if (RegularFiles.exists(single)) {
      SafetensorsFile f = SafetensorsFile.open(single);
      Map<String, SafetensorsFile> byKey = new LinkedHashMap<>();
      for (String k : f.keys()) {
        byKey.put(k, f);
      }
      return new SafetensorsCheckpoint(single, List.of(f), Collections.unmodifiableMap(byKey));
    }
    Path index = dir.resolve(INDEX);
    if (!RegularFiles.exists(index)) {
      throw new PresetException(null, dir + " has neither " + SINGLE + " nor " + INDEX);
    }
    JsonNode map = JsonFiles.object(JsonFiles.read(index), "weight_map", index);
    if (map == null) {
      throw new PresetException(null, index + " has no \"weight_map\" object (tensor name to shard "
          + "file); the index is damaged: download or copy it again");
    }
    Map<String, SafetensorsFile> shards = new LinkedHashMap<>();
    Map<String, SafetensorsFile> byKey = new LinkedHashMap<>();
    List<SafetensorsFile> opened = new ArrayList<>();
    try {
      for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String shardName = e.getValue().asText("");
        if (shardName.isEmpty() || shardName.contains("/") || shardName.contains("\\")) {
          throw new PresetException(null, index + ": tensor " + e.getKey() + " maps to \"" + e.getValue()
              + "\", which is not a file name in " + dir);
        }
        SafetensorsFile shard = shards.get(shardName);
        if (shard == null) {
          Path shardPath = dir.resolve(shardName);
          if (!RegularFiles.exists(shardPath)) {
            throw new PresetException(null, index + " lists shard " + shardName + " (for tensor "
                + e.getKey() + ") but " + shardPath + " does not exist; download every shard the "
                + "index lists");
          }
          shard = SafetensorsFile.open(shardPath);
          opened.add(shard);
          shards.put(shardName, shard);
        }
        byKey.put(e.getKey(), shard);
      }
    } catch (RuntimeException e) {
      opened.forEach(SafetensorsFile::close);
      throw e;
    }
    return new SafetensorsCheckpoint(index, List.copyOf(opened), Collections.unmodifiableMap(byKey));
  }

  /** {@code model.safetensors} or the index, for messages. */
  Path path() {
    return described;
  }

  /** Every tensor name. */
  Set<String> keys() {
    return byKey.keySet();
  }

  boolean contains(String key) {
    return byKey.containsKey(key);
  }

  /**
   * Reads tensor {@code key} from its file.
   *
   * @param checkFinite refuse the tensor when it holds NaN or an infinity
   * @see SafetensorsFile#read(String, int[], String)
   * @see WeightErrors#requireFinite
   */
  float[] read(String key, int[] expectedShape, String kerasPath, boolean checkFinite) {
    SafetensorsFile f = byKey.get(key);
    if (f == null) {
      throw WeightErrors.missing(described, key, kerasPath, expectedShape, "no tensor of that name among the "
          + byKey.size() + " in the checkpoint" + dev.bertgen.spec.Suggestions.didYouMean(key, byKey.keySet()),
          "Use a checkpoint saved for this architecture with transformers' save_pretrained.");
    }
    float[] values = f.read(key, expectedShape, kerasPath);
    if (checkFinite) {
      WeightErrors.requireFinite(f.path(), key, kerasPath, expectedShape, values);
    }
    return values;
  }

  /** Checks that no file is truncated. */
  void requireComplete() {
    files.forEach(SafetensorsFile::requireComplete);
  }

  @Override
  public void close() {
    files.forEach(SafetensorsFile::close);
  }
}
