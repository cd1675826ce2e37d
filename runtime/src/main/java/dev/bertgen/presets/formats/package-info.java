/**
 * Preset file formats: keras-hub's presets (JSON configs, HDF5 weights read and written), Hugging Face
 * checkpoints (config.json, safetensors), JSON reading and weight errors. May import {@code presets},
 * {@code layers}, {@code compute} and the spec; not the hub, loading, tokenizers or models.
 */
package dev.bertgen.presets.formats;
