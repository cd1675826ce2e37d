package dev.bertgen.spark;

import java.io.Serializable;

/**
 * What one worker did in one attempt of the training stage.
 *
 * @param rank the worker's place in the ring (its partition)
 * @param stageAttempt Spark's attempt number of the stage (0 first; more after a restart)
 * @param device where its model ran
 * @param ringAddress the address its all-reduce port listened on ({@code -} with one worker)
 * @param resumedAt the updates of the checkpoint it started from, 0 for a new run
 * @param updates the optimizer updates it took in this attempt
 * @param iterations the model's updates when it ended (the run's total)
 * @param shardExamples the examples in its shard
 * @param tokens the tokens (batch · sequence length) it trained on
 * @param trainSeconds the wall time of its training loop
 * @param allReduceSeconds the time of that spent in the gradient all-reduce (waiting included)
 * @param allReduceFloats the floats it summed per update
 * @param loss the last epoch's loss over all workers
 * @param accuracy the last epoch's masked-token accuracy over all workers
 */
public record WorkerReport(int rank, int stageAttempt, String device, String ringAddress, long resumedAt, long updates, long iterations,
    long shardExamples, long tokens, double trainSeconds, double allReduceSeconds, long allReduceFloats, double loss,
    double accuracy) implements Serializable {

  private static final long serialVersionUID = 1L;
}
