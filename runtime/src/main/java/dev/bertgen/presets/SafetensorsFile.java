package dev.bertgen.presets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A {@code .safetensors} file, read without any native code: an 8-byte little-endian header length
 * N, N bytes of JSON mapping each tensor name to {@code {dtype, shape, data_offsets: [begin, end]}}
 * (offsets relative to the end of the header), an optional {@code __metadata__} object, then the
 * tensors' little-endian bytes.
 *
 * <p>Tensors are returned as float arrays in row-major order of their stored shape. {@code F32} is
 * read as is; {@code F16}, {@code BF16} and {@code F64} are converted; other types are refused with
 * a message naming the tensor.
 */
final class SafetensorsFile implements AutoCloseable {
  /** The largest header the format allows. */
  static final long MAX_HEADER_BYTES = 100_000_000L;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * One tensor of the header.
   *
   * @param key the tensor's name
   * @param dtype safetensors type name, e.g. {@code F32}
   * @param shape dimensions
   * @param begin first byte, relative to the start of the data section
   * @param end one past the last byte, relative to the start of the data section
   */
  record Entry(String key, String dtype, long[] shape, long begin, long end) {
    /** Number of elements. */
    long elements() {
      long n = 1;
      for (long d : shape) {
        n *= d;
      }
      return n;
    }
  }

  private final Path path;
  private final FileChannel channel;
  private final long fileSize;
  private final long dataStart;
  private final Map<String, Entry> entries;

  private SafetensorsFile(Path path, FileChannel channel, long fileSize, long dataStart,
      Map<String, Entry> entries) {
    this.path = path;
    this.channel = channel;
    this.fileSize = fileSize;
    this.dataStart = dataStart;
    this.entries = entries;
  }

