package dev.bertgen.presets.formats;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bertgen.presets.PresetException;
import dev.bertgen.presets.RegularFiles;
import java.nio.file.Path;

/**
 * The formats of preset directories BertGen reads, told apart by {@code config.json} as keras-hub
 * tells them apart: {@code registered_name} marks a keras-hub preset, {@code model_type} a Hugging
 * Face checkpoint.
 */
public enum PresetFormat {
  /** keras-hub's {@code save_to_preset}: config.json with {@code registered_name}. */
  KERAS_HUB,
  /** Hugging Face's {@code save_pretrained}: config.json with {@code model_type} "bert". */
  HUGGING_FACE;

  /**
   * Reads {@code dir/config.json} and makes the reader of its format.
   *
   * @throws PresetException when there is no config.json (or it is not a regular file), or it is
   *     neither format, or it is a Hugging Face model other than BERT
   */
  public static PresetReader open(Path dir) {
    Path file = dir.resolve("config.json");
    if (!RegularFiles.exists(file)) {
      throw new PresetException(null, dir + " has no config.json, so it is not a preset directory: a "
          + "keras-hub preset (save_to_preset) and a Hugging Face checkpoint (save_pretrained) both have "
          + "one. Pass the directory that holds config.json and the weights");
    }
    JsonNode config = JsonFiles.read(file);
    if (config == null || !config.isObject()) {
      throw new PresetException(null, file + " is not a JSON object");
    }
    return switch (detect(config, file)) {
      case KERAS_HUB -> new KerasPresetReader(dir, config);
      case HUGGING_FACE -> new HuggingFaceReader(dir, config);
    };
  }

  /**
   * The format of a parsed {@code config.json}.
   *
   * @throws PresetException when it is neither format, or a Hugging Face model other than BERT
   */
  static PresetFormat detect(JsonNode config, Path file) {
    if (config.has("registered_name")) {
      return KERAS_HUB;
    }
    if (config.has("model_type")) {
      String type = config.path("model_type").asText("");
      if (type.equals("bert")) {
        return HUGGING_FACE;
      }
      throw new PresetException(null, file + " is a Hugging Face \"" + type + "\" model; BertGen loads "
          + "model_type \"bert\" checkpoints (and keras-hub BERT presets)");
    }
    if (config.has("architecture")) {
      throw new PresetException(null, file + " is a timm model (it has \"architecture\"); BertGen loads "
          + "keras-hub BERT presets and Hugging Face BERT checkpoints");
    }
    throw new PresetException(null, file + " is neither a keras-hub preset config (it has no "
        + "\"registered_name\") nor a Hugging Face config (it has no \"model_type\"); BertGen loads "
        + "keras-hub BERT presets and Hugging Face BERT checkpoints");
  }
}
