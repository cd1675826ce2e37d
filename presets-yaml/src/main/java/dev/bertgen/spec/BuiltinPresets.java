package dev.bertgen.spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The presets and vocabularies shipped in {@code bertgen-presets}: YAML files under
 * {@value #DIRECTORY}, listed in {@value #INDEX}, and vocabularies under {@value #VOCAB_DIRECTORY}.
 */
public final class BuiltinPresets {
  private BuiltinPresets() {}

  /** Class-path folder of the preset files. */
  public static final String DIRECTORY = "dev/bertgen/presets/";
  /** Class-path file listing the preset names, one per line. */
  public static final String INDEX = DIRECTORY + "index.txt";
  /** Class-path folder of bundled vocabularies ({@code <id>.txt}, one token per line). */
  public static final String VOCAB_DIRECTORY = DIRECTORY + "vocab/";
  /** Class-path file listing the bundled vocabulary IDs. */
  public static final String VOCAB_INDEX = VOCAB_DIRECTORY + "index.txt";

  private static final Map<String, PresetYaml.Result> PRESETS = new ConcurrentHashMap<>();
  private static final Map<String, Optional<List<String>>> VOCABS = new ConcurrentHashMap<>();

  /** Names of the built-in presets, in index order. */
  public static List<String> names() {
    return Holder.NAMES;
  }

  /** IDs of the bundled vocabularies. */
  public static List<String> bundledVocabularyIds() {
    return Holder.VOCAB_IDS;
  }

  /** True for the name of a built-in preset. */
  public static boolean exists(String name) {
    return names().contains(name);
  }

  /** Class-path location of a built-in preset's YAML file. */
  public static String resourceOf(String name) {
    return DIRECTORY + name + ".yaml";
  }

  /** The parse of a built-in preset's YAML file, or empty for an unknown name. */
  public static Optional<PresetYaml.Result> read(String name) {
    if (!exists(name)) {
      return Optional.empty();
    }
    return Optional.of(PRESETS.computeIfAbsent(name,
        n -> PresetYaml.parse(resourceOf(n), readResource(resourceOf(n)))));
  }

  /**
   * A built-in preset.
   *
   * @throws IllegalArgumentException for an unknown name, naming the closest ones
   */
  public static PresetSpec get(String name) {
    PresetYaml.Result r = read(name).orElseThrow(() -> new IllegalArgumentException(unknownMessage(name)));
    if (!r.ok()) {
      throw new IllegalStateException("built-in preset " + name + " is invalid (a BertGen bug):\n"
          + r.describeProblems());
    }
    return r.spec();
  }

  /** {@code [BertUnknownPreset] Unknown preset "x"; did you mean "y"? Known: ...}. */
  public static String unknownMessage(String name) {
    return Diagnostic.UNKNOWN_PRESET.tag() + " Unknown preset \"" + name + "\""
        + Suggestions.didYouMean(name, names()) + " Known presets: " + String.join(", ", names());
  }

  /** A bundled vocabulary's tokens (cached), or empty for an unknown ID. */
  public static Optional<List<String>> bundledVocabulary(String id) {
    return VOCABS.computeIfAbsent(id, k -> {
      if (!Holder.VOCAB_IDS.contains(k)) {
        return Optional.empty();
      }
      String text = readResource(VOCAB_DIRECTORY + k + ".txt");
      return Optional.of(Collections.unmodifiableList(lines(text, false)));
    });
  }

  /** Reads a class-path resource of this artifact as UTF-8. */
  static String readResource(String path) {
    ClassLoader cl = BuiltinPresets.class.getClassLoader();
    try (InputStream in = cl == null ? ClassLoader.getSystemResourceAsStream(path) : cl.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("bertgen-presets resource " + path + " is missing from the class "
            + "path; is the bertgen-presets jar complete?");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read bertgen-presets resource " + path, e);
    }
  }

  /** Lines of a text; with {@code skipComments}, blank lines and lines starting with '#' are dropped. */
  private static List<String> lines(String text, boolean skipComments) {
    List<String> out = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new java.io.StringReader(text))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (skipComments) {
          line = line.strip();
          if (line.isEmpty() || line.startsWith("#")) {
            continue;
          }
        }
        out.add(line);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** Loaded once, on first use. */
  private static final class Holder {
    static final List<String> NAMES = List.copyOf(lines(readResource(INDEX), true));
    static final List<String> VOCAB_IDS = List.copyOf(lines(readResource(VOCAB_INDEX), true));
  }

  /** Opens a bundled vocabulary file, for callers that stream it. */
  public static InputStream openBundledVocabulary(String id) {
    if (!Holder.VOCAB_IDS.contains(id)) {
      throw new IllegalArgumentException("no bundled vocabulary \"" + id + "\"; bundled: " + Holder.VOCAB_IDS);
    }
    String path = VOCAB_DIRECTORY + id + ".txt";
    ClassLoader cl = BuiltinPresets.class.getClassLoader();
    InputStream in = cl == null ? ClassLoader.getSystemResourceAsStream(path) : cl.getResourceAsStream(path);
    if (in == null) {
      throw new IllegalStateException("bertgen-presets resource " + path + " is missing");
    }
    return new java.io.BufferedInputStream(in);
  }
}
