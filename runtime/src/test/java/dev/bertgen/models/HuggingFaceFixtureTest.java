package dev.bertgen.models;

import static com.google.common.truth.Truth.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bertgen.preprocessing.PackedInputs;
import dev.bertgen.spec.PreprocessorConfig;
import dev.bertgen.testing.ReferenceFixtures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The tokens, ids, attention masks and token types that Hugging Face transformers made for the
 * reference fixtures' hf_bert_mlm/fixture.json, rebuilt by {@link BertTokenizer#fromPreset} on the
 * same directory and packed by {@link BertMaskedLMPreprocessor#pack}.
 */
class HuggingFaceFixtureTest {
  private static JsonNode fixture;
  private static BertTokenizer tokenizer;

  /** Per test, so that a missing fixture marks each test skipped with the reason. */
  @BeforeEach
  void load() {
    fixture = ReferenceFixtures.json(ReferenceFixtures.require("hf_bert_mlm/fixture.json"));
    tokenizer = BertTokenizer.fromPreset(ReferenceFixtures.huggingFace());
  }

  private static BertMaskedLMPreprocessor preprocessor(int sequenceLength) {
    return new BertMaskedLMPreprocessor(tokenizer, PreprocessorConfig.kerasHubDefaults().withSequenceLength(sequenceLength));
  }

  private static int[][] ints(JsonNode rows) {
    int[][] out = new int[rows.size()][];
    for (int r = 0; r < out.length; r++) {
      out[r] = new int[rows.get(r).size()];
      for (int c = 0; c < out[r].length; c++) {
        out[r][c] = rows.get(r).get(c).asInt();
      }
    }
    return out;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  @Test
  void sentences() {
    List<String> sentences = strings(fixture.get("sentences"));
    int[][] expectedIds = ints(fixture.get("input_ids"));
    PackedInputs packed = preprocessor(expectedIds[0].length).pack(sentences);
    assertThat(packed.tokenIds()).isEqualTo(expectedIds);
    assertThat(packed.paddingMask()).isEqualTo(ints(fixture.get("attention_mask")));
    assertThat(packed.segmentIds()).isEqualTo(ints(fixture.get("token_type_ids")));
    for (int r = 0; r < sentences.size(); r++) {
      List<String> tokens = new ArrayList<>();
      for (int id : packed.tokenIds()[r]) {
        tokens.add(tokenizer.idToToken(id));
      }
      assertThat(tokens).containsExactlyElementsIn(strings(fixture.get("tokens").get(r))).inOrder();
    }
  }

  @Test
  void pair() {
    JsonNode pair = fixture.get("pair").get(0);
    int[][] expectedIds = ints(fixture.get("pair_input_ids"));
    PackedInputs packed = preprocessor(expectedIds[0].length)
        .pack(List.of(pair.get(0).asText()), List.of(pair.get(1).asText()));
    assertThat(packed.tokenIds()).isEqualTo(expectedIds);
    assertThat(packed.segmentIds()).isEqualTo(ints(fixture.get("pair_token_type_ids")));
  }
}
