package dev.bertgen.testing;

import dev.bertgen.presets.hub.HubSettings;
import dev.bertgen.presets.hub.KaggleFiles;
import dev.bertgen.presets.hub.KaggleHandle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Puts a preset into kagglehub's cache as kagglehub leaves a downloaded model version, so that a
 * {@code kaggle://} handle (or the built-in name whose YAML has that handle) loads offline:
 * {@code <cache>/models/owner/model/framework/variation/N/} with the preset's files and the whole-version
 * marker {@code .../variation/N.complete}.
 */
public final class KaggleCacheFixtures {
  private KaggleCacheFixtures() {}

  /** Hub settings with caches under {@code home} (nothing from the environment) and the network forbidden. */
  public static HubSettings offlineHub(Path home) {
    return HubSettings.fromEnvironment(Map.of(), home).withOffline(true);
  }

  /**
   * Copies every file of {@code preset} into {@code hub}'s kagglehub cache as version N of
   * {@code handle} ({@code kaggle://owner/model/framework/variation/N}, versioned) and marks the version
   * complete.
   *
   * @return the version directory in the cache
   */
  public static Path install(HubSettings hub, String handle, Path preset) {
    KaggleHandle h = KaggleHandle.parse(handle);
    if (!h.isVersioned()) {
      throw new IllegalArgumentException(handle + " has no version; a cached model version needs one");
    }
    Path model = KaggleFiles.modelDir(hub, h);
    Path version = model.resolve(String.valueOf(h.version()));
    try {
      copyTree(preset, version);
      Files.writeString(model.resolve(h.version() + ".complete"), "");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return version;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          Files.copy(p, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
