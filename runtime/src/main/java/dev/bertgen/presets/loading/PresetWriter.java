package dev.bertgen.presets.loading;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bertgen.dsl.Activation;
import dev.bertgen.dsl.TokenizerFlavor;
import dev.bertgen.dsl.Truncation;
import dev.bertgen.layers.ModelWeights;
import dev.bertgen.layers.Variable;
import dev.bertgen.presets.PresetException;
import dev.bertgen.presets.PresetLogging;
import dev.bertgen.presets.formats.KerasH5Writer;
import dev.bertgen.presets.formats.KerasPresetReader;
import dev.bertgen.presets.formats.WeightErrors;
import dev.bertgen.presets.hub.HubHttp;
import dev.bertgen.spec.BackboneConfig;
import dev.bertgen.spec.PreprocessorConfig;
import dev.bertgen.spec.TokenizerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Writes a masked LM or a text classifier as a keras-hub preset, as {@code BertMaskedLM.save_to_preset}
 * (or {@code BertTextClassifier.save_to_preset}: task.json a BertTextClassifier, task.weights.h5 its
 * {@code logits} layer, preprocessor.json a BertTextClassifierPreprocessor) writes it:
 * {@code config.json} (the BertBackbone), {@code model.weights.h5}, {@code task.json} (the
 * BertMaskedLM with its preprocessor), {@code task.weights.h5} (the MaskedLM head), and with a
 * tokenizer {@code preprocessor.json}, {@code tokenizer.json} and
 * {@code assets/tokenizer/vocabulary.txt}; plus {@code metadata.json}. keras-hub (Python) loads the
 * result with {@code keras_hub.models.BertMaskedLM.from_preset(dir)}.
 *
 * <p>The save is atomic: everything is written into {@code .<name>.bertgen-new} beside the target and
 * synced to disk, marked complete, and swapped in with two renames (the old directory to
 * {@code .<name>.bertgen-old}, the new one to its place). A process killed at any point leaves either
 * the previous preset or the new one; a kill between the two renames, when neither is at the target,
 * is repaired by the next save or load of that path ({@link #recoverInterruptedSave}). Files in an
 * existing preset directory that BertGen does not write (a README, say) are carried over; stale
 * sharded weights ({@code model.weights.json}, {@code model_*.weights.h5}) are not.
 */
public final class PresetWriter {
  private static final Logger LOG = Logger.getLogger(PresetLogging.LOGGER_NAME);
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final ObjectMapper JSON = new ObjectMapper();
  /** keras-hub's default optimizer for a compiled BertMaskedLM is Adam(5e-5). */
  static final float KERAS_HUB_MASKED_LM_LEARNING_RATE = 5e-5f;

  private static final String NEW = ".bertgen-new";
  private static final String OLD = ".bertgen-old";
  private static final String COMPLETE = ".bertgen-new.complete";
  private static final String LOCK = ".bertgen-lock";

  private PresetWriter() {}

  /**
   * The tokenizer a preset saves: its settings, its vocabulary (one token per id) and keras-hub's
   * {@code special_tokens_in_strings}.
   */
  public record SavedTokenizer(TokenizerConfig config, List<String> vocabulary, boolean specialTokensInStrings) {
    public SavedTokenizer {
      Objects.requireNonNull(config, "config");
      vocabulary = List.copyOf(vocabulary);
    }
  }

  /**
   * A text classifier's arguments, as its {@code task.json} and {@code preprocessor.json} save them.
   *
   * @param activation keras' name of the logits layer's activation ({@code "linear"}, {@code "softmax"})
   * @param classNames the class names in id order, saved in {@value #CLASS_NAMES} (empty: none)
   */
  public record Classifier(int numClasses, String activation, double dropout, int sequenceLength,
      Truncation truncate, List<String> classNames) {
    public Classifier {
      Objects.requireNonNull(activation, "activation");
      Objects.requireNonNull(truncate, "truncate");
      classNames = List.copyOf(classNames);
    }
  }

  /**
   * The class names of a classifier saved by BertGen, one per line in id order: keras-hub has no place
   * for them and ignores this file.
   */
  public static final String CLASS_NAMES = KerasPresetReader.CLASS_NAMES;

  /**
   * What a saved task consists of ({@code tokenizer} {@code null}: none is saved): a masked LM
   * ({@code classifier} {@code null}) or a text classifier.
   */
  public record Content(BackboneConfig config, ModelWeights weights, SavedTokenizer tokenizer,
      PreprocessorConfig preprocessor, Classifier classifier) {
    public Content {
      Objects.requireNonNull(config, "config");
      Objects.requireNonNull(weights, "weights");
      if (classifier == null && !weights.layout().hasMaskedLmHead()) {
        throw new IllegalArgumentException("a masked LM preset needs the MaskedLMHead variables");
      }
      if (classifier != null && weights.layout().numClasses() != classifier.numClasses()) {
        throw new IllegalArgumentException("a classifier preset of " + classifier.numClasses() + " classes needs "
            + "weights with a head of as many classes, not " + weights.layout().numClasses());
      }
    }

    /** A masked LM. */
    public Content(BackboneConfig config, ModelWeights weights, SavedTokenizer tokenizer,
        PreprocessorConfig preprocessor) {
      this(config, weights, tokenizer, preprocessor, null);
    }
  }

  /**
   * Saves {@code content} as a keras-hub preset in {@code dir}, replacing a preset there.
   *
   * @throws PresetException when {@code dir} is a file, or a non-empty directory that is not a preset
   *     (saving would replace it), or cannot be written
   */
  public static void save(Path dir, Content content) {
    requireFinite(dir, content.weights());
    Path target = dir.toAbsolutePath().normalize();
    Path parent = target.getParent();
    if (parent == null) {
      throw new PresetException(null, "cannot save a preset as " + dir + ": it has no parent directory");
    }
    String name = target.getFileName().toString();
    try {
      Files.createDirectories(parent);
    } catch (IOException e) {
      throw new PresetException(null, "cannot create " + parent + " to save the preset " + dir + ": " + e, e);
    }
    Path lockFile = parent.resolve("." + name + LOCK);
    try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock ignored = lockChannel.lock()) {
      recover(target);
      if (Files.exists(target) && !Files.isDirectory(target)) {
        throw new PresetException(null, "cannot save a preset as " + dir + ": it is a file; choose a directory");
      }
      if (Files.isDirectory(target) && !isEmpty(target) && !Files.exists(target.resolve("config.json"))) {
        throw new PresetException(null, "cannot save a preset into " + dir + ": it is a directory with other "
            + "contents than a preset (no config.json), and saving replaces the whole directory; choose a new or "
            + "empty directory");
      }
      Path fresh = parent.resolve("." + name + NEW);
      Path old = parent.resolve("." + name + OLD);
      Path complete = parent.resolve("." + name + COMPLETE);
      deleteTree(fresh);
      Files.createDirectories(fresh);
      writeAll(fresh, content);
      if (Files.isDirectory(target)) {
        carryOver(target, fresh);
      }
      syncTree(fresh);
      Files.writeString(complete, "", StandardCharsets.UTF_8);
      syncDirectory(parent);
      if (Files.exists(target)) {
        deleteTree(old);
        move(target, old);
      }
      move(fresh, target);
      syncDirectory(parent);
      Files.deleteIfExists(complete);
      deleteTree(old);
    } catch (IOException e) {
      throw new PresetException(null, "cannot save the preset " + dir + ": " + e, e);
    }
  }

  /**
   * Refuses to save weights that are not finite: such a preset could not be loaded back (loading
   * checks) and would predict NaN. Nothing is written, so a previous preset in {@code dir} stays.
   */
  private static void requireFinite(Path dir, ModelWeights weights) {
    float[] arena = weights.arena();
    for (Variable v : weights.layout().variables()) {
      int i = WeightErrors.firstNonFinite(arena, v.offset(), v.size());
      if (i >= 0) {
        throw new PresetException(null, "cannot save the preset " + dir + ": variable " + v.path() + " (shape "
            + v.shapeString() + ") holds " + arena[v.offset() + i] + " at index " + WeightErrors.index(v.shape(), i)
            + " (flat index " + i + "); the model's weights are not finite (training diverged?), so nothing was "
            + "written. Save an earlier state of the model, or train again with a lower learning rate");
      }
    }
  }

  /**
   * Repairs {@code dir} if a save was killed between its two renames: the new preset is put in place
   * when it was complete, else the old one is put back. Nothing happens when no save was interrupted.
   */
  static void recoverInterruptedSave(Path dir) {
    Path target = dir.toAbsolutePath().normalize();
    Path parent = target.getParent();
    if (parent == null || Files.exists(target)) {
      return;
    }
    String name = target.getFileName().toString();
    if (!Files.exists(parent.resolve("." + name + OLD)) && !Files.exists(parent.resolve("." + name + COMPLETE))) {
      return;
    }
    Path lockFile = parent.resolve("." + name + LOCK);
    try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock ignored = lockChannel.lock()) {
      recover(target);
    } catch (IOException e) {
      LOG.warning(() -> "cannot repair the interrupted save of " + dir + ": " + e);
    }
  }

  /** Called with the lock held: finishes or undoes an interrupted save, and removes its leftovers. */
  private static void recover(Path target) throws IOException {
    Path parent = target.getParent();
    String name = target.getFileName().toString();
    Path fresh = parent.resolve("." + name + NEW);
    Path old = parent.resolve("." + name + OLD);
    Path complete = parent.resolve("." + name + COMPLETE);
    if (!Files.exists(target)) {
      if (Files.isRegularFile(complete) && Files.isDirectory(fresh)) {
        move(fresh, target);
        LOG.warning(() -> "a save of " + target + " was interrupted; its new preset, which was complete, is now in "
            + "place");
      } else if (Files.isDirectory(old)) {
        move(old, target);
        LOG.warning(() -> "a save of " + target + " was interrupted; the previous preset is back in place");
      }
    }
    deleteTree(fresh);
    Files.deleteIfExists(complete);
    deleteTree(old);
  }

  private static void writeAll(Path dir, Content c) throws IOException {
    warnAboutFlavor(c);
    ObjectNode backbone = backboneConfig(c.config());
    Classifier classifier = c.classifier();
    ObjectNode preprocessor = c.tokenizer() == null ? null
        : classifier != null ? classifierPreprocessorConfig(c) : preprocessorConfig(c);
    writeJson(dir.resolve(KerasPresetReader.CONFIG), backbone);
    ObjectNode task = F.objectNode();
    task.put("module", classifier != null ? "keras_hub.src.models.bert.bert_text_classifier"
        : "keras_hub.src.models.bert.bert_masked_lm");
    task.put("class_name", classifier != null ? KerasPresetReader.CLASSIFIER_CLASS : KerasPresetReader.TASK_CLASS);
    ObjectNode taskConfig = task.putObject("config");
    taskConfig.set("backbone", backbone.deepCopy());
    taskConfig.set("preprocessor", preprocessor == null ? F.nullNode() : preprocessor.deepCopy());
    if (classifier != null) {
      taskConfig.put("name", "bert_text_classifier");
      taskConfig.put("num_classes", classifier.numClasses());
      taskConfig.put("activation", classifier.activation());
      taskConfig.put("dropout", classifier.dropout());
      task.put("registered_name", "keras_hub>BertTextClassifier");
    } else {
      taskConfig.put("name", "bert_masked_lm");
      task.put("registered_name", "keras_hub>BertMaskedLM");
    }
    writeJson(dir.resolve(KerasPresetReader.TASK), task);
    if (classifier != null && !classifier.classNames().isEmpty()) {
      Files.write(dir.resolve(CLASS_NAMES), classifier.classNames(), StandardCharsets.UTF_8);
    }
    if (preprocessor != null) {
      writeJson(dir.resolve(KerasPresetReader.PREPROCESSOR), preprocessor);
      writeJson(dir.resolve(KerasPresetReader.TOKENIZER), tokenizerConfig(c.tokenizer()));
      Path vocab = dir.resolve(TokenizerConfig.DEFAULT_VOCABULARY_ASSET);
      Files.createDirectories(vocab.getParent());
      try (Writer w = Files.newBufferedWriter(vocab, StandardCharsets.UTF_8)) {
        for (String token : c.tokenizer().vocabulary()) {
          w.write(token);
          w.write('\n');
        }
      }
    }
    writeJson(dir.resolve(KerasPresetReader.METADATA), metadata(c));
    KerasH5Writer.write(dir.resolve(KerasPresetReader.WEIGHTS), KerasH5Writer.backbone(c.weights()));
    KerasH5Writer.write(dir.resolve(KerasPresetReader.TASK_WEIGHTS), classifier != null
        ? KerasH5Writer.textClassifierTask(c.weights(), 0, KERAS_HUB_MASKED_LM_LEARNING_RATE)
        : KerasH5Writer.maskedLmTask(c.weights(), 0, KERAS_HUB_MASKED_LM_LEARNING_RATE));
  }

  /** keras-hub's config has no field for Hugging Face numerics; say what changes on reload. */
  private static void warnAboutFlavor(Content c) {
    BackboneConfig b = c.config();
    if (b.hiddenActivation() != Activation.GELU_APPROXIMATE
        || b.layerNormEpsilon() != BackboneConfig.DEFAULT_LAYER_NORM_EPSILON
        || b.mlmHeadActivation() != Activation.GELU
        || b.mlmHeadLayerNormEpsilon() != BackboneConfig.KERAS_HUB_MLM_HEAD_LAYER_NORM_EPSILON) {
      LOG.warning(() -> "this model computes with " + b.hiddenActivation() + " in the encoder (LayerNorm epsilon "
          + b.layerNormEpsilon() + ") and " + b.mlmHeadActivation() + " in the MaskedLM head (epsilon "
          + b.mlmHeadLayerNormEpsilon() + "), but a keras-hub preset has no field for these: the saved preset "
          + "loads, here and in keras-hub, with keras-hub's numerics (tanh GELU and 1e-12 in the encoder, exact "
          + "GELU and 1e-5 in the head), as keras-hub's own Hugging Face conversion does");
    }
    if (c.tokenizer() != null && c.tokenizer().config().flavor() != TokenizerFlavor.KERAS_HUB) {
      LOG.warning(() -> "the tokenizer normalizes text as Hugging Face's BertTokenizer does; keras-hub's "
          + "tokenizer.json has no field for that, so the saved preset tokenizes as keras-hub does (lowercase "
          + "without stripping accents unless strip_accents is set, ASCII whitespace)");
    }
  }

  private static ObjectNode dtype(String name) {
    ObjectNode d = F.objectNode();
    d.put("module", "keras");
    d.put("class_name", "DTypePolicy");
    d.putObject("config").put("name", name);
    d.putNull("registered_name");
    return d;
  }

  static ObjectNode backboneConfig(BackboneConfig b) {
    ObjectNode root = F.objectNode();
    root.put("module", "keras_hub.src.models.bert.bert_backbone");
    root.put("class_name", KerasPresetReader.BACKBONE_CLASS);
    ObjectNode c = root.putObject("config");
    c.put("name", "bert_backbone");
    c.put("trainable", true);
    c.set("dtype", dtype("float32"));
    c.put("vocabulary_size", b.vocabularySize());
    c.put("num_layers", b.numLayers());
    c.put("num_heads", b.numHeads());
    c.put("hidden_dim", b.hiddenDim());
    c.put("intermediate_dim", b.intermediateDim());
    c.put("dropout", b.dropout());
    c.put("max_sequence_length", b.maxSequenceLength());
    c.put("num_segments", b.numSegments());
    root.put("registered_name", "keras_hub>BertBackbone");
    return root;
  }

  static ObjectNode tokenizerConfig(SavedTokenizer tokenizer) {
    TokenizerConfig t = tokenizer.config();
    ObjectNode root = F.objectNode();
    root.put("module", "keras_hub.src.models.bert.bert_tokenizer");
    root.put("class_name", "BertTokenizer");
    ObjectNode c = root.putObject("config");
    c.put("name", "bert_tokenizer");
    c.put("trainable", true);
    c.set("dtype", dtype("int32"));
    c.put("config_file", KerasPresetReader.TOKENIZER);
    c.putNull("vocabulary");
    c.putNull("sequence_length");
    c.put("lowercase", t.lowercase());
    c.put("strip_accents", t.stripAccents());
    c.put("split", t.split());
    c.put("suffix_indicator", t.suffixIndicator());
    c.put("oov_token", t.oovToken());
    c.putNull("special_tokens");
    c.put("special_tokens_in_strings", tokenizer.specialTokensInStrings());
    root.put("registered_name", "keras_hub>BertTokenizer");
    return root;
  }

  private static ObjectNode preprocessorConfig(Content content) {
    PreprocessorConfig p = content.preprocessor() != null ? content.preprocessor()
        : PreprocessorConfig.kerasHubDefaults().withSequenceLength(Math.min(512, content.config().maxSequenceLength()));
    ObjectNode root = F.objectNode();
    root.put("module", "keras_hub.src.models.bert.bert_masked_lm_preprocessor");
    root.put("class_name", KerasPresetReader.PREPROCESSOR_CLASS);
    ObjectNode c = root.putObject("config");
    c.put("name", "bert_masked_lm_preprocessor");
    c.put("trainable", true);
    c.set("dtype", dtype("float32"));
    c.set("tokenizer", tokenizerConfig(content.tokenizer()));
    c.put("config_file", KerasPresetReader.PREPROCESSOR);
    c.put("sequence_length", p.sequenceLength());
    c.put("truncate", p.truncate() == Truncation.WATERFALL ? "waterfall" : "round_robin");
    c.put("mask_selection_rate", p.maskSelectionRate());
    c.put("mask_selection_length", p.maskSelectionLength());
    c.put("mask_token_rate", p.maskTokenRate());
    c.put("random_token_rate", p.randomTokenRate());
    root.put("registered_name", "keras_hub>BertMaskedLMPreprocessor");
    return root;
  }

  /** keras-hub's {@code BertTextClassifierPreprocessor}, as {@code preprocessor.json} saves it. */
  private static ObjectNode classifierPreprocessorConfig(Content content) {
    Classifier k = content.classifier();
    ObjectNode root = F.objectNode();
    root.put("module", "keras_hub.src.models.bert.bert_text_classifier_preprocessor");
    root.put("class_name", KerasPresetReader.CLASSIFIER_PREPROCESSOR_CLASS);
    ObjectNode c = root.putObject("config");
    c.put("name", "bert_text_classifier_preprocessor");
    c.put("trainable", true);
    c.set("dtype", dtype("float32"));
    c.set("tokenizer", tokenizerConfig(content.tokenizer()));
    c.put("config_file", KerasPresetReader.PREPROCESSOR);
    c.put("sequence_length", k.sequenceLength());
    c.put("truncate", k.truncate() == Truncation.WATERFALL ? "waterfall" : "round_robin");
    root.put("registered_name", "keras_hub>BertTextClassifierPreprocessor");
    return root;
  }

  private static ObjectNode metadata(Content c) {
    ObjectNode m = F.objectNode();
    m.putNull("keras_version");
    m.putNull("keras_hub_version");
    m.put("saved_by", "BertGen " + HubHttp.USER_AGENT.substring("bertgen/".length(), HubHttp.USER_AGENT.indexOf(';')));
    m.put("parameter_count", c.weights().layout().backboneSize());
    m.put("date_saved", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd@HH:mm:ss")));
    m.putArray("tasks").add("MaskedLM").add("TextClassifier").add("TextEmbedder");
    return m;
  }

  /** Python's {@code json.dumps(indent=4)} layout: four spaces, {@code "key": value}. */
  private static void writeJson(Path file, ObjectNode node) throws IOException {
    DefaultPrettyPrinter printer = new DefaultPrettyPrinter(Separators.createDefaultInstance()
        .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
        .withObjectIndenter(new DefaultIndenter("    ", "\n"))
        .withArrayIndenter(new DefaultIndenter("    ", "\n"));
    String text;
    try {
      text = JSON.writer(printer).writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  /** Files of the old preset that BertGen does not write, copied into the new one. */
  private static void carryOver(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        Path rel = from.relativize(p);
        String r = rel.toString().replace('\\', '/');
        if (r.isEmpty() || Files.isDirectory(p) || Files.exists(to.resolve(rel)) || isStaleWeights(r)) {
          continue;
        }
        Files.createDirectories(to.resolve(rel).getParent());
        Files.copy(p, to.resolve(rel), StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
  }

  private static boolean isStaleWeights(String relative) {
    return relative.equals(KerasPresetReader.SHARDED_WEIGHTS)
        || (relative.startsWith("model_") && relative.endsWith(".weights.h5"));
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }

  /** Forces every file of {@code dir} and the folders themselves to disk. */
  private static void syncTree(Path dir) throws IOException {
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
          ch.force(true);
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) {
        syncDirectory(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /** Forces a directory's entries to disk where the platform allows it (Linux, macOS). */
  private static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Windows cannot open directories; its renames are durable enough for this purpose
    }
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(p, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        Files.delete(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /** The names written into a preset directory, for tests and messages. */
  public static List<String> writtenFiles(boolean withTokenizer) {
    return withTokenizer
        ? List.of("config.json", "model.weights.h5", "task.json", "task.weights.h5", "preprocessor.json",
            "tokenizer.json", "assets/tokenizer/vocabulary.txt", "metadata.json")
        : List.of("config.json", "model.weights.h5", "task.json", "task.weights.h5", "metadata.json");
  }
}
