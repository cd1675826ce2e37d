package dev.bertgen.processor.gen;

import com.palantir.javapoet.ClassName;

/** Every runtime and DSL type the generated code names, in one place. */
public final class RuntimeNames {
  private RuntimeNames() {}

  public static final ClassName BERT_GENERATED = ClassName.get("dev.bertgen.dsl", "BertGenerated");
  public static final ClassName ACTIVATION = ClassName.get("dev.bertgen.dsl", "Activation");
  public static final ClassName TOKENIZER_FLAVOR = ClassName.get("dev.bertgen.dsl", "TokenizerFlavor");
  public static final ClassName TRUNCATION = ClassName.get("dev.bertgen.dsl", "Truncation");

  public static final ClassName PRESET_SPEC = ClassName.get("dev.bertgen.spec", "PresetSpec");
  public static final ClassName BACKBONE_CONFIG = ClassName.get("dev.bertgen.spec", "BackboneConfig");
  public static final ClassName TOKENIZER_CONFIG = ClassName.get("dev.bertgen.spec", "TokenizerConfig");
  public static final ClassName PREPROCESSOR_CONFIG = ClassName.get("dev.bertgen.spec", "PreprocessorConfig");
  public static final ClassName TASK_CONFIG = ClassName.get("dev.bertgen.spec", "TaskConfig");
  public static final ClassName DIAGNOSTIC = ClassName.get("dev.bertgen.spec", "Diagnostic");

  public static final ClassName BERT_BACKBONE = ClassName.get("dev.bertgen.models", "BertBackbone");
  public static final ClassName BERT_MASKED_LM = ClassName.get("dev.bertgen.models", "BertMaskedLM");
  public static final ClassName BERT_MASKED_LM_PREPROCESSOR =
      ClassName.get("dev.bertgen.models", "BertMaskedLMPreprocessor");
  public static final ClassName BERT_TOKENIZER = ClassName.get("dev.bertgen.models", "BertTokenizer");
  public static final ClassName BERT_TEXT_CLASSIFIER = ClassName.get("dev.bertgen.models", "BertTextClassifier");
  public static final ClassName BERT_TEXT_CLASSIFIER_PREPROCESSOR =
      ClassName.get("dev.bertgen.models", "BertTextClassifierPreprocessor");
  public static final ClassName CLASSIFIER_STATE = ClassName.get("dev.bertgen.models", "ClassifierState");
  public static final ClassName MODEL_STATE = ClassName.get("dev.bertgen.models", "ModelState");
  public static final ClassName PRESET_OPTIONS = ClassName.get("dev.bertgen.models", "PresetOptions");
  public static final ClassName SPECIALIZATION = ClassName.get("dev.bertgen.models", "Specialization");
  public static final ClassName PRESET_EXCEPTION = ClassName.get("dev.bertgen.presets", "PresetException");
  /** Whose {@code load(source, options, specialization, withMaskedLmHead)} gives a ModelState. */
  public static final ClassName PRESET_LOADER = ClassName.get("dev.bertgen.models", "ModelState");

  public static final ClassName BERT_KERNELS = ClassName.get("dev.bertgen.compute", "BertKernels");
  public static final ClassName KERNEL_FACTORY = ClassName.get("dev.bertgen.compute", "KernelFactory");
  public static final ClassName GPU_BERT_KERNELS = ClassName.get("dev.bertgen.compute", "GpuBertKernels");
  public static final ClassName KERNEL_FAMILY = ClassName.get("dev.bertgen.compute", "KernelFamily");
  public static final ClassName OPS = ClassName.get("dev.bertgen.compute", "Ops");

  /** The processor, as named in {@code @Generated}. */
  public static final String PROCESSOR = "dev.bertgen.processor.BertProcessor";
}
