package dev.bertgen.examples.app;

import dev.bertgen.examples.app.BertGenApp.UserException;
import dev.bertgen.models.BertMaskedLM;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The {@code --output} folder of {@code train} and {@code demo}, and the rule that keeps the app from
 * deleting or replacing anything it did not write: every folder BertGen creates there (the output
 * folder itself, {@code checkpoint}, {@code checkpoint.partial}, {@code checkpoint.old}, {@code preset})
 * gets a small marker file, {@code .bertgen}, saying what it is; and a folder is only ever replaced or
 * deleted when it holds nothing but the files BertGen writes into it. So an output folder is accepted
 * at start, before any model is loaded, when it is new, empty, or holds exactly what the same command
 * writes (with or without markers: outputs of versions that wrote none are recognized by their layout);
 * anything else is refused with the path that is in the way.
 */
public final class OutputFolder {

  /** The marker file of every folder BertGen creates. */
  public static final String MARKER = ".bertgen";

  /** What a folder BertGen writes is. */
  public enum Kind {
    TRAIN("bertgen train", "bertgen train output"),
    TRAIN_CLASSIFIER("bertgen train-classifier", "bertgen train-classifier output"),
    DEMO("bertgen demo", "bertgen demo output"),
    /** bertgen-spark's data-parallel training (module bertgen-spark). */
    SPARK_TRAIN("bertgen-spark", "bertgen-spark train output"),
    CHECKPOINT(null, "bertgen checkpoint"),
    PRESET(null, "bertgen preset");

    /** The command whose output folder this is ({@code bertgen train}, {@code bertgen-spark}), or null. */
    final String command;
    /** The marker's line. */
    final String marker;

    Kind(String command, String marker) {
      this.command = command;
      this.marker = marker;
    }

    /** Whether this command's output folder holds checkpoints. */
    boolean checkpoints() {
      return this == TRAIN || this == TRAIN_CLASSIFIER || this == SPARK_TRAIN;
    }
  }

  /** The files of a keras-hub preset as {@code saveToPreset} writes them, relative to its folder. */
  private static final Set<String> PRESET_FILES = Set.of("config.json", "model.weights.h5", "task.json",
      "task.weights.h5", "preprocessor.json", "tokenizer.json", "metadata.json", "assets/tokenizer/vocabulary.txt",
      "class_names.txt");
  private static final Set<String> PRESET_FOLDERS = Set.of("assets", "assets/tokenizer");
  /** A checkpoint: a preset, Adam's state and where the run stood. */
  private static final Set<String> CHECKPOINT_FILES = union(PRESET_FILES, Checkpoint.OPTIMIZER, Checkpoint.STATE);
  /** Beside a preset {@code X}, saveToPreset's lock, its half-written copy and the one it replaces. */
  private static final List<String> PRESET_WRITER_FILES = List.of(".%s.bertgen-lock", ".%s.bertgen-new.complete");
  private static final List<String> PRESET_WRITER_FOLDERS = List.of(".%s.bertgen-new", ".%s.bertgen-old");

  public static final String PRESET = "preset";
  static final String LOSS_CURVE = "loss-curve.png";

  private final String option;
  private final Path dir;
  private final Kind kind;

  private OutputFolder(String option, Path dir, Kind kind) {
    this.option = option;
    this.dir = dir;
    this.kind = kind;
  }

