package dev.bertgen.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A YAML document as a tree whose every node remembers its line and column. */
sealed interface YamlNode {

  int line();

  int column();

  /** What the node is, for messages: "a number", "a list", "text", ... */
  String describe();

  /** A mapping; keys keep their order and their own positions. */
  record MapNode(Map<String, Entry> entries, int line, int column) implements YamlNode {
    @Override
    public String describe() {
      return "a mapping";
    }
  }

  /** One key of a mapping. */
  record Entry(String key, int line, int column, YamlNode value) {}

  /** A sequence. */
  record ListNode(List<YamlNode> items, int line, int column) implements YamlNode {
    @Override
    public String describe() {
      return "a list";
    }
  }

  /**
   * A scalar. {@code value} is a {@link String}, {@link Long}, {@link java.math.BigInteger},
   * {@link Double}, {@link Boolean} or {@code null}.
   */
  record Scalar(Object value, String text, int line, int column) implements YamlNode {
    @Override
    public String describe() {
      if (value == null) {
        return "nothing (null)";
      }
      if (value instanceof Boolean) {
        return "the boolean " + text;
      }
      if (value instanceof Number) {
        return "the number " + text;
      }
      return "the text \"" + text + "\"";
    }
  }

  /** Thrown for a duplicated key; the parser reports it as a schema violation. */
  final class DuplicateKeyException extends IOException {
    private static final long serialVersionUID = 1L;
    final String key;
    final int line;
    final int column;
    final int firstLine;

    DuplicateKeyException(String key, int line, int column, int firstLine) {
      super("duplicate key " + key);
      this.key = key;
      this.line = line;
      this.column = column;
      this.firstLine = firstLine;
    }
  }

  /** Reads the value at the parser's current token. */
  static YamlNode read(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    JsonLocation loc = p.currentTokenLocation();
    int line = loc.getLineNr();
    int column = loc.getColumnNr();
    switch (t) {
      case START_OBJECT: {
        Map<String, Entry> entries = new LinkedHashMap<>();
        while (p.nextToken() != JsonToken.END_OBJECT) {
          String key = p.currentName();
          JsonLocation keyLoc = p.currentTokenLocation();
          p.nextToken();
          YamlNode value = read(p);
          Entry previous = entries.get(key);
          if (previous != null) {
            throw new DuplicateKeyException(key, keyLoc.getLineNr(), keyLoc.getColumnNr(), previous.line());
          }
          entries.put(key, new Entry(key, keyLoc.getLineNr(), keyLoc.getColumnNr(), value));
        }
        return new MapNode(Collections.unmodifiableMap(entries), line, column);
      }
      case START_ARRAY: {
        List<YamlNode> items = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          items.add(read(p));
        }
        return new ListNode(List.copyOf(items), line, column);
      }
      case VALUE_STRING:
        return new Scalar(p.getText(), p.getText(), line, column);
      case VALUE_NUMBER_INT: {
        Object v = p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
            ? p.getBigIntegerValue() : (Object) p.getLongValue();
        return new Scalar(v, p.getText(), line, column);
      }
      case VALUE_NUMBER_FLOAT:
        return new Scalar(p.getDoubleValue(), p.getText(), line, column);
      case VALUE_TRUE:
        return new Scalar(Boolean.TRUE, p.getText(), line, column);
      case VALUE_FALSE:
        return new Scalar(Boolean.FALSE, p.getText(), line, column);
      case VALUE_NULL:
        return new Scalar(null, "null", line, column);
      default:
        // embedded objects and the like do not occur in YAML text
        return new Scalar(p.getText(), String.valueOf(p.getText()), line, column);
    }
  }
}
