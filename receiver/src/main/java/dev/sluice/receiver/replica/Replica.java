package dev.sluice.receiver.replica;

import dev.sluice.receiver.block.Block;

import java.util.Objects;

/**
 * A copy of a peer's block that this receiver keeps in memory, so that the block survives the
 * loss of the peer.
 *
 * @param block          the block, as the peer cut it (same id, job, node, records)
 * @param primaryAddress where the peer that holds the block itself serves it
 */
public record Replica(Block block, String primaryAddress) {

    /** Checks the fields that must be present. */
    public Replica {
        Objects.requireNonNull(block, "block");
        Objects.requireNonNull(primaryAddress, "primaryAddress");
    }

    /** The block's id. */
    public String id() {
        return block.id();
    }
}
