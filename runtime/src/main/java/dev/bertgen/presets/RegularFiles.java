package dev.bertgen.presets;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The check made before any file of a preset is opened: it must be a regular file. A named pipe
 * (FIFO) would block the reader for ever, a device ({@code /dev/zero}, {@code /dev/random}) would
 * never end, and a directory cannot be read; none of them is a file a preset can have. A symbolic link
 * to a regular file is a regular file here (huggingface_hub's cache links each file of a snapshot to
 * its blob).
 *
 * <p>Used by the preset readers and by the tokenizer files ({@code TokenizerFiles}); the check comes
 * before the file is opened, so nothing can block.
 */
public final class RegularFiles {
  private RegularFiles() {}

  /**
   * Whether {@code file} is there.
   *
   * @return true when it is a regular file (directly or through symbolic links), false when nothing
   *     is there (a dangling symbolic link is nothing)
   * @throws PresetException naming the file when something else is there: a named pipe, a device,
   *     a socket or a directory
   */
  public static boolean exists(Path file) {
    if (Files.isRegularFile(file)) {
      return true;
    }
    if (!Files.exists(file)) {
      return false;
    }
    throw notRegular(file);
  }

  /**
   * Refuses {@code file} unless it is a regular file; a missing file is left to the caller's open,
   * which names it.
   *
   * @throws PresetException naming the file when it is a named pipe, a device, a socket or a directory
   */
  public static void require(Path file) {
    if (!Files.isRegularFile(file) && Files.exists(file)) {
      throw notRegular(file);
    }
  }

  private static PresetException notRegular(Path file) {
    return new PresetException(null, file + " is " + kind(file) + ", not a regular file; every file of a "
        + "preset must be a regular file (or a symbolic link to one). Replace it with the preset's file: "
        + "copy or download the preset again");
  }

  /** What is at {@code file}, in words. */
  private static String kind(Path file) {
    if (Files.isDirectory(file)) {
      return "a directory";
    }
    String how = Files.isSymbolicLink(file) ? " (through a symbolic link)" : "";
    try {
      Object mode = Files.getAttribute(file, "unix:mode");
      if (mode instanceof Integer m) {
        String what = switch (m & 0170000) {
          case 0010000 -> "a named pipe (FIFO)";
          case 0020000 -> "a character device";
          case 0060000 -> "a block device";
          case 0140000 -> "a socket";
          default -> "a special file";
        };
        return what + how;
      }
    } catch (UnsupportedOperationException | IllegalArgumentException | java.io.IOException e) {
      // no unix attributes here: say less
    }
    return "a special file (a named pipe, a device or a socket)" + how;
  }
}
