package dev.sluice.api;

/** What {@link DStream#transformWith} applies to the batches of two streams at the same time. */
@FunctionalInterface
public interface BatchTransform2<T, U, R> {

    /** The new batch made from {@code first} and {@code second}, the batches at {@code batchTimeMs}. */
    Batch<R> apply(Batch<T> first, Batch<U> second, long batchTimeMs);
}
