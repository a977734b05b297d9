package dev.sluice.api;

/** What {@link DStream#transform(BatchTransform)} applies to every batch. */
@FunctionalInterface
public interface BatchTransform<T, R> {

    /** The new batch made from {@code batch}, the data of the batch at {@code batchTimeMs}. */
    Batch<R> apply(Batch<T> batch, long batchTimeMs);
}
