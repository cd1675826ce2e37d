package dev.bertgen.presets.hub;

import dev.bertgen.presets.PresetException;
import java.nio.file.Path;

/**
 * The files of one preset, fetched on demand into one local folder: a directory as it is, a Kaggle
 * model version in kagglehub's cache, or a Hugging Face repository snapshot in huggingface_hub's
 * cache. keras-hub also fetches preset files one at a time ({@code get_file}), probing optional ones,
 * so the same files are fetched and the caches end up as Python leaves them.
 */
public interface PresetFiles {

  /** The source as the user wrote it, resolved (a built-in name shows its handle), for messages. */
  String describe();

  /** A name for the preset, for a spec made from its files. */
  default String name() {
    Path n = directory().toAbsolutePath().normalize().getFileName();
    return n == null ? "" : n.toString();
  }

  /** The local folder holding the files fetched so far. */
  Path directory();

  /**
   * Makes {@code relative} (e.g. {@code assets/tokenizer/vocabulary.txt}) present in
   * {@link #directory()} when the preset has it.
   *
   * @param required whether the preset cannot be loaded without it
   * @return true when it is there now; false when the preset has no such file (or, for an optional
   *     file, when whether it has one cannot be found out offline)
   * @throws PresetException when a required file is missing or cannot be had, naming every place
   *     looked and the fix; or when a download fails
   */
  boolean fetch(String relative, boolean required);
}
