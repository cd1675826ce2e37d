package dev.bertgen.presets;

import java.nio.file.Path;

/**
 * A built-in preset as {@code presets()} lists it: keras-hub's metadata, and whether its files are in
 * kagglehub's cache (so that it loads without the network).
 *
 * @param name the preset name, e.g. {@code bert_tiny_en_uncased}
 * @param description keras-hub's description
 * @param params the backbone's parameter count as keras-hub lists it
 * @param kaggleHandle where it is downloaded from, {@code kaggle://keras/bert/keras/<name>/<version>}
 * @param task the keras-hub task class it was saved as ({@code MaskedLM} or {@code TextClassifier})
 * @param cached whether its config.json and backbone weights are in kagglehub's cache
 * @param cacheDirectory the folder the files are (or would be) cached in
 */
public record PresetInfo(String name, String description, long params, String kaggleHandle, String task,
    boolean cached, Path cacheDirectory) {}
