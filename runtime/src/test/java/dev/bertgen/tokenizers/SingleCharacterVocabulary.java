package dev.bertgen.tokenizers;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A WordPiece vocabulary with every code point of a set as a word-initial and a continuation piece
 * ("c" and "##c"), and a Hugging Face tokenizer.json around it. Tokenizing with it shows the
 * normalized, pre-tokenized text character by character, so a difference in any normalization
 * step shows up in the token ids.
 */
final class SingleCharacterVocabulary {
  private SingleCharacterVocabulary() {}

  /** Code points in [from, to], surrogates excluded. */
  static List<Integer> codePoints(int from, int to) {
    List<Integer> out = new ArrayList<>();
    for (int c = from; c <= to; c++) {
      if (c < Character.MIN_SURROGATE || c > Character.MAX_SURROGATE) {
        out.add(c);
      }
    }
    return out;
  }

  /** "[UNK]", then "c" and "##c" for each code point. */
  static List<String> vocabulary(List<Integer> codePoints) {
    List<String> vocab = new ArrayList<>(codePoints.size() * 2 + 1);
    vocab.add("[UNK]");
    for (int c : codePoints) {
      String s = new String(Character.toChars(c));
      vocab.add(s);
      vocab.add("##" + s);
    }
    return vocab;
  }

  /**
   * Writes a tokenizer.json with a BertNormalizer (clean_text and handle_chinese_chars on), a
   * BertPreTokenizer and a WordPiece model over {@code vocabulary}; no truncation, padding or
   * post-processing.
   *
   * @param stripAccents "true", "false" or "null" (Hugging Face: follow lowercase)
   */
  static Path writeTokenizerJson(Path dir, List<String> vocabulary, boolean lowercase, String stripAccents)
      throws IOException {
    Path file = dir.resolve("tokenizer.json");
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("{\"version\":\"1.0\",\"truncation\":null,\"padding\":null,\"added_tokens\":[{\"id\":0,"
          + "\"content\":\"[UNK]\",\"single_word\":false,\"lstrip\":false,\"rstrip\":false,"
          + "\"normalized\":false,\"special\":true}],\"normalizer\":{\"type\":\"BertNormalizer\","
          + "\"clean_text\":true,\"handle_chinese_chars\":true,\"strip_accents\":" + stripAccents
          + ",\"lowercase\":" + lowercase + "},\"pre_tokenizer\":{\"type\":\"BertPreTokenizer\"},"
          + "\"post_processor\":null,\"decoder\":null,\"model\":{\"type\":\"WordPiece\","
          + "\"unk_token\":\"[UNK]\",\"continuing_subword_prefix\":\"##\","
          + "\"max_input_chars_per_word\":100,\"vocab\":{");
      for (int i = 0; i < vocabulary.size(); i++) {
        if (i > 0) {
          w.write(',');
        }
        w.write(jsonString(vocabulary.get(i)));
        w.write(':');
        w.write(Integer.toString(i));
      }
      w.write("}}}");
    }
    return file;
  }

  /** DJL's Rust tokenizer over a tokenizer.json, with no special tokens, truncation or padding. */
  static HuggingFaceTokenizer djl(Path tokenizerJson) throws IOException {
    return HuggingFaceTokenizer.builder()
        .optTokenizerPath(tokenizerJson)
        .optAddSpecialTokens(false)
        .optTruncation(false)
        .optPadding(false)
        .build();
  }

  static String jsonString(String s) {
    StringBuilder b = new StringBuilder(s.length() + 8).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20 || c >= 0x7F) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }
}
