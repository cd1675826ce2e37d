package dev.bertgen.spec;

/**
 * Every error BertGen reports about a preset declaration, with a stable ID. The ID is printed in
 * square brackets at the start of each message ({@code [BertUnknownPreset] ...}) so that it can be
 * searched for in {@code docs/errors.md}.
 */
public enum Diagnostic {
  /** {@code @BertPreset("...")} names no built-in preset. */
  UNKNOWN_PRESET("BertUnknownPreset"),
  /** {@code @BertPreset} sets both or neither of {@code value} and {@code resource}. */
  PRESET_SOURCE("BertPresetSource"),
  /** The YAML file named by {@code @BertPreset(resource = ...)} cannot be found. */
  RESOURCE_NOT_FOUND("BertPresetResourceNotFound"),
  /** The preset file is not well-formed YAML. */
  MALFORMED_YAML("BertMalformedYaml"),
  /** The preset file is YAML but does not follow the preset schema (unknown key, wrong type, missing key). */
  SCHEMA_VIOLATION("BertSchemaViolation"),
  /** A size (layers, heads, hidden, vocabulary, sequence length, ...) is zero or negative. */
  NON_POSITIVE_SIZE("BertNonPositiveSize"),
  /** {@code num_heads} does not divide {@code hidden_dim}. */
  HEADS_DO_NOT_DIVIDE_HIDDEN("BertHeadsDoNotDivideHidden"),
  /** The preprocessor's sequence length is above the backbone's {@code max_sequence_length}. */
  SEQUENCE_LENGTH_ABOVE_MAX("BertSequenceLengthAboveMax"),
  /** A rate (mask rates, dropout) lies outside its range. */
  RATE_OUT_OF_RANGE("BertRateOutOfRange"),
  /** {@code mask_token_rate + random_token_rate} is above 1. */
  MASK_RATES_ABOVE_ONE("BertMaskRatesAboveOne"),
  /** Some other value is invalid (an epsilon, a token, a handle, a name, a class count). */
  INVALID_VALUE("BertInvalidValue"),
  /** The file's declared {@code params} differs from the count its architecture gives. */
  PARAMETER_COUNT_MISMATCH("BertParameterCountMismatch"),
  /** The bundled vocabulary is unknown, lacks a special token, or its length differs from {@code vocabulary_size}. */
  VOCABULARY_MISMATCH("BertVocabularyMismatch"),
  /** A weight matrix would not fit in one Java array. */
  TENSOR_TOO_LARGE("BertTensorTooLarge"),
  /** Two declarations would generate classes with the same name, or a generated name is taken. */
  DUPLICATE_CLASS_NAME("BertDuplicateClassName"),
  /** The annotation is on something other than a class or an interface. */
  WRONG_ELEMENT_KIND("BertWrongElementKind"),
  /** A type carries both {@code @BertPreset} and {@code @BertSpec}. */
  CONFLICTING_ANNOTATIONS("BertConflictingAnnotations"),
  /** {@code @BertOverrides} on a type that has neither {@code @BertPreset} nor {@code @BertSpec}. */
  OVERRIDES_WITHOUT_DECLARATION("BertOverridesWithoutDeclaration"),
  /** A {@code numClasses} is negative, too large, or contradicts a classifier preset's own. */
  BAD_NUM_CLASSES("BertBadNumClasses"),
  /** A {@code prefix} is not a Java identifier. */
  INVALID_PREFIX("BertInvalidPrefix"),
  /** The processor failed unexpectedly; the message carries the stack trace. */
  PROCESSOR_EXCEPTION("BertProcessorException"),
  /** A preset loaded at run time does not have the architecture a generated class was built for. */
  ARCHITECTURE_MISMATCH("BertArchitectureMismatch");

  private final String id;

  Diagnostic(String id) {
    this.id = id;
  }

  /** The stable ID, for example {@code BertUnknownPreset}. */
  public String id() {
    return id;
  }

  /** The ID in brackets, as messages start: {@code [BertUnknownPreset]}. */
  public String tag() {
    return "[" + id + "]";
  }
}
