package dev.bertgen.examples.app;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.bertgen.models.BertMaskedLM;
import dev.bertgen.training.EpochTotals;
import dev.bertgen.training.OptimizerState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The last checkpoint of a {@code train} run, in {@code OUTPUT/checkpoint}: the model as a keras-hub
 * preset, Adam's state ({@code optimizer.bin}) and where the run stood ({@code training_state.json}).
 * A checkpoint is written whole into {@code checkpoint.partial} and swapped in by renames, so a run
 * killed at any moment leaves a complete checkpoint (the new one, or the previous one in
 * {@code checkpoint.old}). Each carries {@link OutputFolder#MARKER}; a folder at one of these names that
 * holds anything else than a checkpoint's files is never deleted or replaced.
 */
public final class Checkpoint {
  private Checkpoint() {}

  public static final String DIR = "checkpoint";
  public static final String STATE = "training_state.json";
  public static final String OPTIMIZER = "optimizer.bin";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /**
   * Where a run stands and the settings it was started with (a resumed run must keep them).
   *
   * @param epoch the epoch to continue in (0-based)
   * @param step the step within {@code epoch} to continue at
   * @param totals the sums behind the running metrics of {@code epoch} up to {@code step} (absent in
   *     checkpoints written before they were kept: the resumed epoch then reports its own batches)
   */
  record State(String preset, boolean fromScratch, String data, int lines, int epochs, int batchSize,
      int sequenceLength, int maskSlots, double learningRate, long seed, int epoch, int step, long iterations,
      boolean finished, EpochTotals totals) {}

  /** The folder of the newest complete checkpoint under {@code output}, or {@code null}. */
  public static Path find(Path output) {
    for (String name : new String[] {DIR, DIR + ".old"}) {
      Path dir = output.resolve(name);
      if (Files.isRegularFile(dir.resolve(STATE)) && Files.isRegularFile(dir.resolve(OPTIMIZER))) {
        return dir;
      }
    }
    return null;
  }

  static State readState(Path dir) {
    return readState(dir, State.class);
  }

  /** The run state of a checkpoint, as {@code type} (each training command has its own). */
  public static <T> T readState(Path dir, Class<T> type) {
    Path file = dir.resolve(STATE);
    try {
      return JSON.readValue(file.toFile(), type);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + " (" + e.getMessage().lines().findFirst().orElse("")
          + "); delete the folder " + dir + " to start over", e);
    }
  }

  /** Writes a complete checkpoint and swaps it in for the previous one. */
  static Path save(BertMaskedLM mlm, State state, Path output) {
    return save(mlm::saveToPreset, mlm::optimizerState, state, output);
  }

  /** Writes a complete checkpoint of any model ({@code saveToPreset}, its optimizer) and swaps it in. */
  public static Path save(java.util.function.Consumer<Path> saveToPreset,
      java.util.function.Supplier<dev.bertgen.training.OptimizerState> optimizer, Object state, Path output) {
    Path partial = output.resolve(DIR + ".partial");
    Path current = output.resolve(DIR);
    Path old = output.resolve(DIR + ".old");
    // only BertGen's own checkpoints are deleted or replaced (OutputFolder checked them at start; a
    // file copied in since is found here)
    OutputFolder.requireOwnCheckpoint(partial);
    OutputFolder.requireOwnCheckpoint(current);
    OutputFolder.requireOwnCheckpoint(old);
    try {
      deleteRecursively(partial);
      saveToPreset.accept(partial);
      optimizer.get().save(partial.resolve(OPTIMIZER));
      JSON.writeValue(partial.resolve(STATE).toFile(), state);
      OutputFolder.writeMarker(partial, OutputFolder.Kind.CHECKPOINT);
      deleteRecursively(old);
      if (Files.exists(current)) {
        Files.move(current, old, StandardCopyOption.ATOMIC_MOVE);
      }
      Files.move(partial, current, StandardCopyOption.ATOMIC_MOVE);
      deleteRecursively(old);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the checkpoint in " + output + ": " + e.getMessage(), e);
    }
    return current;
  }

  public static OptimizerState optimizer(Path dir) {
    return OptimizerState.load(dir.resolve(OPTIMIZER));
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }
}
