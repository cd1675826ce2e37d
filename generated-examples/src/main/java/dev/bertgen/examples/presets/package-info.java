/**
 * One {@code @BertPreset} type per built-in preset, and a {@code @BertSpec} architecture: the
 * processor generates their classes into this package, exactly as it would in a user's project.
 */
package dev.bertgen.examples.presets;
