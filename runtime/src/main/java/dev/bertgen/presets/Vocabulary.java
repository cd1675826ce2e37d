package dev.bertgen.presets;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A WordPiece vocabulary, tokens in id order, and the file it came from.
 *
 * @param tokens token of each id
 * @param file where it was read, for messages
 */
record Vocabulary(List<String> tokens, Path file) {

  Vocabulary {
    tokens = List.copyOf(tokens);
  }

  /**
   * A vocabulary file with one token per line, the line number being the id.
   *
   * @param stripTrailingWhitespace strip each line's trailing whitespace as keras-hub does
   *     ({@code line.rstrip()}); Hugging Face strips only the line break
   * @throws PresetException when the file cannot be read or is not UTF-8
   */
  static Vocabulary fromLines(Path file, boolean stripTrailingWhitespace) {
    List<String> tokens = new ArrayList<>();
    var decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    try (BufferedReader r = new BufferedReader(
        new java.io.InputStreamReader(Files.newInputStream(file), decoder))) {
      String line;
      while ((line = r.readLine()) != null) {
        tokens.add(stripTrailingWhitespace ? line.stripTrailing() : line);
      }
    } catch (CharacterCodingException e) {
      throw new PresetException(null, file + " is not UTF-8 text; a vocabulary file has one UTF-8 token "
          + "per line", e);
    } catch (IOException e) {
      throw new PresetException(null, "cannot read " + file + ": " + e, e);
    }
    if (tokens.isEmpty()) {
      throw new PresetException(null, file + " is empty; a vocabulary file has one token per line");
    }
    return new Vocabulary(tokens, file);
  }

  /**
   * The vocabulary of a Hugging Face {@code tokenizer.json}: {@code model.vocab}, an object from
   * token to id, ordered by id.
   *
   * @return the vocabulary, or {@code null} when the file has no WordPiece {@code model.vocab}
   * @throws PresetException when the ids are not exactly 0 .. n-1
   */
  static Vocabulary fromTokenizerJson(Path file, JsonNode tokenizerJson) {
    JsonNode model = tokenizerJson.get("model");
    if (model == null || !model.isObject() || !"WordPiece".equals(model.path("type").asText("WordPiece"))) {
      return null;
    }
    JsonNode vocab = model.get("vocab");
    if (vocab == null || !vocab.isObject() || vocab.isEmpty()) {
      return null;
    }
    String[] byId = new String[vocab.size()];
    for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode id = e.getValue();
      if (!id.canConvertToInt() || id.intValue() < 0 || id.intValue() >= byId.length) {
        throw new PresetException(null, file + ": model.vocab gives token \"" + e.getKey() + "\" the id "
            + id + ", outside 0.." + (byId.length - 1) + "; the " + byId.length + " ids must be exactly "
            + "0 to " + (byId.length - 1));
      }
      if (byId[id.intValue()] != null) {
        throw new PresetException(null, file + ": model.vocab gives id " + id + " to both \""
            + byId[id.intValue()] + "\" and \"" + e.getKey() + "\"; each id must have one token");
      }
      byId[id.intValue()] = e.getKey();
    }
    return new Vocabulary(Arrays.asList(byId), file);
  }
}
