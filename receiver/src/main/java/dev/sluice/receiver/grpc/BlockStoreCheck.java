package dev.sluice.receiver.grpc;

import dev.sluice.protocol.FetchBlockRequest;
import dev.sluice.protocol.ReplicaHeader;
import dev.sluice.protocol.check.FieldCheck;
import dev.sluice.protocol.check.Refusal;
import io.grpc.Status;

import java.util.Optional;

/** The rules for what workers and peer receivers send a receiver's block store. */
final class BlockStoreCheck {

    private BlockStoreCheck() {
    }

    /** Why a block fetch is refused, if it is. */
    static Optional<Refusal> fetch(FetchBlockRequest r) {
        return FieldCheck.start().id("block_id", r.getBlockId()).result();
    }

    /**
     * Why the header of a replica upload is refused, if it is: a replica larger than
     * {@code maxBytes} is answered {@code RESOURCE_EXHAUSTED} before any of its data is taken.
     */
    static Optional<Refusal> replicaHeader(ReplicaHeader h, long maxBytes) {
        return FieldCheck.start()
                .id("header.job", h.getJob())
                .atLeast("header.node", h.getNode(), 0)
                .id("header.block_id", h.getBlockId())
                .atLeast("header.records", h.getRecords(), 0)
                .atLeast("header.received_at_ms", h.getReceivedAtMs(), 0)
                .address("header.primary_address", h.getPrimaryAddress())
                .atLeast("header.bytes", h.getBytes(), 0)
                .then(() -> h.getBytes() <= maxBytes ? Optional.empty() : Optional.of(new Refusal(Refusal.Reason.TOO_LARGE,
                        Status.Code.RESOURCE_EXHAUSTED, "the replica of block " + h.getBlockId() + " has " + h.getBytes()
                        + " bytes, more than the " + maxBytes + " sluice.receiver.replication.max-bytes allows")))
                .result();
    }
}
