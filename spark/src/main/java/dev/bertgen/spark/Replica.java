package dev.bertgen.spark;

import dev.bertgen.compute.ComputeDevice;
import dev.bertgen.examples.app.BertGenApp.UserException;
import dev.bertgen.examples.app.Checkpoint;
import dev.bertgen.examples.app.ClassifierModels;
import dev.bertgen.examples.app.LabelLines;
import dev.bertgen.examples.app.Models;
import dev.bertgen.models.BertMaskedLM;
import dev.bertgen.models.BertTextClassifier;
import dev.bertgen.preprocessing.TextClassifierBatch;
import dev.bertgen.training.CompileOptions;
import dev.bertgen.training.FitOptions;
import dev.bertgen.training.GradientExchange;
import dev.bertgen.training.History;
import dev.bertgen.training.OptimizerState;
import dev.bertgen.training.Optimizers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A worker's model replica, masked LM or text classifier, behind the calls a worker makes: created
 * (or loaded from a checkpoint) and compiled the same way on every worker, then trained on the worker's shard.
 */
interface Replica extends AutoCloseable {

  /** Optimizer updates so far. */
  long iterations();

  /** The preprocessor's sequence length. */
  int sequenceLength();

  /** The dropout rate training uses. */
  double dropoutRate();

  /** The masked LM's mask slots (0 for a classifier). */
  int maskSlots();

  /** Where the model runs. */
  String device();

  /** Sets the gradient exchange and this worker's dropout seed. */
  void prepare(GradientExchange exchange, long dropoutSeed);

  /** {@code fit} on this worker's shard. */
  History fit(FitOptions options);

  void saveToPreset(Path dir);

  OptimizerState optimizerState();

  @Override
  void close();

  /**
   * A masked LM on {@code texts} (line numbers {@code lineNumbers} of the whole data): from the checkpoint
   * when {@code saved} is not null, else new as {@code o} says.
   */
  static Replica maskedLm(DataParallelOptions o, Path checkpoint, SparkRunState saved, ComputeDevice device,
      List<String> texts, long[] lineNumbers) {
    BertMaskedLM mlm;
    if (saved != null) {
      mlm = Models.load(checkpoint.toString(), device);
      mlm.setPreprocessor(Models.preprocessor(mlm, saved.sequenceLength(), saved.maskSlots()));
      mlm.compile(new CompileOptions(Optimizers.adam(saved.learningRate())));
      mlm.setOptimizerState(Checkpoint.optimizer(checkpoint));
      mlm.setDropoutRate(saved.dropout());
    } else {
      mlm = o.fromScratch() ? Models.fromScratch(o.preset(), o.seed(), device) : Models.load(o.preset(), device);
      int length = o.sequenceLength() != null ? o.sequenceLength()
          : Math.min(128, mlm.backbone().config().maxSequenceLength());
      mlm.setPreprocessor(Models.preprocessor(mlm, length, o.maskSlots()));
      mlm.compile(new CompileOptions(Optimizers.adam(o.learningRate())));
      if (o.dropout() != null) {
        mlm.setDropoutRate(o.dropout());
      }
    }
    ShardSource source = new ShardSource(mlm.preprocessor(), texts, lineNumbers,
        saved != null ? saved.seed() : o.seed());
    return new Replica() {
      @Override
      public long iterations() {
        return mlm.iterations();
      }

      @Override
      public int sequenceLength() {
        return mlm.preprocessor().config().sequenceLength();
      }

      @Override
      public int maskSlots() {
        return mlm.preprocessor().config().maskSelectionLength();
      }

      @Override
      public double dropoutRate() {
        return mlm.dropoutRate();
      }

      @Override
      public String device() {
        return mlm.backbone().device().toString();
      }

      @Override
      public void prepare(GradientExchange exchange, long dropoutSeed) {
        mlm.setGradientExchange(exchange);
        mlm.setDropoutSeed(dropoutSeed);
      }

      @Override
      public History fit(FitOptions options) {
        return mlm.fit(source, options);
      }

      @Override
      public void saveToPreset(Path dir) {
        mlm.saveToPreset(dir);
      }

      @Override
      public OptimizerState optimizerState() {
        return mlm.optimizerState();
      }

      @Override
      public void close() {
        mlm.close();
      }
    };
  }

