package dev.bertgen.processor.validate;

import dev.bertgen.processor.parse.AnnotationSite;
import java.util.Map;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.util.Elements;

/**
 * Maps a preset schema field ({@code backbone.num_heads}, {@code preprocessor.sequence_length},
 * ...) to the annotation and value that set it, so errors point at what the user wrote.
 */
public final class FieldSites {
  /** Schema fields of {@code @TokenizerSpec} members whose names are not the camel case of the field. */
  private static final Map<String, String> TOKENIZER_MEMBERS = Map.of(
      "special_tokens.cls", "clsToken",
      "special_tokens.sep", "sepToken",
      "special_tokens.pad", "padToken",
      "special_tokens.mask", "maskToken");

  /** Where an error goes: the annotation, and the value when the user wrote one. */
  public record Site(AnnotationMirror mirror, AnnotationValue value) {}

  private final AnnotationSite declaration;
  private final AnnotationSite spec;
  private final AnnotationSite overrides;
  private final Elements elements;

  /**
   * @param declaration the {@code @BertPreset} or {@code @BertSpec}
   * @param spec the {@code @BertSpec}, or {@code null}
   * @param overrides the {@code @BertOverrides}, or {@code null}
   */
  public FieldSites(AnnotationSite declaration, AnnotationSite spec, AnnotationSite overrides,
      Elements elements) {
    this.declaration = declaration;
    this.spec = spec;
    this.overrides = overrides;
    this.elements = elements;
  }

  public Site of(String field) {
    if (field.startsWith("preprocessor.") && overrides != null) {
      String member = camel(field.substring("preprocessor.".length()));
      return new Site(overrides.mirror(), overrides.explicit(member));
    }
    if (spec != null) {
      if (field.equals("name")) {
        return new Site(spec.mirror(), spec.explicit("presetName"));
      }
      if (field.startsWith("backbone.")) {
        return new Site(spec.mirror(), spec.explicit(camel(field.substring("backbone.".length()))));
      }
      if (field.startsWith("tokenizer.")) {
        AnnotationValue tokenizerValue = spec.explicit("tokenizer");
        if (tokenizerValue == null) {
          return new Site(spec.mirror(), null);
        }
        AnnotationSite tokenizer = spec.nested("tokenizer", elements);
        String sub = field.substring("tokenizer.".length());
        String member = TOKENIZER_MEMBERS.getOrDefault(sub, camel(sub));
        AnnotationValue v = tokenizer.explicit(member);
        return v == null ? new Site(spec.mirror(), tokenizerValue) : new Site(tokenizer.mirror(), v);
      }
    }
    return new Site(declaration.mirror(), null);
  }

  /** {@code num_heads} → {@code numHeads}. */
  static String camel(String snake) {
    StringBuilder sb = new StringBuilder();
    boolean up = false;
    for (char c : snake.toCharArray()) {
      if (c == '_' || c == '.') {
        up = true;
      } else {
        sb.append(up ? Character.toUpperCase(c) : c);
        up = false;
      }
    }
    return sb.toString();
  }
}
