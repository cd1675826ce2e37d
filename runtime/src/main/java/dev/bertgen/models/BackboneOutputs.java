package dev.bertgen.models;

/**
 * keras-hub's backbone outputs.
 *
 * @param sequenceOutput (batch, sequence, hidden): the last encoder layer
 * @param pooledOutput (batch, hidden): tanh pooler on the first token
 */
public record BackboneOutputs(float[][][] sequenceOutput, float[][] pooledOutput) {}
