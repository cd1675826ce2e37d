package dev.bertgen.presets;

import dev.bertgen.models.BertTokenizer;
import dev.bertgen.models.ModelState;
import dev.bertgen.models.PresetOptions;
import dev.bertgen.presets.loading.PresetWriter;
import java.nio.file.Path;

/**
 * The child process of {@link InterruptedSaveTest}: saves versions 1, 2, 3, ... of a preset over
 * {@code args[1]} as fast as it can, version k marked by k in the first element of the token
 * embedding (model.weights.h5) and of the MaskedLM output bias (task.weights.h5), and prints
 * "saving k" before and "saved k" after each.
 */
public final class SaveLoop {
  private SaveLoop() {}

  public static void main(String[] args) {
    ModelState state = ModelState.load(args[0], PresetOptions.defaults(), null, true);
    Path target = Path.of(args[1]);
    for (int k = 1; ; k++) {
      mark(state, k);
      System.out.println("saving " + k);
      System.out.flush();
      PresetWriter.save(target, new PresetWriter.Content(state.config(), state.weights(), SaveLoop.saved(state.tokenizer()),
          state.specialization().spec().preprocessor()));
      System.out.println("saved " + k);
      System.out.flush();
    }
  }

  /** Writes version {@code k} into the two variables that carry it. */
  static void mark(ModelState state, int k) {
    for (String path : new String[] {"token_embedding/embeddings", "mlm_head/output_bias"}) {
      float[] v = state.weights().get(path);
      v[0] = k;
      state.weights().set(path, v);
    }
  }

  /** What {@code BertMaskedLM.saveToPreset} saves of {@code t} ({@code null}: none). */
  static PresetWriter.SavedTokenizer saved(BertTokenizer t) {
    return t == null ? null
        : new PresetWriter.SavedTokenizer(t.config(), t.vocabulary(), t.options().specialTokensInStrings());
  }
}