  /**
   * Opens {@code path} and reads its header.
   *
   * @throws PresetException when the file cannot be read, is not a safetensors file, or its header
   *     is damaged
   */
  static SafetensorsFile open(Path path) {
    FileChannel channel;
    try {
      channel = FileChannel.open(path, StandardOpenOption.READ);
    } catch (IOException e) {
      throw new PresetException(null, "cannot open " + path + ": " + e, e);
    }
    try {
      long size = channel.size();
      if (size < 8) {
        throw new PresetException(null, path + " has " + size + " bytes, too few for a safetensors file "
            + "(8 bytes of header length, then the header); it is truncated or not a safetensors file: "
            + "download or copy it again");
      }
      ByteBuffer lengthBytes = readFully(channel, 0, 8).order(ByteOrder.LITTLE_ENDIAN);
      long headerLength = lengthBytes.getLong();
      if (headerLength <= 0 || headerLength > MAX_HEADER_BYTES) {
        throw new PresetException(null, path + " is not a safetensors file: its first 8 bytes give a "
            + "header length of " + headerLength + " (at most " + MAX_HEADER_BYTES + " is allowed)");
      }
      if (8 + headerLength > size) {
        throw new PresetException(null, path + " is truncated: its header needs " + (8 + headerLength)
            + " bytes but the file has " + size + "; download or copy it again");
      }
      byte[] header = new byte[(int) headerLength];
      readFully(channel, 8, (int) headerLength).get(header);
      Map<String, Entry> entries = parseHeader(path, new String(header, StandardCharsets.UTF_8));
      SafetensorsFile file = new SafetensorsFile(path, channel, size, 8 + headerLength, entries);
      channel = null; // owned by file now
      return file;
    } catch (IOException e) {
      throw new PresetException(null, "cannot read " + path + ": " + e, e);
    } finally {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException ignored) {
          // the first error is the one to report
        }
      }
    }
  }

  private static Map<String, Entry> parseHeader(Path path, String json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (IOException e) {
      throw new PresetException(null, path + " has a damaged header (not valid JSON: "
          + e.getMessage().lines().findFirst().orElse("") + "); download or copy it again", e);
    }
    if (root == null || !root.isObject()) {
      throw new PresetException(null, path + " has a damaged header (not a JSON object); download or "
          + "copy it again");
    }
    Map<String, Entry> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      if (f.getKey().equals("__metadata__")) {
        continue;
      }
      out.put(f.getKey(), parseEntry(path, f.getKey(), f.getValue()));
    }
    return Collections.unmodifiableMap(out);
  }

  private static Entry parseEntry(Path path, String key, JsonNode n) {
    JsonNode dtype = n.get("dtype");
    JsonNode shape = n.get("shape");
    JsonNode offsets = n.get("data_offsets");
    if (dtype == null || !dtype.isTextual() || shape == null || !shape.isArray() || offsets == null
        || !offsets.isArray() || offsets.size() != 2) {
      throw new PresetException(null, path + " has a damaged header: tensor " + key + " needs dtype, "
          + "shape and data_offsets [begin, end], found " + n);
    }
    long[] dims = new long[shape.size()];
    for (int i = 0; i < dims.length; i++) {
      if (!shape.get(i).canConvertToLong() || shape.get(i).longValue() < 0) {
        throw new PresetException(null, path + " has a damaged header: tensor " + key
            + " has shape " + shape);
      }
      dims[i] = shape.get(i).longValue();
    }
    long begin = offsets.get(0).asLong(-1);
    long end = offsets.get(1).asLong(-1);
    Entry e = new Entry(key, dtype.textValue(), dims, begin, end);
    int width = bytesPerElement(e.dtype());
    if (begin < 0 || end < begin || (width > 0 && end - begin != e.elements() * width)) {
      throw new PresetException(null, path + " has a damaged header: tensor " + key + " (" + e.dtype()
          + ", shape " + WeightErrors.shape(dims) + ") has data_offsets " + offsets + ", which do not "
          + "hold " + e.elements() + " elements; download or copy the file again");
    }
    return e;
  }

  /** Bytes per element of a safetensors type, or 0 for a type this reader does not know. */
  static int bytesPerElement(String dtype) {
    return switch (dtype) {
      case "F64", "I64", "U64" -> 8;
      case "F32", "I32", "U32" -> 4;
      case "F16", "BF16", "I16", "U16" -> 2;
      case "I8", "U8", "BOOL", "F8_E4M3", "F8_E5M2" -> 1;
      default -> 0;
    };
  }

  Path path() {
    return path;
  }

  /** The tensor names, in header order. */
  Set<String> keys() {
    return entries.keySet();
  }

  Optional<Entry> entry(String key) {
    return Optional.ofNullable(entries.get(key));
  }

  boolean contains(String key) {
    return entries.containsKey(key);
  }

  /**
   * Reads tensor {@code key}, checking that it has {@code expectedShape}.
   *
   * @param kerasPath the Keras variable it is read for, for messages
   * @throws PresetException naming the file, the key, the Keras variable and both shapes when the
   *     tensor is missing, has another shape, lies beyond the end of the file or has a type that is
   *     not a float type
   */
  float[] read(String key, int[] expectedShape, String kerasPath) {
    Entry e = entries.get(key);
    if (e == null) {
      throw WeightErrors.missing(path, key, kerasPath, expectedShape, "no tensor of that name among the "
          + entries.size() + " in the file" + dev.bertgen.spec.Suggestions.didYouMean(key, entries.keySet()),
          "Use a checkpoint saved for this architecture with transformers' save_pretrained.");
    }
    if (!sameShape(e.shape(), expectedShape)) {
      throw WeightErrors.shapeMismatch(path, key, kerasPath, expectedShape, toInts(e.shape()),
          "The checkpoint does not match config.json; use the config.json saved with these weights.");
    }
    int width = bytesPerElement(e.dtype());
    if (!(e.dtype().equals("F32") || e.dtype().equals("F16") || e.dtype().equals("BF16")
        || e.dtype().equals("F64"))) {
      throw WeightErrors.unreadable(path, key, kerasPath, expectedShape, "its type is " + e.dtype()
          + "; BertGen reads F32 weights (F16, BF16 and F64 are converted). Save the model in float32, "
          + "e.g. model.float().save_pretrained(dir)", null);
    }
    long from = dataStart + e.begin();
    long to = dataStart + e.end();
    if (to > fileSize) {
      throw WeightErrors.truncated(path, key, kerasPath, expectedShape, "its " + e.dtype() + " data lies "
          + "at bytes " + from + ".." + to + " but the file ends at byte " + fileSize, null);
    }
    int n = (int) e.elements();
    ByteBuffer bytes;
    try {
      bytes = channel.map(FileChannel.MapMode.READ_ONLY, from, (long) n * width)
          .order(ByteOrder.LITTLE_ENDIAN);
    } catch (IOException ex) {
      throw WeightErrors.unreadable(path, key, kerasPath, expectedShape, ex.toString(), ex);
    }
    float[] out = new float[n];
    switch (e.dtype()) {
      case "F32" -> bytes.asFloatBuffer().get(out);
      case "F64" -> {
        for (int i = 0; i < n; i++) {
          out[i] = (float) bytes.getDouble(i * 8);
        }
      }
      case "F16" -> {
        for (int i = 0; i < n; i++) {
          out[i] = halfToFloat(bytes.getShort(i * 2));
        }
      }
      default -> { // BF16: the upper half of a float32
        for (int i = 0; i < n; i++) {
          out[i] = Float.intBitsToFloat((bytes.getShort(i * 2) & 0xffff) << 16);
        }
      }
    }
    return out;
  }

  /**
   * Checks that every tensor of the header lies inside the file, so a truncated file is reported
   * even when the tensor it cuts is one BertGen does not use.
   *
   * @throws PresetException naming the first tensor beyond the end of the file
   */
  void requireComplete() {
    for (Entry e : entries.values()) {
      if (dataStart + e.end() > fileSize) {
        throw new PresetException(null, path + " is truncated: tensor " + e.key() + " (" + e.dtype()
            + ", shape " + WeightErrors.shape(e.shape()) + ") lies at bytes " + (dataStart + e.begin())
            + ".." + (dataStart + e.end()) + " but the file ends at byte " + fileSize + ". The file is "
            + "incomplete (an interrupted download or copy); download or copy it again.");
      }
    }
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException ignored) {
      // nothing was written
    }
  }

  /** IEEE 754 half precision to float. */
  static float halfToFloat(short half) {
    int bits = half & 0xffff;
    int sign = (bits & 0x8000) << 16;
    int exponent = (bits >>> 10) & 0x1f;
    int mantissa = bits & 0x3ff;
    if (exponent == 0) {
      float v = mantissa * 0x1p-24f; // zero or subnormal
      return sign != 0 ? -v : v;
    }
    if (exponent == 31) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
    }
    return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
  }

  private static boolean sameShape(long[] found, int[] expected) {
    if (found.length != expected.length) {
      return false;
    }
    for (int i = 0; i < found.length; i++) {
      if (found[i] != expected[i]) {
        return false;
      }
    }
    return true;
  }

  private static int[] toInts(long[] shape) {
    int[] out = new int[shape.length];
    for (int i = 0; i < shape.length; i++) {
      out[i] = (int) Math.min(shape[i], Integer.MAX_VALUE);
    }
    return out;
  }

  private static ByteBuffer readFully(FileChannel channel, long position, int length) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(length);
    while (buf.hasRemaining()) {
      if (channel.read(buf, position + buf.position()) < 0) {
        throw new IOException("unexpected end of file at byte " + (position + buf.position()));
      }
    }
    return buf.flip();
  }
}
