package dev.sluice.api;

/** What {@link DStream#foreachBatch} runs for every batch. */
@FunctionalInterface
public interface BatchConsumer<T> {

    /** Called once per batch with the batch's data and its time. */
    void accept(Batch<T> batch, long batchTimeMs) throws Exception;
}
