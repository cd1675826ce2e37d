package dev.bertgen.presets.hub;

import dev.bertgen.presets.PresetException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A Kaggle Models handle, {@code kaggle://owner/model/framework/variation[/version]}, as kagglehub
 * parses it (four or five segments; the version a positive integer, the latest when absent).
 *
 * @param version the version, or {@code null} for the latest
 */
public record KaggleHandle(String owner, String model, String framework, String variation, Integer version) {
  private static final Pattern SLUG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-]*");
  public static final String PREFIX = "kaggle://";
  static final String FORM = "kaggle://{owner}/{model}/{framework}/{variation}[/{version}], for example "
      + "kaggle://keras/bert/keras/bert_tiny_en_uncased/3 (or without /3 for the latest version)";

  public KaggleHandle {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(framework, "framework");
    Objects.requireNonNull(variation, "variation");
  }

  /**
   * Parses {@code kaggle://...}.
   *
   * @throws PresetException naming the input and the expected form when it is malformed
   */
  public static KaggleHandle parse(String uri) {
    String rest = uri.substring(uri.indexOf("://") + 3);
    String[] parts = rest.split("/", -1);
    if (parts.length != 4 && parts.length != 5) {
      throw malformed(uri, "it has " + parts.length + " segment" + (parts.length == 1 ? "" : "s") + " after "
          + "kaggle:// but a Kaggle model handle has 4 (latest version) or 5");
    }
    for (int i = 0; i < 4; i++) {
      if (!SLUG.matcher(parts[i]).matches()) {
        throw malformed(uri, parts[i].isEmpty() ? "segment " + (i + 1) + " is empty"
            : "segment " + (i + 1) + " \"" + parts[i] + "\" is not a Kaggle slug (letters, digits, '_', '-', '.')");
      }
    }
    Integer version = null;
    if (parts.length == 5) {
      try {
        version = Integer.parseInt(parts[4]);
      } catch (NumberFormatException e) {
        version = -1;
      }
      if (version <= 0) {
        throw malformed(uri, "the version \"" + parts[4] + "\" is not a positive integer");
      }
    }
    return new KaggleHandle(parts[0], parts[1], parts[2], parts[3], version);
  }

  private static PresetException malformed(String uri, String why) {
    return new PresetException(null, "malformed Kaggle handle \"" + uri + "\": " + why + ". Use " + FORM);
  }

  public boolean isVersioned() {
    return version != null;
  }

  public KaggleHandle withVersion(int value) {
    return new KaggleHandle(owner, model, framework, variation, value);
  }

  /** {@code owner/model/framework/variation}. */
  String path() {
    return owner + "/" + model + "/" + framework + "/" + variation;
  }

  /** The model's page on kaggle.com, for messages. */
  String webPage() {
    return "https://www.kaggle.com/models/" + path() + (version == null ? "" : "/" + version);
  }

  @Override
  public String toString() {
    return PREFIX + path() + (version == null ? "" : "/" + version);
  }
}
