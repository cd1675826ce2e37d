package dev.bertgen.benchmarks.models;

import dev.bertgen.dsl.Activation;
import dev.bertgen.dsl.BertSpec;
import dev.bertgen.dsl.TokenizerFlavor;
import dev.bertgen.dsl.TokenizerSpec;

/**
 * The architecture of sentence-transformers' all-MiniLM-L6-v2 (keras-hub's all_minilm_l6_v2_en):
 * the shape the forward benchmark compares with ONNX Runtime.
 */
@BertSpec(
    presetName = "all_minilm_l6_v2_en",
    description = "all-MiniLM-L6-v2 shape: 6 layers, hidden 384, 12 heads, intermediate 1536",
    vocabularySize = 30522,
    numLayers = 6,
    numHeads = 12,
    hiddenDim = 384,
    intermediateDim = 1536,
    hiddenActivation = Activation.GELU,
    mlmHeadLayerNormEpsilon = 1e-12,
    tokenizer = @TokenizerSpec(flavor = TokenizerFlavor.HUGGING_FACE, stripAccents = true))
public interface AllMiniLmL6 {}
