package dev.sluice.receiver.grpc;

import dev.sluice.protocol.FetchBlockRequest;
import dev.sluice.protocol.ReplicaHeader;
import dev.sluice.protocol.check.Refusal;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BlockStoreCheckTest {

    private static ReplicaHeader.Builder header() {
        return ReplicaHeader.newBuilder().setJob("events").setNode(1).setBlockId("r0-1-x.7").setRecords(3)
                .setReceivedAtMs(5).setPrimaryAddress("receiver-0:9095").setBytes(100);
    }

    private static String detail(Optional<Refusal> r) {
        return r.map(Refusal::detail).orElse(null);
    }

    @Test
    void aFetchNeedsABlockId() {
        assertEquals(null, detail(BlockStoreCheck.fetch(FetchBlockRequest.newBuilder().setBlockId("r0-1-x.7").build())));
        assertEquals("block_id must be set, got ''", detail(BlockStoreCheck.fetch(FetchBlockRequest.getDefaultInstance())));
        assertEquals(Status.Code.INVALID_ARGUMENT, BlockStoreCheck.fetch(FetchBlockRequest.newBuilder()
                .setBlockId("b".repeat(1000)).build()).orElseThrow().code());
    }

    @Test
    void aReplicaHeaderIsCheckedFieldByField() {
        assertEquals(null, detail(BlockStoreCheck.replicaHeader(header().build(), 100)));
        assertEquals("header.records must not be negative, got -1",
                detail(BlockStoreCheck.replicaHeader(header().setRecords(-1).build(), 100)));
        assertEquals("header.bytes must not be negative, got -1",
                detail(BlockStoreCheck.replicaHeader(header().setBytes(-1).build(), 100)));
        assertEquals("header.block_id must be set, got ''",
                detail(BlockStoreCheck.replicaHeader(header().setBlockId("").build(), 100)));
    }

    @Test
    void aReplicaOverTheLimitIsResourceExhausted() {
        Refusal r = BlockStoreCheck.replicaHeader(header().setBytes(101).build(), 100).orElseThrow();
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, r.code());
        assertEquals(Refusal.Reason.TOO_LARGE, r.reason());
        assertEquals("the replica of block r0-1-x.7 has 101 bytes, more than the 100 sluice.receiver.replication.max-bytes"
                + " allows", r.detail());
    }
}