  /**
   * Checks, without writing anything, that {@code dir} is new, empty or the output of this command.
   *
   * @param kind {@link Kind#TRAIN} or {@link Kind#DEMO}
   * @throws UserException naming what is in the way and the fix
   */
  public static OutputFolder check(String option, Path dir, Kind kind) {
    if (dir.toString().isEmpty()) {
      throw new UserException(option + " is empty; give a folder for the output (a new or empty one)");
    }
    OutputFolder folder = new OutputFolder(option, dir, kind);
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !Files.exists(dir)) {
      for (Path up = dir.toAbsolutePath().getParent(); up != null; up = up.getParent()) {
        if (Files.exists(up)) {
          if (!Files.isDirectory(up)) {
            throw new UserException(option + " " + dir + " cannot be created: " + up + " is a file; choose another "
                + option);
          }
          break;
        }
      }
      return folder;
    }
    if (!Files.isDirectory(dir)) {
      throw new UserException(option + " " + dir + " is a file; give a folder (choose another " + option + ")");
    }
    Path marker = dir.resolve(MARKER);
    if (Files.exists(marker, LinkOption.NOFOLLOW_LINKS)) {
      String says = markerKind(marker);
      if (!kind.marker.equals(says)) {
        throw new UserException(option + " " + dir + " is " + (says == null ? "not a folder BertGen wrote ("
            + marker + " is not its marker)" : "a " + says) + ", which " + kind.command + " does not write "
            + "into; choose another " + option);
      }
    }
    Path stranger = folder.firstStranger();
    if (stranger != null) {
      throw folder.refusal(stranger);
    }
    return folder;
  }

  /**
   * Creates the folder (and its parents) and marks it as this command's output.
   *
   * @throws UserException when it cannot be written
   */
  public void create() {
    try {
      Files.createDirectories(dir);
      writeMarker(dir, kind);
    } catch (IOException | SecurityException e) {
      throw new UserException(option + " " + dir + " cannot be written (" + reason(e) + "); choose another "
          + option + ", a folder you can write");
    }
  }

  /** Saves {@code mlm} as a preset in {@code OUTPUT/preset}, which must be BertGen's or absent. */
  Path savePreset(BertMaskedLM mlm) {
    return savePreset(mlm::saveToPreset);
  }

  /** Saves a model ({@code saveToPreset}) as a preset in {@code OUTPUT/preset}, which must be BertGen's or absent. */
  public Path savePreset(java.util.function.Consumer<Path> saveToPreset) {
    Path preset = dir.resolve(PRESET);
    requireOwn(preset, PRESET_FILES, PRESET_FOLDERS);
    saveToPreset.accept(preset);
    try {
      writeMarker(preset, Kind.PRESET);
    } catch (IOException e) {
      throw new UserException("cannot write " + preset.resolve(MARKER) + " (" + reason(e) + "); choose another "
          + option);
    }
    return preset;
  }

  /**
   * Fails unless {@code folder} is absent or holds only the given files of BertGen's (and markers).
   *
   * @throws UserException naming the first file or folder that is not BertGen's
   */
  static void requireOwn(Path folder, Set<String> files, Set<String> folders) {
    Path stranger = strangerIn(folder, files, folders);
    if (stranger != null) {
      throw new UserException(folder + " holds " + stranger + ", which BertGen did not write and will not delete "
          + "or replace; move it away, or choose another --output");
    }
  }

  /** {@link #requireOwn} for a checkpoint folder. */
  static void requireOwnCheckpoint(Path folder) {
    requireOwn(folder, CHECKPOINT_FILES, PRESET_FOLDERS);
  }

  /** Writes {@code .bertgen} into {@code folder}: to a temporary name, then renamed. */
  static void writeMarker(Path folder, Kind kind) throws IOException {
    Path tmp = folder.resolve(MARKER + ".tmp");
    Files.writeString(tmp, kind.marker + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, folder.resolve(MARKER), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private UserException refusal(Path stranger) {
    return new UserException(option + " " + dir + " holds " + stranger + ", which BertGen did not write (an "
        + "output folder must be new, empty, or an earlier output of " + kind.command + "); choose another "
        + option + ", or move that away");
  }

  /** The first entry of the output folder that this command did not write, or null. */
  private Path firstStranger() {
    List<Path> entries;
    try (Stream<Path> list = Files.list(dir)) {
      entries = list.sorted().toList();
    } catch (IOException e) {
      throw new UserException(option + " " + dir + " cannot be read (" + reason(e) + "); choose another " + option);
    }
    List<String> presets = kind.checkpoints() ? List.of(PRESET, Checkpoint.DIR + ".partial") : List.of(PRESET);
    for (Path p : entries) {
      String name = p.getFileName().toString();
      Path stranger;
      if (isMarker(name)) {
        stranger = Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? null : p;
      } else if (name.equals(PRESET)) {
        stranger = strangerIn(p, PRESET_FILES, PRESET_FOLDERS);
      } else if (kind.checkpoints() && (name.equals(Checkpoint.DIR) || name.equals(Checkpoint.DIR + ".partial")
          || name.equals(Checkpoint.DIR + ".old"))) {
        stranger = strangerIn(p, CHECKPOINT_FILES, PRESET_FOLDERS);
      } else if (kind == Kind.DEMO && (name.equals(LOSS_CURVE) || name.equals(LOSS_CURVE + ".tmp"))) {
        stranger = Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? null : p;
      } else if (presetWriterFile(name, presets)) {
        stranger = Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? null : p;
      } else if (presetWriterFolder(name, presets)) {
        stranger = strangerIn(p, name.startsWith("." + PRESET + ".") ? PRESET_FILES : CHECKPOINT_FILES,
            PRESET_FOLDERS);
      } else {
        stranger = p;
      }
      if (stranger != null) {
        return stranger;
      }
    }
    return null;
  }

  /**
   * The first thing in {@code folder} that BertGen does not write there (or {@code folder} itself when it
   * is not a folder), or null when it is absent or holds only {@code files}, {@code folders} and markers.
   */
  private static Path strangerIn(Path folder, Set<String> files, Set<String> folders) {
    if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
      return null;
    }
    if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
      return folder; // a file, or a link to what may be the user's
    }
    List<Path> all;
    try (Stream<Path> walk = Files.walk(folder)) {
      all = walk.sorted().toList();
    } catch (IOException e) {
      return folder;
    }
    for (Path p : all) {
      String rel = folder.relativize(p).toString().replace('\\', '/');
      if (rel.isEmpty()) {
        continue;
      }
      boolean own = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? folders.contains(rel)
          : Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && (files.contains(rel) || isMarker(rel));
      if (!own) {
        return p;
      }
    }
    return null;
  }

  private static boolean isMarker(String name) {
    return name.equals(MARKER) || name.equals(MARKER + ".tmp");
  }

  private static boolean presetWriterFile(String name, List<String> targets) {
    return targets.stream().anyMatch(t -> PRESET_WRITER_FILES.stream().anyMatch(f -> name.equals(f.formatted(t))));
  }

  private static boolean presetWriterFolder(String name, List<String> targets) {
    return targets.stream().anyMatch(t -> PRESET_WRITER_FOLDERS.stream().anyMatch(f -> name.equals(f.formatted(t))));
  }

  /** What the marker says (its first line), or null when it cannot be read. */
  private static String markerKind(Path marker) {
    try {
      if (!Files.isRegularFile(marker, LinkOption.NOFOLLOW_LINKS) || Files.size(marker) > 1024) {
        return null;
      }
      return Files.readString(marker, StandardCharsets.UTF_8).lines().findFirst().map(String::strip).orElse(null);
    } catch (IOException | java.io.UncheckedIOException e) {
      return null;
    }
  }

  private static String reason(Exception e) {
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "the system refuses to create it there";
    }
    if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static Set<String> union(Set<String> a, String... more) {
    return Stream.concat(a.stream(), Stream.of(more)).collect(java.util.stream.Collectors.toUnmodifiableSet());
  }
}
