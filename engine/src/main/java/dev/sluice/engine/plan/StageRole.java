package dev.sluice.engine.plan;

/**
 * What a stage's tasks do, for choosing the workers that may run them: worker pools
 * select stages by role, so that each kind of work scales on its own.
 */
public enum StageRole {
    /** Reads source input: receiver blocks, files, Kafka ranges, queues. */
    MAP,
    /** Reads the output of a shuffle. */
    REDUCE,
    /** Keeps partitions across batches (windows, state, cache) or reads kept ones. */
    STATE
}
