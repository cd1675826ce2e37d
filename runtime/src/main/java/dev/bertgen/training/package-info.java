/**
 * keras' training: options, optimizers, schedules, history, progress, and the fit/evaluate loops
 * ({@link dev.bertgen.training.Trainer}) over a {@link dev.bertgen.training.Trainable} task. May
 * import {@code preprocessing} only among the runtime's packages; never {@code models}.
 */
package dev.bertgen.training;