  /**
   * A text classifier on the shard's {@code label<TAB>text} lines: from the checkpoint when {@code saved} is
   * not null, else a fresh head of {@code classes.numClasses()} over the preset's backbone (or keras-hub's
   * initialization with {@code --from-scratch}).
   */
  static Replica classifier(DataParallelOptions o, Classes classes, Path checkpoint, SparkRunState saved,
      ComputeDevice device, List<String> lines) {
    BertTextClassifier c;
    if (saved != null) {
      c = ClassifierModels.load(checkpoint.toString(), null, saved.seed(), device);
      c.setPreprocessor(c.preprocessor().withSequenceLength(saved.sequenceLength()));
      c.compile(new CompileOptions(Optimizers.adam(saved.learningRate())));
      c.setOptimizerState(Checkpoint.optimizer(checkpoint));
      c.backbone().setTrainable(!saved.freezeBackbone());
      c.setDropoutRate(saved.dropout());
    } else {
      c = o.fromScratch() ? ClassifierModels.fromScratch(o.preset(), classes.numClasses(), o.seed(), device)
          : ClassifierModels.load(o.preset(), classes.presetHead() ? null : classes.numClasses(), o.seed(), device);
      if (!classes.presetHead() && !classes.names().isEmpty()) {
        c.setClassNames(classes.names());
      }
      if (c.preprocessor() == null) {
        throw new UserException(o.preset() + " has no vocabulary (no tokenizer files), so it cannot read text");
      }
      int length = o.sequenceLength() != null ? o.sequenceLength()
          : Math.min(64, c.backbone().config().maxSequenceLength());
      c.setPreprocessor(c.preprocessor().withSequenceLength(length));
      c.compile(new CompileOptions(Optimizers.adam(o.learningRate())));
      c.backbone().setTrainable(!o.freezeBackbone());
      if (o.dropout() != null) {
        c.setDropoutRate(o.dropout());
      }
    }
    List<String> first = new ArrayList<>(lines.size());
    List<String> second = classes.pairs() ? new ArrayList<>(lines.size()) : null;
    int[] labels = new int[lines.size()];
    for (int i = 0; i < lines.size(); i++) {
      String[] f = LabelLines.fields(lines.get(i)); // checked on the driver (LabelSummary)
      labels[i] = classes.id(f[0].strip());
      first.add(f[1].strip());
      if (second != null) {
        second.add(f[2].strip());
      }
    }
    TextClassifierBatch shard = second == null ? c.preprocessor().call(first, labels)
        : c.preprocessor().call(first, second, labels);
    return new Replica() {
      @Override
      public long iterations() {
        return c.iterations();
      }

      @Override
      public int sequenceLength() {
        return c.preprocessor().sequenceLength();
      }

      @Override
      public int maskSlots() {
        return 0;
      }

      @Override
      public double dropoutRate() {
        return c.dropoutRate();
      }

      @Override
      public String device() {
        return c.backbone().device().toString();
      }

      @Override
      public void prepare(GradientExchange exchange, long dropoutSeed) {
        c.setGradientExchange(exchange);
        c.setDropoutSeed(dropoutSeed);
      }

      @Override
      public History fit(FitOptions options) {
        return c.fit(shard, options);
      }

      @Override
      public void saveToPreset(Path dir) {
        c.saveToPreset(dir);
      }

      @Override
      public OptimizerState optimizerState() {
        return c.optimizerState();
      }

      @Override
      public void close() {
        c.close();
      }
    };
  }
}
