package dev.bertgen.tokenizers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bertgen.dsl.TokenizerFlavor;
import dev.bertgen.presets.RegularFiles;
import dev.bertgen.spec.TokenizerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the WordPiece tokenizer of a preset directory, in either format:
 *
 * <ul>
 *   <li><b>keras-hub</b>: {@code tokenizer.json} holding a serialized {@code BertTokenizer}
 *       ({@code config.lowercase}, {@code strip_accents}, {@code split}, {@code suffix_indicator},
 *       {@code oov_token}, {@code special_tokens}, {@code special_tokens_in_strings}) and the
 *       vocabulary in {@code assets/tokenizer/vocabulary.txt}; flavor {@link TokenizerFlavor#KERAS_HUB};
 *   <li><b>Hugging Face</b>: {@code tokenizer.json} of the {@code tokenizers} library (the vocabulary
 *       in {@code model.vocab}, as transformers 5 writes it) or {@code vocab.txt} (older
 *       repositories), with {@code do_lower_case}, {@code strip_accents} and
 *       {@code tokenize_chinese_chars} from {@code tokenizer_config.json} when it has them (as
 *       transformers does), else from the {@code BertNormalizer} of tokenizer.json; flavor
 *       {@link TokenizerFlavor#HUGGING_FACE}, with special tokens found in strings as Hugging Face
 *       always does. When a directory has both, tokenizer.json wins, as in transformers (whose
 *       {@code BertTokenizerFast} loads {@code tokenizer.json} and ignores {@code vocab.txt}).
 *       A {@code tokenizer_class} other than {@code BertTokenizer} or {@code BertTokenizerFast} is
 *       refused.
 * </ul>
 *
 * <p>Both {@code BertTokenizer.fromPreset} and the preset loader read tokenizers
 * here.
 *
 * @param vocabulary tokens in id order
 * @param config the preset-level settings (flavor, case handling, special tokens)
 * @param options the full WordPiece options
 * @param source the file the settings came from, for messages
 * @param vocabularyFile the file the vocabulary came from ({@code vocab.txt},
 *     {@code assets/tokenizer/vocabulary.txt} or {@code tokenizer.json}), for messages
 */
public record TokenizerFiles(List<String> vocabulary, TokenizerConfig config, WordPieceOptions options,
    Path source, Path vocabularyFile) {

  /** keras-hub's tokenizer config file. Hugging Face uses the same name for its own format. */
  public static final String TOKENIZER_JSON = "tokenizer.json";
  /** Hugging Face's tokenizer settings (special tokens, do_lower_case). */
  public static final String TOKENIZER_CONFIG_JSON = "tokenizer_config.json";
  /** Hugging Face's vocabulary file in older repositories. */
  public static final String VOCAB_TXT = "vocab.txt";
  /** The {@code tokenizer_class} values of tokenizer_config.json that are BERT WordPiece tokenizers. */
  public static final Set<String> BERT_TOKENIZER_CLASSES = Set.of("BertTokenizer", "BertTokenizerFast");

  /** Refuses a key given twice in one object (a token with two ids in model.vocab). */
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  public TokenizerFiles {
    vocabulary = List.copyOf(vocabulary);
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(vocabularyFile, "vocabularyFile");
  }

  /**
   * Reads the tokenizer files of {@code dir}.
   *
   * @throws IllegalArgumentException naming the file and the fix when the directory has no
   *     tokenizer, a file is malformed, a token is in the vocabulary twice (naming both lines or
   *     ids), or the tokenizer is not a BERT WordPiece tokenizer
   * @throws dev.bertgen.presets.PresetException naming the file when one of the tokenizer files is
   *     there but is not a regular file (a named pipe or a device, which would block or never end)
   */
  public static TokenizerFiles read(Path dir) {
    return read(dir, true);
  }

  /**
   * Reads the tokenizer files of {@code dir}, or nothing when it has none of {@code tokenizer.json},
   * {@code vocab.txt} and {@code assets/tokenizer/vocabulary.txt} (a preset whose model is used with
   * token ids).
   *
   * @throws IllegalArgumentException as {@link #read} does, for files that are there but cannot be
   *     used: malformed, not a BERT WordPiece tokenizer, a vocabulary with a token on two lines, a
   *     keras-hub {@code tokenizer.json} whose {@code assets/tokenizer/vocabulary.txt} is missing, or
   *     a keras-hub vocabulary without the {@code tokenizer.json} that says whether to lowercase
   */
  public static Optional<TokenizerFiles> readIfPresent(Path dir) {
    return Optional.ofNullable(read(dir, false));
  }

  /**
   * The settings of a tokenizer whose files set nothing: keras-hub's {@code BertTokenizer} defaults
   * (no lowercasing) or transformers' {@code BertTokenizer} defaults ({@code do_lower_case} true,
   * accents stripped with it, CJK characters split off), with BERT's special tokens.
   */
  public static TokenizerConfig defaults(TokenizerFlavor flavor) {
    Objects.requireNonNull(flavor, "flavor");
    return flavor == TokenizerFlavor.KERAS_HUB
        ? TokenizerConfig.kerasHub(false, null)
        : new TokenizerConfig(TokenizerFlavor.HUGGING_FACE, true, true, true, true, "##", "[UNK]", "[CLS]",
            "[SEP]", "[PAD]", "[MASK]", TokenizerConfig.DEFAULT_VOCABULARY_ASSET, null);
  }

  /** The files of {@code dir}; {@code null} when it has no vocabulary and {@code required} is false. */
  private static TokenizerFiles read(Path dir, boolean required) {
    Objects.requireNonNull(dir, "dir");
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("tokenizer preset directory " + dir + " does not exist; pass the "
          + "directory of a keras-hub preset (tokenizer.json, assets/tokenizer/vocabulary.txt) or of a "
          + "Hugging Face BERT checkpoint (tokenizer.json or vocab.txt)");
    }
    Path tokenizerJson = dir.resolve(TOKENIZER_JSON);
    if (RegularFiles.exists(tokenizerJson)) {
      JsonNode root = readJson(tokenizerJson);
      if (root.has("config") && (root.has("class_name") || root.has("registered_name"))) {
        return kerasHub(dir, tokenizerJson, root);
      }
      if (root.has("model")) {
        return huggingFace(dir, tokenizerJson, root);
      }
      throw new IllegalArgumentException(tokenizerJson + " is neither a keras-hub tokenizer config (with "
          + "\"class_name\" and \"config\") nor a Hugging Face tokenizer (with \"model\"); re-save it with "
          + "keras-hub's save_to_preset or transformers' save_pretrained");
    }
    if (RegularFiles.exists(dir.resolve(VOCAB_TXT))) {
      return huggingFace(dir, null, null);
    }
    if (RegularFiles.exists(dir.resolve(TokenizerConfig.DEFAULT_VOCABULARY_ASSET))) {
      throw new IllegalArgumentException(dir + " has " + TokenizerConfig.DEFAULT_VOCABULARY_ASSET
          + " but no " + TOKENIZER_JSON + ", which says whether to lowercase; copy the preset's "
          + TOKENIZER_JSON + " next to it, or build the tokenizer with new BertTokenizer(vocabulary, "
          + "TokenizerConfig.kerasHub(lowercase, null))");
    }
    if (!required) {
      return null;
    }
    throw new IllegalArgumentException("no tokenizer in " + dir + ": expected " + TOKENIZER_JSON
        + " (keras-hub or Hugging Face) or " + VOCAB_TXT + " (Hugging Face); download the preset's "
        + "tokenizer files into it, or pass the directory that holds them");
  }

  private static TokenizerFiles kerasHub(Path dir, Path file, JsonNode root) {
    String className = text(root.get("class_name"));
    if (className != null && !className.equals("BertTokenizer") && !className.equals("WordPieceTokenizer")) {
      throw new IllegalArgumentException(file + " holds a keras-hub " + className + ", not a BertTokenizer; "
          + "load it with the tokenizer class it names");
    }
    JsonNode c = root.get("config");
    boolean lowercase = bool(c, "lowercase", false, file);
    boolean strip = bool(c, "strip_accents", false, file);
    boolean split = bool(c, "split", true, file);
    boolean splitOnCjk = bool(c, "split_on_cjk", true, file);
    String suffix = string(c, "suffix_indicator", "##", file);
    String oov = string(c, "oov_token", "[UNK]", file);
    boolean inStrings = bool(c, "special_tokens_in_strings", false, file);
    int sequenceLength = integer(c, "sequence_length", 0, 0, file);
    List<String> extraSpecials = new ArrayList<>();
    JsonNode specials = c.get("special_tokens");
    if (specials != null && specials.isArray()) {
      specials.forEach(t -> extraSpecials.add(t.asText()));
    }
    List<String> vocabulary;
    Path vocabularyFile = file;
    JsonNode inline = c.get("vocabulary");
    if (inline != null && inline.isArray()) {
      vocabulary = new ArrayList<>();
      inline.forEach(t -> vocabulary.add(t.asText()));
      int[] d = Vocabulary.firstDuplicate(vocabulary);
      if (d != null) {
        throw new IllegalArgumentException(file + ": " + Vocabulary.duplicateMessage(vocabulary.get(d[0]),
            "entry " + d[0] + " of \"vocabulary\"", "entry " + d[1], "entry " + d[0], d[0], vocabulary));
      }
    } else if (inline != null && inline.isTextual()) {
      throw new IllegalArgumentException(file + " names the vocabulary file \"" + inline.asText() + "\"; "
          + "keras-hub presets keep it in " + TokenizerConfig.DEFAULT_VOCABULARY_ASSET + ": copy it there "
          + "and set \"vocabulary\" to null");
    } else {
      Path vocab = dir.resolve(TokenizerConfig.DEFAULT_VOCABULARY_ASSET);
      if (!RegularFiles.exists(vocab)) {
        throw new IllegalArgumentException(file + " is a keras-hub tokenizer, but its vocabulary " + vocab
            + " is missing (keras-hub loads the tokenizer's vocabulary from there); copy the preset's assets/ "
            + "folder next to " + TOKENIZER_JSON + " (download or copy the whole preset again), or delete "
            + TOKENIZER_JSON + " to use the model with token ids only");
      }
      vocabulary = Vocabulary.readLines(vocab);
      Vocabulary.requireUniqueLines(vocabulary, vocab);
      vocabularyFile = vocab;
    }
    TokenizerConfig config = new TokenizerConfig(TokenizerFlavor.KERAS_HUB, lowercase, strip, split,
        splitOnCjk, suffix, oov, "[CLS]", "[SEP]", "[PAD]", "[MASK]",
        TokenizerConfig.DEFAULT_VOCABULARY_ASSET, null);
    WordPieceOptions base = WordPieceOptions.of(config, inStrings);
    List<String> allSpecials = new ArrayList<>(base.specialTokens());
    for (String t : extraSpecials) {
      if (!allSpecials.contains(t)) {
        allSpecials.add(t);
      }
    }
    WordPieceOptions options = base.toBuilder().specialTokens(allSpecials).sequenceLength(sequenceLength).build();
    return new TokenizerFiles(vocabulary, config, options, file, vocabularyFile);
  }

  private static TokenizerFiles huggingFace(Path dir, Path tokenizerJson, JsonNode root) {
    Path configFile = dir.resolve(TOKENIZER_CONFIG_JSON);
    JsonNode tc = RegularFiles.exists(configFile) ? readJson(configFile) : JSON.createObjectNode();
    if (!tc.isObject()) {
      throw new IllegalArgumentException(configFile + " is not a JSON object; re-save the tokenizer with "
          + "transformers' save_pretrained");
    }
    String tokenizerClass = string(tc, "tokenizer_class", null, configFile);
    if (tokenizerClass != null && !BERT_TOKENIZER_CLASSES.contains(tokenizerClass)) {
      throw new IllegalArgumentException(configFile + ": tokenizer_class \"" + tokenizerClass + "\" is not a "
          + "BERT WordPiece tokenizer; BertTokenizer reproduces transformers' BertTokenizer and "
          + "BertTokenizerFast only: use a BERT checkpoint's tokenizer, or tokenize with transformers and "
          + "pass the token ids");
    }
    Path source = tokenizerJson != null ? tokenizerJson : dir.resolve(VOCAB_TXT);

    boolean lowercase = true; // transformers' BertTokenizer default
    Boolean strip = null;
    boolean chinese = true;
    boolean cleanText = true;
    String suffix = "##";
    String unk = "[UNK]";
    int maxChars = WordPieceOptions.DEFAULT_MAX_WORD_LENGTH;
    List<String> vocabulary;
    List<String> addedTokens = new ArrayList<>();
    if (root != null) {
      JsonNode model = root.get("model");
      String type = text(model.get("type"));
      if (!"WordPiece".equals(type)) {
        throw new IllegalArgumentException(tokenizerJson + " holds a " + type + " model, not WordPiece; "
            + "BertTokenizer reads BERT (WordPiece) tokenizers only");
      }
      suffix = string(model, "continuing_subword_prefix", "##", tokenizerJson);
      unk = string(model, "unk_token", "[UNK]", tokenizerJson);
      maxChars = integer(model, "max_input_chars_per_word", maxChars, 1, tokenizerJson);
      vocabulary = vocabularyById(model.get("vocab"), tokenizerJson);
      JsonNode added = root.get("added_tokens");
      if (added != null && added.isArray()) {
        for (JsonNode t : added) {
          String content = text(t.get("content"));
          int id = t.path("id").asInt(-1);
          if (content == null || content.isEmpty()) {
            continue;
          }
          if (id < 0 || id >= vocabulary.size() || !vocabulary.get(id).equals(content)) {
            requireAddedToken(tokenizerJson, content, id, vocabulary);
            vocabulary.add(content);
          }
          addedTokens.add(content);
        }
      }
      JsonNode normalizer = root.get("normalizer");
      if (normalizer == null || normalizer.isNull()) {
        lowercase = false; // no normalizer: Hugging Face leaves the text as it is
        chinese = false;
        cleanText = false;
      } else {
        String nt = text(normalizer.get("type"));
        if (!"BertNormalizer".equals(nt)) {
          throw new IllegalArgumentException(tokenizerJson + " has a " + nt + " normalizer; BertTokenizer "
              + "reproduces Hugging Face's BertNormalizer only");
        }
        lowercase = bool(normalizer, "lowercase", true, tokenizerJson);
        strip = normalizer.hasNonNull("strip_accents") ? normalizer.get("strip_accents").asBoolean() : null;
        chinese = bool(normalizer, "handle_chinese_chars", true, tokenizerJson);
        cleanText = bool(normalizer, "clean_text", true, tokenizerJson);
      }
      JsonNode pre = root.get("pre_tokenizer");
      String pt = pre == null || pre.isNull() ? null : text(pre.get("type"));
      if (!"BertPreTokenizer".equals(pt)) {
        throw new IllegalArgumentException(tokenizerJson + " has the pre-tokenizer " + pt + "; BertTokenizer "
            + "reproduces Hugging Face's BertPreTokenizer only");
      }
    } else {
      List<String> lines = readVocabTxt(dir.resolve(VOCAB_TXT));
      Vocabulary.requireUniqueLines(lines, dir.resolve(VOCAB_TXT));
      vocabulary = new ArrayList<>(lines);
    }
    // tokenizer_config.json overrides the normalizer, as transformers' BertTokenizerFast does.
    if (tc.has("do_lower_case")) {
      lowercase = bool(tc, "do_lower_case", lowercase, configFile);
    }
    if (tc.has("strip_accents")) {
      strip = tc.get("strip_accents").isNull() ? null : tc.get("strip_accents").asBoolean();
    }
    if (tc.has("tokenize_chinese_chars")) {
      chinese = bool(tc, "tokenize_chinese_chars", chinese, configFile);
    }
    String cls = specialToken(tc, "cls_token", "[CLS]", configFile);
    String sep = specialToken(tc, "sep_token", "[SEP]", configFile);
    String pad = specialToken(tc, "pad_token", "[PAD]", configFile);
    String mask = specialToken(tc, "mask_token", "[MASK]", configFile);
    unk = specialToken(tc, "unk_token", unk, configFile);
    boolean stripAccents = strip == null ? lowercase : strip;
    TokenizerConfig config = new TokenizerConfig(TokenizerFlavor.HUGGING_FACE, lowercase, stripAccents, true,
        chinese, suffix, unk, cls, sep, pad, mask, TokenizerConfig.DEFAULT_VOCABULARY_ASSET, null);
    List<String> specials = new ArrayList<>();
    for (String t : addedTokens.isEmpty() ? List.of(pad, unk, cls, sep, mask) : addedTokens) {
      if (!specials.contains(t)) {
        specials.add(t);
      }
    }
    WordPieceOptions options = WordPieceOptions.of(config, true).toBuilder()
        .specialTokens(specials)
        .maxWordLength(maxChars)
        .cleanText(cleanText)
        .build();
    return new TokenizerFiles(vocabulary, config, options, source, source);
  }

  /**
   * Checks an entry of tokenizer.json's {@code added_tokens} that is not already in model.vocab at
   * its id: it may only extend the vocabulary by one token that it does not have yet.
   *
   * @throws IllegalArgumentException naming the file and the token otherwise
   */
  private static void requireAddedToken(Path file, String content, int id, List<String> vocabulary) {
    String token = "\"" + Vocabulary.printable(content) + "\"";
    int existing = vocabulary.indexOf(content);
    String fix = "; re-save the tokenizer with transformers' save_pretrained, or download it again";
    if (existing >= 0) {
      throw new IllegalArgumentException(file + ": added_tokens gives " + token + " the id " + id
          + " but model.vocab gives it the id " + existing + "; a token must have one id" + fix);
    }
    if (id >= 0 && id < vocabulary.size()) {
      throw new IllegalArgumentException(file + ": model.vocab has no " + token + ", which added_tokens gives "
          + "the id " + id + " (model.vocab gives that id to \"" + Vocabulary.printable(vocabulary.get(id)) + "\"): the "
          + "vocabulary lacks this special token" + fix);
    }
    if (id != vocabulary.size()) {
      throw new IllegalArgumentException(file + ": added_tokens gives " + token + " the id " + id
          + ", but the next free id after model.vocab's " + vocabulary.size() + " tokens is " + vocabulary.size() + fix);
    }
  }

  /** model.vocab ({token: id}) as a list in id order, refusing gaps and repeated ids. */
  private static List<String> vocabularyById(JsonNode vocab, Path file) {
    if (vocab == null || !vocab.isObject() || vocab.size() == 0) {
      throw new IllegalArgumentException(file + " has no model.vocab; re-save the tokenizer with "
          + "transformers' save_pretrained, or put the vocabulary in " + VOCAB_TXT);
    }
    String[] byId = new String[vocab.size()];
    for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode value = e.getValue();
      int id = value.isIntegralNumber() && value.canConvertToInt() ? value.intValue() : -1;
      if (id < 0 || id >= byId.length || byId[id] != null) {
        throw new IllegalArgumentException(file + ": model.vocab gives \"" + e.getKey() + "\" the id "
            + e.getValue() + "; ids must be 0 to " + (byId.length - 1) + ", each used once");
      }
      byId[id] = e.getKey();
    }
    return new ArrayList<>(List.of(byId));
  }

  /**
   * transformers' {@code load_vocab}: one token per line, only the line break removed. Python reads
   * the file with universal newlines, so "\r\n" and a lone "\r" end a line as "\n" does.
   */
  private static List<String> readVocabTxt(Path file) {
    RegularFiles.require(file);
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(file + " is not valid UTF-8; a vocabulary file has one UTF-8 token "
          + "per line: re-download it, or re-save it as UTF-8", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    List<String> lines = new ArrayList<>();
    int n = text.length();
    for (int start = 0; start < n; ) {
      int end = start;
      while (end < n && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
        end++;
      }
      lines.add(text.substring(start, end));
      if (end + 1 < n && text.charAt(end) == '\r' && text.charAt(end + 1) == '\n') {
        end++;
      }
      start = end + 1;
    }
    if (lines.isEmpty()) {
      throw new IllegalArgumentException(file + " is empty; it needs one token per line");
    }
    return lines;
  }

  private static JsonNode readJson(Path file) {
    RegularFiles.require(file);
    try {
      return JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(file + " is not valid UTF-8; the file is damaged: re-download or re-save "
          + "it", e);
    } catch (JsonProcessingException e) {
      String original = String.valueOf(e.getOriginalMessage());
      if (original.startsWith("Duplicate field '") && original.endsWith("'")) {
        String key = original.substring("Duplicate field '".length(), original.length() - 1);
        String line = e.getLocation() == null ? "?" : String.valueOf(e.getLocation().getLineNr());
        throw new IllegalArgumentException(file + ": \"" + Vocabulary.printable(key) + "\" twice in one object "
            + "(again at line " + line + "); in model.vocab that is a token with two ids, elsewhere a setting "
            + "given twice. Each key must be unique: re-save the tokenizer with transformers' save_pretrained, "
            + "or download it again", e);
      }
      throw new IllegalArgumentException(file + " is not valid JSON (" + e.getOriginalMessage() + " at line "
          + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + "); re-download or re-save it", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static String text(JsonNode n) {
    return n == null || n.isNull() ? null : n.asText();
  }

  private static boolean bool(JsonNode obj, String key, boolean fallback, Path file) {
    JsonNode n = obj.get(key);
    if (n == null || n.isNull()) {
      return fallback;
    }
    if (!n.isBoolean()) {
      throw new IllegalArgumentException(file + ": \"" + key + "\" is " + n + "; it must be true or false");
    }
    return n.asBoolean();
  }

  /** An optional integer setting of at least {@code min}; {@code fallback} when absent or null. */
  private static int integer(JsonNode obj, String key, int fallback, int min, Path file) {
    JsonNode n = obj.get(key);
    if (n == null || n.isNull()) {
      return fallback;
    }
    if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < min) {
      String shown = n.toString().length() > 40 ? n.toString().substring(0, 37) + "..." : n.toString();
      throw new IllegalArgumentException(file + ": \"" + key + "\" is " + shown + "; it must be a whole number "
          + "from " + min + " to " + Integer.MAX_VALUE + ", or null");
    }
    return n.intValue();
  }

  private static String string(JsonNode obj, String key, String fallback, Path file) {
    JsonNode n = obj.get(key);
    if (n == null || n.isNull()) {
      return fallback;
    }
    if (!n.isTextual()) {
      throw new IllegalArgumentException(file + ": \"" + key + "\" is " + n + "; it must be a string");
    }
    return n.asText();
  }

  /** A special token of tokenizer_config.json: a string or an AddedToken object with "content". */
  private static String specialToken(JsonNode tc, String key, String fallback, Path file) {
    JsonNode n = tc.get(key);
    if (n == null || n.isNull()) {
      return fallback;
    }
    if (n.isTextual()) {
      return n.textValue();
    }
    if (n.isObject() && n.path("content").isTextual()) {
      return n.get("content").textValue();
    }
    throw new IllegalArgumentException(file + ": \"" + key + "\" is " + n + "; it must be a string or an "
        + "AddedToken object with a \"content\" string");
  }
}
