package dev.sluice.engine.cache;

/** A kept partition that is not (or no longer) where it was expected. */
public final class MissingCachedPartitionException extends RuntimeException {

    public MissingCachedPartitionException(CacheStore.Key key) {
        super("no kept partition " + key.partition() + " of node " + key.node() + " for job " + key.job()
                + " at batch " + key.timeMs());
    }
}
