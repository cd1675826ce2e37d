package dev.bertgen.processor.parse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.processing.Filer;
import javax.tools.FileObject;
import javax.tools.JavaFileManager;
import javax.tools.StandardLocation;

/**
 * Finds the YAML file of {@code @BertPreset(resource = ...)}: in the source path, then the class
 * output (where Maven copies {@code src/main/resources} before compiling), then the compile class
 * path (a dependency jar).
 */
public final class PresetSources {
  private static final List<JavaFileManager.Location> LOCATIONS = List.of(
      StandardLocation.SOURCE_PATH, StandardLocation.CLASS_OUTPUT, StandardLocation.CLASS_PATH);

  private final Filer filer;

  public PresetSources(Filer filer) {
    this.filer = filer;
  }

  /** A found file's text, or the places looked. */
  public sealed interface Result {}

  /** @param text the file's text @param where the location it was found in, for messages */
  public record Found(String text, String where) implements Result {}

  /** @param looked every place looked, for the error message */
  public record NotFound(List<String> looked) implements Result {}

  public Result find(String path) {
    String relative = path.startsWith("/") ? path.substring(1) : path;
    List<String> looked = new ArrayList<>();
    for (JavaFileManager.Location loc : LOCATIONS) {
      looked.add(loc.getName());
      try {
        FileObject f = filer.getResource(loc, "", relative);
        CharSequence text = f.getCharContent(true);
        return new Found(text.toString(), loc.getName());
      } catch (IOException | IllegalArgumentException | IllegalStateException e) {
        // not in this location (or the location is not set); try the next
      }
    }
    return new NotFound(List.copyOf(looked));
  }
}
