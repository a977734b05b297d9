package dev.sluice.engine.shuffle;

/** A map output that is not (or no longer) where it was expected. */
public final class MissingShuffleOutputException extends RuntimeException {

    public MissingShuffleOutputException(ShuffleStore.Key key) {
        super("no map output for job " + key.job() + ", batch " + key.batchTimeMs() + ", shuffle " + key.shuffle()
                + ", map partition " + key.mapPartition());
    }
}
