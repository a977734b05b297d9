package dev.sluice.receiver.replica;

import dev.sluice.receiver.block.BlockReporter;
import org.jboss.logging.Logger;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Takes the replicas peers send: keeps each in the {@link ReplicaStore} and reports it to the
 * coordinator before the peer is answered. A replica is only worth acknowledging once the
 * coordinator knows where it is, since that is where the coordinator moves the block when
 * its primary goes away.
 */
public final class ReplicaKeeper {

    private static final Logger LOG = Logger.getLogger(ReplicaKeeper.class);

    private final ReplicaStore store;
    private final ReplicaReporter reporter;

    /** Keeps replicas in {@code store} and reports them with {@code reporter}. */
    public ReplicaKeeper(ReplicaStore store, ReplicaReporter reporter) {
        this.store = store;
        this.reporter = reporter;
    }

    /**
     * Keeps {@code replica} and reports it. The future completes once the coordinator has taken
     * the report; it fails, and the replica is dropped, if the coordinator cannot be told.
     */
    public CompletableFuture<Void> keep(Replica replica) {
        // Kept before it is reported: the coordinator may move the block here as soon as it knows.
        store.put(replica);
        CompletableFuture<BlockReporter.Outcome> reported;
        try {
            reported = reporter.reportReplica(replica);
        } catch (RuntimeException e) {
            reported = CompletableFuture.failedFuture(e);
        }
        return reported.handle((outcome, failure) -> {
            if (failure != null) {
                store.remove(replica.id());
                LOG.debugf("dropping the replica of %s: the coordinator was not told of it: %s", replica.block(),
                        failure.getMessage());
                throw failure instanceof CompletionException c ? c : new CompletionException(failure);
            }
            if (outcome == BlockReporter.Outcome.ALREADY_PROCESSED) {
                // Its primary sent it again after it was processed: nothing will read it.
                store.remove(replica.id());
            }
            return null;
        });
    }

    /** The store the replicas are kept in. */
    public ReplicaStore store() {
        return store;
    }
}
