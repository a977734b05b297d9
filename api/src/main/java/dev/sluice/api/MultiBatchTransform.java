package dev.sluice.api;

import java.util.List;

/** What {@link StreamingContext#transform} applies to the batches of several streams at the same time. */
@FunctionalInterface
public interface MultiBatchTransform<R> {

    /** The new batch made from {@code batches}, one per stream in order, at {@code batchTimeMs}. */
    Batch<R> apply(List<Batch<?>> batches, long batchTimeMs);
}
