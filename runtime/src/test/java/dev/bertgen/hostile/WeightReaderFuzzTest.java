package dev.bertgen.hostile;

import static com.google.common.truth.Truth.assertWithMessage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bertgen.models.ModelState;
import dev.bertgen.models.PresetOptions;
import dev.bertgen.presets.PresetException;
import dev.bertgen.presets.loading.PresetLoader;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded fuzzing of the weight readers: valid tiny files (a keras-hub {@code model.weights.h5} and
 * {@code task.weights.h5}, a Hugging Face {@code model.safetensors}) are damaged at random (bits
 * flipped, bytes overwritten with extreme lengths and addresses, ranges cut out, files truncated or
 * extended, safetensors header fields altered and offsets shifted) and loaded. Every case must end in a
 * successful load whose weights are all finite, or a one-line {@link PresetException} naming the
 * damaged file: never another exception, an error (stack overflow, out of memory), a hang, or a NaN or
 * infinity loaded in silence (a flipped exponent bit turns a LayerNorm gamma of 1.0 into infinity).
 *
 * <p>It runs for {@code -Dbertgen.fuzz.seconds} (default {@value #DEFAULT_SECONDS}) with
 * {@code -Dbertgen.fuzz.seed} (default {@value #DEFAULT_SEED}); the cases follow from the seed alone, so
 * a failure is reproduced with the same seed and at least as many seconds. The file of the first
 * failing case is kept in {@code target/reader-fuzz-failures}.
 */
class WeightReaderFuzzTest {
  static final long DEFAULT_SEED = 42;
  static final double DEFAULT_SECONDS = 12;
  /** Far above what one load of the tiny presets takes (milliseconds): a case past it hangs. */
  private static final long CASE_TIMEOUT_SECONDS = 30;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long[] EXTREMES = {0, 1, -1, 0xff, 0xffff, 0x7fffffffL, 0xffffffffL, 0x80000000L,
      Long.MAX_VALUE, Long.MIN_VALUE, 1L << 40, 12, 4096};

  @TempDir Path tmp;

  /** One damaged file: which, how (for the report), and its bytes. */
  private record Case(int number, Path file, String mutation, byte[] bytes) {}

  @Test
  void damagedWeightFilesLoadOrFailWithOneLineNamingTheFile() throws Exception {
    long seed = Long.getLong("bertgen.fuzz.seed", DEFAULT_SEED);
    double seconds =
        Double.parseDouble(System.getProperty("bertgen.fuzz.seconds", String.valueOf(DEFAULT_SECONDS)));
    Path keras = TinyPresets.keras(tmp.resolve("keras"));
    Path hf = TinyPresets.huggingFace(tmp.resolve("hf"));
    List<Path> targets = List.of(keras.resolve("model.weights.h5"), keras.resolve("task.weights.h5"),
        hf.resolve("model.safetensors"));
    List<byte[]> originals = new ArrayList<>();
    for (Path t : targets) {
      originals.add(Files.readAllBytes(t));
    }

    Logger presetLog = Logger.getLogger(PresetLoader.LOGGER_NAME);
    Level level = presetLog.getLevel();
    presetLog.setLevel(Level.OFF); // a damaged pooler or head is a warning, thousands of times
    ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "reader-fuzz");
      t.setDaemon(true);
      return t;
    });
    Random random = new Random(seed);
    int[] perFile = new int[targets.size()];
    int loaded = 0;
    int refused = 0;
    List<String> failures = new ArrayList<>();
    long start = System.nanoTime();
    long deadline = start + (long) (seconds * 1e9);
    int n = 0;
    try {
      while (System.nanoTime() < deadline && failures.size() < 5) {
        // the safetensors reader is fast and its header has more to alter: half the cases
        int which = random.nextBoolean() ? 2 : (random.nextInt(4) == 0 ? 1 : 0);
        Path file = targets.get(which);
        Case c = mutate(n++, file, originals.get(which), random);
        perFile[which]++;
        Files.write(file, c.bytes());
        Path dir = file.getParent();
        Future<ModelState> result =
            worker.submit(() -> ModelState.load(dir.toString(), PresetOptions.defaults(), null, true));
        try {
          float[] weights = result.get(CASE_TIMEOUT_SECONDS, TimeUnit.SECONDS).weights().arena();
          int bad = firstNonFinite(weights);
          if (bad >= 0) {
            failures.add(describe(c, seed) + ": loaded, with " + weights[bad] + " at weight " + bad);
            keep(c);
          }
          loaded++;
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          String m = String.valueOf(cause.getMessage());
          if (cause instanceof PresetException && m.contains(file.toString()) && !m.contains("\n")) {
            refused++;
          } else {
            failures.add(describe(c, seed) + ": " + cause.getClass().getName() + ": "
                + (cause instanceof PresetException ? m : m.lines().findFirst().orElse("")));
            keep(c);
          }
        } catch (TimeoutException e) {
          failures.add(describe(c, seed) + ": no answer after " + CASE_TIMEOUT_SECONDS + " s (a hang)");
          keep(c);
          break; // the worker is stuck; the daemon thread dies with the JVM
        }
        Files.write(file, originals.get(which));
      }
    } finally {
      worker.shutdownNow();
      presetLog.setLevel(level);
    }
    double took = (System.nanoTime() - start) / 1e9;
    System.out.printf("reader fuzz: %d cases (%d model.weights.h5, %d task.weights.h5, %d model.safetensors), "
        + "%d loaded, %d refused with one line, %d failed, seed %d, %.1f s%n", n, perFile[0], perFile[1],
        perFile[2], loaded, refused, failures.size(), seed, took);
    assertWithMessage("damaged weight files that did not end in a load or a one-line PresetException naming "
        + "the file (rerun with -Dbertgen.fuzz.seed=" + seed + ")").that(failures).isEmpty();
  }

  private static int firstNonFinite(float[] v) {
    for (int i = 0; i < v.length; i++) {
      if (!Float.isFinite(v[i])) {
        return i;
      }
    }
    return -1;
  }

  private static String describe(Case c, long seed) {
    return "seed " + seed + " case " + c.number() + " (" + c.file().getFileName() + ", " + c.mutation() + ")";
  }

  /** Keeps the bytes of a failing case in target/reader-fuzz-failures for a closer look. */
  private static void keep(Case c) {
    try {
      Path dir = Files.createDirectories(Path.of("target", "reader-fuzz-failures"));
      Files.write(dir.resolve("case-" + c.number() + "-" + c.file().getFileName()), c.bytes());
    } catch (IOException | RuntimeException ignored) {
      // only a convenience
    }
  }

  private static Case mutate(int number, Path file, byte[] original, Random r) {
    boolean safetensors = file.getFileName().toString().endsWith(".safetensors");
    int kinds = safetensors ? 9 : 7;
    int kind = r.nextInt(kinds);
    byte[] b = original.clone();
    String what;
    switch (kind) {
      case 0 -> {
        int flips = 1 + r.nextInt(8);
        for (int i = 0; i < flips; i++) {
          int at = r.nextInt(b.length);
          b[at] ^= (byte) (1 << r.nextInt(8));
        }
        what = flips + " bits flipped anywhere";
      }
      case 1 -> {
        int region = Math.min(b.length, safetensors ? headerEnd(original) : 3072);
        int flips = 1 + r.nextInt(4);
        for (int i = 0; i < flips; i++) {
          int at = r.nextInt(region);
          b[at] ^= (byte) (1 << r.nextInt(8));
        }
        what = flips + " bits flipped in the first " + region + " bytes";
      }
      case 2 -> {
        int at = r.nextInt(b.length);
        int len = Math.min(1 + r.nextInt(16), b.length - at);
        int fill = r.nextInt(3);
        for (int i = 0; i < len; i++) {
          b[at + i] = (byte) (fill == 0 ? 0 : fill == 1 ? 0xff : r.nextInt(256));
        }
        what = len + " bytes at " + at + " set to " + (fill == 0 ? "0x00" : fill == 1 ? "0xff" : "random");
      }
      case 3 -> {
        int len = r.nextInt(b.length);
        b = Arrays.copyOf(b, len);
        what = "truncated to " + len + " bytes";
      }
      case 4 -> {
        int extra = 1 + r.nextInt(64);
        b = Arrays.copyOf(b, b.length + extra);
        for (int i = original.length; i < b.length; i++) {
          b[i] = (byte) r.nextInt(256);
        }
        what = extra + " random bytes appended";
      }
      case 5 -> {
        // a length or an address: an aligned 2-, 4- or 8-byte field set to an extreme value
        int width = new int[] {2, 4, 8}[r.nextInt(3)];
        int at = r.nextInt(Math.max(1, b.length / width)) * width;
        long value = r.nextInt(3) == 0 ? r.nextLong() : EXTREMES[r.nextInt(EXTREMES.length)];
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < width && at + i < b.length; i++) {
          bb.put(at + i, (byte) (value >>> (8 * i)));
        }
        what = width + "-byte field at " + at + " set to " + value;
      }
      case 6 -> {
        int at = r.nextInt(b.length);
        int len = Math.min(1 + r.nextInt(32), b.length - at);
        byte[] out = new byte[b.length - len];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(b, at + len, out, at, b.length - at - len);
        b = out;
        what = len + " bytes cut out at " + at;
      }
      case 7 -> {
        long delta = r.nextInt(2) == 0 ? r.nextInt(33) - 16 : EXTREMES[r.nextInt(EXTREMES.length)];
        long length = ByteBuffer.wrap(b, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        ByteBuffer.wrap(b, 0, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(length + delta);
        what = "header length changed by " + delta;
      }
      default -> {
        String[] how = new String[1];
        b = editHeader(original, r, how);
        what = "header: " + how[0];
      }
    }
    return new Case(number, file, what, b);
  }

  private static int headerEnd(byte[] safetensors) {
    long n = ByteBuffer.wrap(safetensors, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    return (int) Math.min(safetensors.length, 8 + n);
  }

  /** The file with one field of its header JSON altered (the data is kept; the header is re-padded). */
  private static byte[] editHeader(byte[] original, Random r, String[] how) {
    int end = headerEnd(original);
    ObjectNode header;
    try {
      header = (ObjectNode) JSON.readTree(new String(original, 8, end - 8, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    List<String> keys = new ArrayList<>();
    header.fieldNames().forEachRemaining(k -> {
      if (!k.equals("__metadata__")) {
        keys.add(k);
      }
    });
    String key = keys.get(r.nextInt(keys.size()));
    ObjectNode t = (ObjectNode) header.get(key);
    ArrayNode shape = (ArrayNode) t.get("shape");
    ArrayNode offsets = (ArrayNode) t.get("data_offsets");
    long begin = offsets.get(0).asLong();
    long stop = offsets.get(1).asLong();
    long shift = r.nextInt(2) == 0 ? 4L * (r.nextInt(9) - 4) : EXTREMES[r.nextInt(EXTREMES.length)];
    switch (r.nextInt(12)) {
      case 0 -> {
        String dtype = new String[] {"F16", "BF16", "F64", "I32", "I64", "U8", "BOOL", "F4", "F8_E4M3", "C64",
            "NOPE", ""}[r.nextInt(12)];
        t.put("dtype", dtype);
        how[0] = key + " dtype " + dtype;
      }
      case 1 -> {
        int i = shape.isEmpty() ? 0 : r.nextInt(shape.size());
        JsonNode v = randomNumber(r, shape.isEmpty() ? 1 : shape.get(i).asLong());
        if (shape.isEmpty()) {
          shape.add(v);
        } else {
          shape.set(i, v);
        }
        how[0] = key + " shape[" + i + "] " + v;
      }
      case 2 -> {
        if (r.nextBoolean() || shape.isEmpty()) {
          shape.add(1 + r.nextInt(3));
        } else {
          shape.remove(shape.size() - 1);
        }
        how[0] = key + " shape " + shape;
      }
      case 3 -> {
        t.putArray("data_offsets").add(begin + shift).add(stop + shift);
        how[0] = key + " data_offsets shifted by " + shift;
      }
      case 4 -> {
        JsonNode v = randomNumber(r, stop);
        t.putArray("data_offsets").add(begin).add(v);
        how[0] = key + " end " + v;
      }
      case 5 -> {
        t.putArray("data_offsets").add(stop).add(begin);
        how[0] = key + " begin and end swapped";
      }
      case 6 -> {
        // every tensor after this one shifted: gaps or overlaps in the middle of the data
        for (String k : keys) {
          ArrayNode o = (ArrayNode) header.get(k).get("data_offsets");
          if (o.get(0).asLong() >= begin) {
            ((ObjectNode) header.get(k)).putArray("data_offsets").add(o.get(0).asLong() + shift)
                .add(o.get(1).asLong() + shift);
          }
        }
        how[0] = "tensors from " + key + " on shifted by " + shift;
      }
      case 7 -> {
        String field = new String[] {"dtype", "shape", "data_offsets"}[r.nextInt(3)];
        int form = r.nextInt(4);
        switch (form) {
          case 0 -> t.remove(field);
          case 1 -> t.putNull(field);
          case 2 -> t.put(field, "x");
          default -> t.putObject(field);
        }
        how[0] = key + " " + field + " " + (new String[] {"removed", "null", "a string", "an object"}[form]);
      }
      case 8 -> {
        header.remove(key);
        how[0] = key + " removed";
      }
      case 9 -> {
        String other = keys.get(r.nextInt(keys.size()));
        header.set(other, t.deepCopy());
        how[0] = other + " given the entry of " + key;
      }
      case 10 -> {
        header.set(key, r.nextBoolean() ? JSON.getNodeFactory().numberNode(7) : JSON.createArrayNode());
        how[0] = key + " not an object";
      }
      default -> {
        ObjectNode extra = header.putObject("extra." + r.nextInt(100));
        extra.put("dtype", "F32");
        extra.putArray("shape").add(randomNumber(r, 2));
        extra.putArray("data_offsets").add(randomNumber(r, stop)).add(randomNumber(r, stop + 8));
        how[0] = "tensor added " + extra;
      }
    }
    byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
    int padded = (json.length + 7) / 8 * 8;
    ByteBuffer out = ByteBuffer.allocate(8 + padded + original.length - end).order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(padded).put(json);
    for (int i = json.length; i < padded; i++) {
      out.put((byte) ' ');
    }
    out.put(original, end, original.length - end);
    return out.array();
  }

  /** Near {@code around}, or an extreme: negative, huge, past a long, fractional, or not a number. */
  private static JsonNode randomNumber(Random r, long around) {
    var f = JSON.getNodeFactory();
    return switch (r.nextInt(8)) {
      case 0 -> f.numberNode(around + r.nextInt(9) - 4);
      case 1 -> f.numberNode(-1 - r.nextInt(4));
      case 2 -> f.numberNode(EXTREMES[r.nextInt(EXTREMES.length)]);
      case 3 -> f.numberNode(BigInteger.ONE.shiftLeft(64).add(BigInteger.valueOf(around)));
      case 4 -> f.numberNode(around + 0.5);
      case 5 -> f.textNode(String.valueOf(around));
      case 6 -> f.numberNode(1L << (31 + r.nextInt(32)));
      default -> f.numberNode(0);
    };
  }
}
