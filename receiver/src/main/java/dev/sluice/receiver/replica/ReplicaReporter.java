package dev.sluice.receiver.replica;

import dev.sluice.receiver.block.BlockReporter;

import java.util.concurrent.CompletableFuture;

/** Tells the coordinator that this receiver keeps a replica of a peer's block. */
@FunctionalInterface
public interface ReplicaReporter {

    /**
     * Reports {@code replica}; the future completes with how the coordinator took it, or fails
     * if the coordinator could not be reached or did not accept it.
     */
    CompletableFuture<BlockReporter.Outcome> reportReplica(Replica replica);
}
