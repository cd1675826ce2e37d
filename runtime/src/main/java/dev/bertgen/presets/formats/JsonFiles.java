package dev.bertgen.presets.formats;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bertgen.presets.PresetException;
import dev.bertgen.presets.RegularFiles;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads the JSON files of a preset (config.json, tokenizer.json, ...) and their fields, with errors
 * that name the file, the key and what was expected.
 */
public final class JsonFiles {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonFiles() {}

  /**
   * The parsed contents of {@code file}.
   *
   * @throws PresetException when the file is not a regular file, cannot be read or is not JSON
   */
  public static JsonNode read(Path file) {
    RegularFiles.require(file);
    try {
      return MAPPER.readTree(Files.readString(file));
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? ""
          : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      throw new PresetException(null, file + " is not valid JSON (" + e.getOriginalMessage() + where
          + "); the file is damaged: copy or download the preset again", e);
    } catch (CharacterCodingException e) {
      throw new PresetException(null, file + " is not valid UTF-8; the file is damaged: copy or download the "
          + "preset again", e);
    } catch (IOException e) {
      throw new PresetException(null, "cannot read " + file + ": " + e, e);
    }
  }

  /**
   * The parsed contents of {@code file}, or empty when there is no such file.
   *
   * @throws PresetException as {@link #read} does, and when something other than a regular file is there
   */
  public static Optional<JsonNode> readIfExists(Path file) {
    return RegularFiles.exists(file) ? Optional.of(read(file)) : Optional.empty();
  }

  /** The object under {@code key}, or {@code null} when it is absent or JSON null. */
  public static JsonNode object(JsonNode node, String key, Path file) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isObject()) {
      throw wrongType(file, key, "an object", v);
    }
    return v;
  }

  /**
   * A required integer field.
   *
   * @throws PresetException naming the file and key when it is absent or not an integer
   */
  static int requireInt(JsonNode node, String key, Path file) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      throw new PresetException(null, file + " has no \"" + key + "\"; it is required (an integer)");
    }
    return asInt(v, key, file);
  }

  /** An optional integer field. */
  static int optInt(JsonNode node, String key, int defaultValue, Path file) {
    JsonNode v = node.get(key);
    return v == null || v.isNull() ? defaultValue : asInt(v, key, file);
  }

  /** An optional number field. */
  static double optDouble(JsonNode node, String key, double defaultValue, Path file) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return defaultValue;
    }
    if (!v.isNumber()) {
      throw wrongType(file, key, "a number", v);
    }
    return v.doubleValue();
  }

  /** An optional boolean field. */
  static boolean optBoolean(JsonNode node, String key, boolean defaultValue, Path file) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return defaultValue;
    }
    if (!v.isBoolean()) {
      throw wrongType(file, key, "true or false", v);
    }
    return v.booleanValue();
  }

  /** An optional string field; {@code null} stays {@code defaultValue}. */
  static String optString(JsonNode node, String key, String defaultValue, Path file) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return defaultValue;
    }
    if (!v.isTextual()) {
      throw wrongType(file, key, "a string", v);
    }
    return v.textValue();
  }

  private static int asInt(JsonNode v, String key, Path file) {
    if (v.isIntegralNumber() && !v.canConvertToInt()) {
      throw new PresetException(null, file + ": \"" + key + "\" is " + v.bigIntegerValue() + ", outside the "
          + "range of a Java int (" + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE + "); no BERT size is that "
          + "large: correct it");
    }
    if (!v.isIntegralNumber()) {
      throw wrongType(file, key, "an integer", v);
    }
    return v.intValue();
  }

  private static PresetException wrongType(Path file, String key, String expected, JsonNode found) {
    String shown = found.toString();
    if (shown.length() > 60) {
      shown = shown.substring(0, 57) + "...";
    }
    return new PresetException(null, file + ": \"" + key + "\" must be " + expected + ", found " + shown);
  }
}
