/**
 * Hub access: Kaggle and Hugging Face handles, HTTP with retries and download progress, the caches
 * kagglehub and huggingface_hub use, and {@link dev.bertgen.presets.hub.HubSettings}. May import
 * {@code presets} only among the runtime's packages.
 */
package dev.bertgen.presets.hub;
