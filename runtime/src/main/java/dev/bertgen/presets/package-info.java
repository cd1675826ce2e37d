/**
 * What every preset class shares: {@link dev.bertgen.presets.PresetException}, {@link
 * dev.bertgen.presets.PresetInfo}, the regular-file check (also used by the tokenizers) and the
 * logger name. Imports no other runtime package; its subpackages build on it: {@code formats} (file
 * formats), {@code hub} (Kaggle and Hugging Face access) and {@code loading} (loading, saving and
 * listing presets, on top of both).
 */
package dev.bertgen.presets;
