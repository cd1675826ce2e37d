/**
 * keras-hub's preprocessing layers (packing, masking) and the model input types they make
 * ({@link dev.bertgen.preprocessing.PackedInputs}, {@link dev.bertgen.preprocessing.MaskedLMInputs},
 * {@link dev.bertgen.preprocessing.MaskedLMBatch}), shared by {@code models} and {@code training}.
 * Imports no other runtime package.
 */
package dev.bertgen.preprocessing;
