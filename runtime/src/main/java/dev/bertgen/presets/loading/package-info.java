/**
 * Loading, saving and listing presets: {@link dev.bertgen.presets.loading.PresetLoader} (plain
 * {@link dev.bertgen.presets.loading.LoadedPreset} data, which {@code models} makes a model of),
 * {@link dev.bertgen.presets.loading.PresetWriter}, {@link dev.bertgen.presets.loading.PresetCatalog}
 * and the resolver of sources. May import {@code presets}, {@code presets.formats}, {@code presets.hub},
 * {@code tokenizers}, {@code layers} and the spec; never {@code models}.
 */
package dev.bertgen.presets.loading;
