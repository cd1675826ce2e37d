package dev.bertgen.examples;

import static com.google.common.truth.Truth.assertWithMessage;

import dev.bertgen.examples.presets.BaseBertConfig;
import dev.bertgen.examples.presets.BaseCasedBertConfig;
import dev.bertgen.examples.presets.BaseChineseBertConfig;
import dev.bertgen.examples.presets.BaseMultilingualBertConfig;
import dev.bertgen.examples.presets.LargeBertConfig;
import dev.bertgen.examples.presets.LargeCasedBertConfig;
import dev.bertgen.examples.presets.MediumBertConfig;
import dev.bertgen.examples.presets.SmallBertConfig;
import dev.bertgen.examples.presets.TinyBertConfig;
import dev.bertgen.examples.presets.TinyBertSst2Config;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * For each of the ten built-in presets, the parameter count the processor put in the generated
 * {@code XConfig} against keras-hub's preset table (keras_hub/src/models/bert/bert_presets.py).
 */
class PresetParameterCountTest {

  /** keras-hub's {@code metadata.params} of each preset. */
  static final Map<String, Long> KERAS_HUB = Map.of(
      "bert_tiny_en_uncased", 4_385_920L,
      "bert_tiny_en_uncased_sst2", 4_385_920L,
      "bert_small_en_uncased", 28_763_648L,
      "bert_medium_en_uncased", 41_373_184L,
      "bert_base_en_uncased", 109_482_240L,
      "bert_base_en", 108_310_272L,
      "bert_base_zh", 102_267_648L,
      "bert_base_multi", 177_853_440L,
      "bert_large_en_uncased", 335_141_888L,
      "bert_large_en", 333_579_264L);

  @Test
  void generatedConfigsMatchKerasHubTable() {
    Map<String, Long> generated = new LinkedHashMap<>();
    generated.put(TinyBertConfig.PRESET_NAME, TinyBertConfig.BACKBONE_PARAMETER_COUNT);
    generated.put(TinyBertSst2Config.PRESET_NAME, TinyBertSst2Config.BACKBONE_PARAMETER_COUNT);
    generated.put(SmallBertConfig.PRESET_NAME, SmallBertConfig.BACKBONE_PARAMETER_COUNT);
    generated.put(MediumBertConfig.PRESET_NAME, MediumBertConfig.BACKBONE_PARAMETER_COUNT);
    generated.put(BaseBertConfig.PRESET_NAME, BaseBertConfig.BACKBONE_PARAMETER_COUNT);
    generated.put(BaseCasedBertConfig.PRESET_NAME, BaseCasedBertConfig.BACKBONE_PARAMETER_COUNT);
    generated.put(BaseChineseBertConfig.PRESET_NAME, BaseChineseBertConfig.BACKBONE_PARAMETER_COUNT);
    generated.put(BaseMultilingualBertConfig.PRESET_NAME, BaseMultilingualBertConfig.BACKBONE_PARAMETER_COUNT);
    generated.put(LargeBertConfig.PRESET_NAME, LargeBertConfig.BACKBONE_PARAMETER_COUNT);
    generated.put(LargeCasedBertConfig.PRESET_NAME, LargeCasedBertConfig.BACKBONE_PARAMETER_COUNT);

    System.out.printf("%-28s %15s %15s%n", "preset", "generated", "keras-hub");
    generated.forEach((name, count) -> System.out.printf("%-28s %,15d %,15d%n", name, count, KERAS_HUB.get(name)));
    assertWithMessage("presets").that(generated.keySet()).containsExactlyElementsIn(KERAS_HUB.keySet());
    for (Map.Entry<String, Long> e : generated.entrySet()) {
      assertWithMessage(e.getKey()).that(e.getValue()).isEqualTo(KERAS_HUB.get(e.getKey()));
    }
  }
}
