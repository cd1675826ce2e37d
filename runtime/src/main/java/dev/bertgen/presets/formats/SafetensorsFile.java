package dev.bertgen.presets.formats;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bertgen.presets.PresetException;
import dev.bertgen.presets.RegularFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
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
 *
 * <p>The header is checked when the file is opened, as Hugging Face's {@code safetensors} library
 * checks it ({@code Metadata::validate} and {@code SafeTensors::read_metadata} of its Rust crate): a
 * header of at most {@value #MAX_HEADER_BYTES} bytes of UTF-8 JSON, no tensor named twice, each shape
 * a list of whole numbers at least 0, each {@code data_offsets} two whole numbers with begin at most
 * end, whose difference is the element count times the type's size (every product overflow-checked),
 * and, with the tensors sorted by offset, the ranges packed one after the other from byte 0 of the data
 * to the end of the file, with no overlap, no gap and no byte after the last tensor. Like the Rust
 * crate, the header may list the tensors in any order, so ranges out of order but contiguous once
 * sorted are read. Unlike it, a tensor of a type this reader does not know is accepted as long as its
 * range fits (its size cannot be checked) and refused only when it is read, and a file shorter than
 * its header says is reported as truncated naming the first tensor it cuts.
 */
public final class SafetensorsFile implements AutoCloseable {
  /** The largest header the format allows. */
  static final long MAX_HEADER_BYTES = 100_000_000L;

  /** Refuses a tensor named twice, which a lenient parser would silently let the last one win. */
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

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
    /**
     * Number of elements.
     *
     * @throws ArithmeticException when it overflows a long (refused when the header is read)
     */
    long elements() {
      long n = 1;
      for (long d : shape) {
        n = Math.multiplyExact(n, d);
      }
      return n;
    }

    /** For messages: {@code name (F32, shape (2, 3))}. */
    String describe() {
      return key + " (" + dtype + ", shape " + WeightErrors.shape(shape) + ")";
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
   * @throws PresetException when the file is not a regular file, cannot be read, is not a safetensors
   *     file, or its header is damaged (see the class comment for what is checked)
   */
  public static SafetensorsFile open(Path path) {
    RegularFiles.require(path);
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
      ByteBuffer header = readFully(channel, 8, (int) headerLength);
      String json;
      try {
        json = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(header).toString();
      } catch (CharacterCodingException e) {
        throw new PresetException(null, path + " has a damaged header (not UTF-8 text); download or copy "
            + "it again", e);
      }
      Map<String, Entry> entries = parseHeader(path, json);
      long dataStart = 8 + headerLength;
      long dataEnd = requirePacked(path, entries);
      long dataSize = size - dataStart;
      if (dataSize > dataEnd) {
        throw new PresetException(null, path + " has " + (dataSize - dataEnd) + " bytes after its last "
            + "tensor: its header's tensors end at byte " + dataEnd + " of the data, which has " + dataSize
            + " bytes. A safetensors file ends with its last tensor, so this one is damaged: download or "
            + "copy it again");
      }
      SafetensorsFile file = new SafetensorsFile(path, channel, size, dataStart, entries);
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
          + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + "); download or copy it again", e);
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
      throw damaged(path, key + " needs dtype, shape and data_offsets [begin, end], found " + clip(n));
    }
    long[] dims = new long[shape.size()];
    for (int i = 0; i < dims.length; i++) {
      if (!isCount(shape.get(i))) {
        throw damaged(path, key + " has shape " + clip(shape) + "; each dimension must be a whole number "
            + "at least 0");
      }
      dims[i] = shape.get(i).longValue();
    }
    Entry e;
    if (!isCount(offsets.get(0)) || !isCount(offsets.get(1))) {
      throw damaged(path, key + " (" + dtype.textValue() + ", shape " + WeightErrors.shape(dims) + ") has "
          + "data_offsets " + clip(offsets) + "; they must be two whole numbers at least 0 that fit in 64 "
          + "bits");
    }
    e = new Entry(key, dtype.textValue(), dims, offsets.get(0).longValue(), offsets.get(1).longValue());
    if (e.begin() > e.end()) {
      throw damaged(path, e.describe() + " has data_offsets " + offsets + ": it begins after it ends");
    }
    long elements;
    try {
      elements = e.elements();
    } catch (ArithmeticException overflow) {
      throw damaged(path, e.describe() + " has more elements than a 64-bit count holds (the product of "
          + "its shape overflows)");
    }
    int bits = bitsPerElement(e.dtype());
    if (bits > 0) {
      long bytes;
      try {
        long totalBits = Math.multiplyExact(elements, bits);
        if (totalBits % 8 != 0) {
          throw damaged(path, e.describe() + " does not fill whole bytes (" + totalBits + " bits)");
        }
        bytes = totalBits / 8;
      } catch (ArithmeticException overflow) {
        throw damaged(path, e.describe() + " has more bytes than a 64-bit count holds (its " + elements
            + " elements times " + bits + " bits overflow)");
      }
      if (e.end() - e.begin() != bytes) {
        throw damaged(path, e.describe() + " has data_offsets " + offsets + " (" + (e.end() - e.begin())
            + " bytes), but " + elements + " elements of " + e.dtype() + " take " + bytes + " bytes");
      }
    }
    return e;
  }

  /**
   * Checks that the tensors, sorted by offset, are packed one after the other from byte 0 of the data,
   * as the safetensors library's {@code Metadata::validate} does: no range overlaps another and none
   * leaves a gap. Header order does not matter (the library sorts too).
   *
   * @return the end of the last tensor, relative to the start of the data
   */
  private static long requirePacked(Path path, Map<String, Entry> entries) {
    List<Entry> sorted = new ArrayList<>(entries.values());
    sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
    long at = 0;
    Entry previous = null;
    for (Entry e : sorted) {
      if (e.begin() < at) {
        throw damaged(path, e.describe() + " lies at bytes " + e.begin() + ".." + e.end() + " of the data "
            + "and overlaps " + previous.key() + " at bytes " + previous.begin() + ".." + previous.end()
            + "; each tensor has bytes of its own");
      }
      if (e.begin() > at) {
        throw damaged(path, e.describe() + " begins at byte " + e.begin() + " of the data but "
            + (previous == null ? "the data begins at byte 0" : "the tensor before it, " + previous.key()
                + ", ends at byte " + at) + ": the " + (e.begin() - at) + " bytes before it belong to no "
            + "tensor. A safetensors file packs its tensors without gaps");
      }
      at = e.end();
      previous = e;
    }
    return at;
  }

  private static PresetException damaged(Path path, String what) {
    return new PresetException(null, path + " has a damaged header: tensor " + what + "; download or copy "
        + "the file again");
  }

  /** A whole number at least 0 that fits in a long (JSON has no other limit, and 2.5 is not one). */
  private static boolean isCount(JsonNode n) {
    return n != null && n.isIntegralNumber() && n.canConvertToLong() && n.longValue() >= 0;
  }

  /** {@code n} as JSON, shortened for a message. */
  private static String clip(JsonNode n) {
    String s = String.valueOf(n);
    return s.length() > 120 ? s.substring(0, 117) + "..." : s;
  }

  /** Bits per element of a safetensors type (the safetensors library's {@code Dtype::bitsize}), 0 if unknown. */
  static int bitsPerElement(String dtype) {
    return switch (dtype) {
      case "F64", "I64", "U64", "C64" -> 64;
      case "F32", "I32", "U32" -> 32;
      case "F16", "BF16", "I16", "U16" -> 16;
      case "I8", "U8", "BOOL", "F8_E4M3", "F8_E5M2", "F8_E8M0", "F8_E4M3FNUZ", "F8_E5M2FNUZ" -> 8;
      case "F6_E3M2", "F6_E2M3" -> 6;
      case "F4" -> 4;
      default -> 0;
    };
  }

  Path path() {
    return path;
  }

  /** The tensor names, in header order. */
  public Set<String> keys() {
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
  public float[] read(String key, int[] expectedShape, String kerasPath) {
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
    if (!(e.dtype().equals("F32") || e.dtype().equals("F16") || e.dtype().equals("BF16")
        || e.dtype().equals("F64"))) {
      throw WeightErrors.unreadable(path, key, kerasPath, expectedShape, "its type is " + e.dtype()
          + "; BertGen reads F32 weights (F16, BF16 and F64 are converted). Save the model in float32, "
          + "e.g. model.float().save_pretrained(dir)", null);
    }
    long from = inFile(e.begin());
    long to = inFile(e.end());
    if (to > fileSize) {
      throw WeightErrors.truncated(path, key, kerasPath, expectedShape, "its " + e.dtype() + " data lies "
          + "at bytes " + from + ".." + to + " but the file ends at byte " + fileSize, null);
    }
    long count = e.elements();
    long size = e.end() - e.begin(); // count * width, checked when the header was read
    if (count > Integer.MAX_VALUE - 8 || size > Integer.MAX_VALUE) {
      throw WeightErrors.unreadable(path, key, kerasPath, expectedShape, "it has " + count + " elements ("
          + size + " bytes), more than one Java array or mapping holds", null);
    }
    int n = (int) count;
    ByteBuffer bytes;
    try {
      bytes = channel.map(FileChannel.MapMode.READ_ONLY, from, size).order(ByteOrder.LITTLE_ENDIAN);
    } catch (IOException | IllegalArgumentException ex) {
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
  public void requireComplete() {
    for (Entry e : entries.values()) {
      if (inFile(e.end()) > fileSize) {
        throw new PresetException(null, path + " is truncated: tensor " + e.key() + " (" + e.dtype()
            + ", shape " + WeightErrors.shape(e.shape()) + ") lies at bytes " + inFile(e.begin())
            + ".." + inFile(e.end()) + " but the file ends at byte " + fileSize + ". The file is "
            + "incomplete (an interrupted download or copy); download or copy it again.");
      }
    }
  }

  /** Offset {@code dataOffset} of the data as an offset in the file, {@link Long#MAX_VALUE} past that. */
  private long inFile(long dataOffset) {
    long at = dataStart + dataOffset;
    return at < dataOffset ? Long.MAX_VALUE : at;
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
  public static float halfToFloat(short half) {
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
