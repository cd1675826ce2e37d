package dev.bertgen.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * What an Adam optimizer carries from one step to the next: the step count (which also places the
 * learning-rate schedule) and the two moment estimates over every parameter, in the model's arena
 * order. Saved next to a checkpoint's weights, it lets {@code fit} resume exactly where it stopped
 * ({@code BertMaskedLM.optimizerState()} / {@code setOptimizerState}).
 *
 * @param iterations optimizer updates taken so far (keras' {@code optimizer.iterations})
 * @param firstMoments Adam's {@code m}, one per parameter
 * @param secondMoments Adam's {@code v}, one per parameter
 */
public record OptimizerState(long iterations, float[] firstMoments, float[] secondMoments) {

  private static final byte[] MAGIC = "BGADAM01".getBytes(StandardCharsets.US_ASCII);
  private static final int HEADER = MAGIC.length + Long.BYTES + Integer.BYTES;

  public OptimizerState {
    Objects.requireNonNull(firstMoments, "firstMoments");
    Objects.requireNonNull(secondMoments, "secondMoments");
    if (iterations < 0) {
      throw new IllegalArgumentException("iterations must be >= 0, got " + iterations);
    }
    if (firstMoments.length != secondMoments.length) {
      throw new IllegalArgumentException("the two moments differ in length: " + firstMoments.length + " and "
          + secondMoments.length);
    }
  }

  /** Number of parameters the moments cover. */
  public int size() {
    return firstMoments.length;
  }

  /**
   * Writes this state to {@code file} (little-endian floats with a CRC-32), through a temporary file
   * renamed into place, so an existing file is never left half-written.
   */
  public void save(Path file) {
    int n = size();
    ByteBuffer b = ByteBuffer.allocate(HEADER + 2 * n * Float.BYTES + Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.put(MAGIC).putLong(iterations).putInt(n);
    b.asFloatBuffer().put(firstMoments).put(secondMoments);
    b.position(HEADER + 2 * n * Float.BYTES);
    CRC32 crc = new CRC32();
    crc.update(b.array(), 0, b.position());
    b.putLong(crc.getValue());
    Path absolute = file.toAbsolutePath();
    Path tmp = absolute.resolveSibling(absolute.getFileName() + ".tmp");
    try {
      Files.createDirectories(absolute.getParent());
      Files.write(tmp, b.array());
      try {
        Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the optimizer state " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads a state written by {@link #save}.
   *
   * @throws IllegalArgumentException when the file is not such a state, or is truncated or corrupted, naming it
   * @throws UncheckedIOException when it cannot be read
   */
  public static OptimizerState load(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("no optimizer state at " + file + "; resume from a checkpoint that "
          + "has one, or start a new run", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the optimizer state " + file + ": " + e.getMessage(), e);
    }
    if (bytes.length < HEADER + Long.BYTES || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
      throw new IllegalArgumentException(file + " is not a BertGen optimizer state (no BGADAM01 header); "
          + "delete it to restart the optimizer from zero");
    }
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    b.position(MAGIC.length);
    long iterations = b.getLong();
    int n = b.getInt();
    long expected = (long) HEADER + 2L * n * Float.BYTES + Long.BYTES;
    if (n < 0 || bytes.length != expected) {
      throw new IllegalArgumentException(file + " is truncated or padded: " + bytes.length + " bytes where "
          + n + " parameters need " + expected + "; delete it to restart the optimizer from zero");
    }
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, (int) expected - Long.BYTES);
    b.position((int) expected - Long.BYTES);
    if (b.getLong() != crc.getValue()) {
      throw new IllegalArgumentException(file + " is corrupted (CRC-32 mismatch); delete it to restart the "
          + "optimizer from zero");
    }
    float[] first = new float[n];
    float[] second = new float[n];
    b.position(HEADER);
    b.asFloatBuffer().get(first).get(second);
    return new OptimizerState(iterations, first, second);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OptimizerState s && s.iterations == iterations && Arrays.equals(s.firstMoments, firstMoments)
        && Arrays.equals(s.secondMoments, secondMoments);
  }

  @Override
  public int hashCode() {
    return Objects.hash(iterations, Arrays.hashCode(firstMoments), Arrays.hashCode(secondMoments));
  }

  @Override
  public String toString() {
    return "OptimizerState[iterations=" + iterations + ", parameters=" + size() + "]";
  }
}
