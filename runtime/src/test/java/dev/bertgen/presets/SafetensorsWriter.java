package dev.bertgen.presets;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Writes {@code .safetensors} files for tests, independently of the reader: raw tensors by name, in
 * insertion order, and copies of existing files with tensors left out or added.
 */
public final class SafetensorsWriter {
  /** One tensor: its type, shape and little-endian bytes. */
  public record Tensor(String dtype, long[] shape, byte[] bytes) {
    public static Tensor f32(long[] shape, float[] values) {
      ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
      b.asFloatBuffer().put(values);
      return new Tensor("F32", shape, b.array());
    }
  }

  private final Map<String, Tensor> tensors = new LinkedHashMap<>();

  public SafetensorsWriter put(String key, Tensor t) {
    tensors.put(key, t);
    return this;
  }

  /** The tensors of an existing file that {@code keep} accepts, parsed here without the reader. */
  public static SafetensorsWriter copyOf(Path file, Predicate<String> keep) {
    try {
      byte[] all = Files.readAllBytes(file);
      long n = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
      ObjectNode header = (ObjectNode) new ObjectMapper().readTree(new String(all, 8, (int) n, StandardCharsets.UTF_8));
      SafetensorsWriter w = new SafetensorsWriter();
      header.fields().forEachRemaining(e -> {
        if (e.getKey().equals("__metadata__") || !keep.test(e.getKey())) {
          return;
        }
        ArrayNode shape = (ArrayNode) e.getValue().get("shape");
        long[] dims = new long[shape.size()];
        for (int i = 0; i < dims.length; i++) {
          dims[i] = shape.get(i).longValue();
        }
        int begin = 8 + (int) n + e.getValue().get("data_offsets").get(0).intValue();
        int end = 8 + (int) n + e.getValue().get("data_offsets").get(1).intValue();
        w.put(e.getKey(), new Tensor(e.getValue().get("dtype").asText(), dims, Arrays.copyOfRange(all, begin, end)));
      });
      return w;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The tensor names, in order. */
  public java.util.Set<String> keys() {
    return tensors.keySet();
  }

  public Tensor tensor(String key) {
    return tensors.get(key);
  }

  /** The float values of tensor {@code key} (F32 only). */
  public float[] floats(String key) {
    Tensor t = tensors.get(key);
    float[] out = new float[t.bytes().length / 4];
    ByteBuffer.wrap(t.bytes()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
    return out;
  }

  public void write(Path file) {
    ObjectMapper m = new ObjectMapper();
    ObjectNode header = m.createObjectNode();
    header.putObject("__metadata__").put("format", "pt");
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      ObjectNode t = header.putObject(e.getKey());
      t.put("dtype", e.getValue().dtype());
      ArrayNode shape = t.putArray("shape");
      for (long d : e.getValue().shape()) {
        shape.add(d);
      }
      ArrayNode offsets = t.putArray("data_offsets");
      offsets.add(data.size());
      data.writeBytes(e.getValue().bytes());
      offsets.add(data.size());
    }
    byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
    int padded = (json.length + 7) / 8 * 8;
    byte[] headerBytes = Arrays.copyOf(json, padded);
    Arrays.fill(headerBytes, json.length, padded, (byte) ' ');
    ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.writeBytes(len.array());
      out.writeBytes(headerBytes);
      out.writeBytes(data.toByteArray());
      Files.write(file, out.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
