package dev.sluice.receiver.grpc;

import com.google.protobuf.ByteString;
import dev.sluice.protocol.BlockStoreGrpc;
import dev.sluice.protocol.ReplicaAck;
import dev.sluice.protocol.ReplicaChunk;
import dev.sluice.protocol.ReplicaHeader;
import dev.sluice.protocol.check.Refusal;
import dev.sluice.receiver.block.Block;
import dev.sluice.receiver.block.BlockReporter;
import dev.sluice.receiver.replica.PeerReplicator;
import dev.sluice.receiver.replica.Replica;
import dev.sluice.receiver.replica.ReplicaKeeper;
import dev.sluice.receiver.replica.ReplicaStore;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replicas from a primary's {@link PeerReplicator} to peers that take them with
 * {@link ReplicaUpload} and {@link ReplicaKeeper}, over real loopback gRPC servers.
 */
class ReplicationTest {

    private static final String PRIMARY = "primary-host:9095";
    private static final long MAX_BYTES = 4 << 20;

    /** A peer receiver: its BlockStore server, its replicas, and the replica reports it made. */
    private static final class Peer {
        final ReplicaStore store = new ReplicaStore(Duration.ofMinutes(2), Clock.systemUTC());
        final List<Replica> reported = new CopyOnWriteArrayList<>();
        final List<Refusal.Reason> refused = new CopyOnWriteArrayList<>();
        final AtomicBoolean coordinatorUp = new AtomicBoolean(true);
        final Server server;
        final String address;

        Peer() throws IOException {
            ReplicaKeeper keeper = new ReplicaKeeper(store, replica -> {
                if (!coordinatorUp.get()) {
                    return CompletableFuture.failedFuture(new IllegalStateException("coordinator unreachable"));
                }
                reported.add(replica);
                return CompletableFuture.completedFuture(BlockReporter.Outcome.ACCEPTED);
            });
            String[] self = new String[1];
            server = ServerBuilder.forPort(0).addService(new BlockStoreGrpc.BlockStoreImplBase() {
                @Override
                public StreamObserver<ReplicaChunk> storeReplica(StreamObserver<ReplicaAck> response) {
                    return new ReplicaUpload(keeper, self[0], response, MAX_BYTES, (boundary, reason) -> refused.add(reason));
                }
            }).build().start();
            address = "localhost:" + server.getPort();
            self[0] = address;
        }
    }

    private final List<Peer> peers = new ArrayList<>();
    private PeerReplicator replicator;

    @AfterEach
    void tearDown() {
        if (replicator != null) {
            replicator.close();
        }
        peers.forEach(p -> p.server.shutdownNow());
    }

    private Peer peer() throws IOException {
        Peer p = new Peer();
        peers.add(p);
        return p;
    }

    private static Block block(String id, int bytes) {
        byte[] data = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            data[i] = (byte) (i * 31);
        }
        return new Block(id, "job", 2, data, 7, 1234);
    }

    @Test
    void aReplicaIsKeptWholeByThePeerAndReportedBeforeThePrimaryHearsBack() throws Exception {
        Peer peer = peer();
        replicator = new PeerReplicator(PRIMARY, Duration.ofSeconds(5));
        replicator.peers(List.of(peer.address, PRIMARY));
        assertEquals(List.of(peer.address), replicator.peerAddresses(), "its own address is no peer");

        // 2.5 MiB: three chunks.
        Block block = block("b1", (5 << 20) / 2);
        replicator.make(block);

        Replica kept = peer.store.get("b1").orElseThrow();
        assertEquals(PRIMARY, kept.primaryAddress());
        assertEquals("job", kept.block().job());
        assertEquals(2, kept.block().node());
        assertEquals(7, kept.block().records());
        assertEquals(1234, kept.block().receivedAtMs());
        assertArrayEquals(block.data(), kept.block().data());
        assertEquals(List.of("b1"), peer.reported.stream().map(Replica::id).toList());
    }

    @Test
    void peersAreTakenInTurn() throws Exception {
        Peer a = peer();
        Peer b = peer();
        replicator = new PeerReplicator(PRIMARY, Duration.ofSeconds(5));
        replicator.peers(List.of(a.address, b.address));
        for (int i = 0; i < 4; i++) {
            replicator.make(block("b" + i, 10));
        }
        assertEquals(2, a.store.size());
        assertEquals(2, b.store.size());
    }

    @Test
    void aPeerThatFailsIsSkippedAndTheNextOneTakesTheReplica() throws Exception {
        Peer live = peer();
        String dead = "localhost:" + unusedPort();
        replicator = new PeerReplicator(PRIMARY, Duration.ofSeconds(5));
        replicator.peers(List.of(dead, live.address));
        for (int i = 0; i < 4; i++) {
            replicator.make(block("b" + i, 10));
        }
        assertEquals(4, live.store.size());
    }

    @Test
    void withoutPeersThereIsNoCopy() {
        replicator = new PeerReplicator(PRIMARY, Duration.ofSeconds(5));
        IOException e = assertThrows(IOException.class, () -> replicator.make(block("b1", 10)));
        assertTrue(e.getMessage().contains("replicate mode needs a second receiver"), e.getMessage());

        replicator.peers(List.of(PRIMARY));
        assertThrows(IOException.class, () -> replicator.make(block("b1", 10)));
    }

    @Test
    void whenNoPeerTakesTheReplicaThereIsNoCopy() throws Exception {
        String dead = "localhost:" + unusedPort();
        replicator = new PeerReplicator(PRIMARY, Duration.ofSeconds(5));
        replicator.peers(List.of(dead));
        IOException e = assertThrows(IOException.class, () -> replicator.make(block("b1", 10)));
        assertTrue(e.getMessage().contains("no peer receiver took a replica of block b1: " + dead), e.getMessage());
        // Skipped for a while now: the next block fails at once, naming why.
        e = assertThrows(IOException.class, () -> replicator.make(block("b2", 10)));
        assertTrue(e.getMessage().contains("no live peer receiver"), e.getMessage());
    }

    @Test
    void aPeerThatCannotTellTheCoordinatorKeepsNothingAndRefuses() throws Exception {
        Peer peer = peer();
        peer.coordinatorUp.set(false);
        replicator = new PeerReplicator(PRIMARY, Duration.ofSeconds(5));
        replicator.peers(List.of(peer.address));
        IOException e = assertThrows(IOException.class, () -> replicator.make(block("b1", 10)));
        assertTrue(e.getMessage().contains("UNAVAILABLE") && e.getMessage().contains("coordinator unreachable"),
                e.getMessage());
        assertEquals(0, peer.store.size());
    }

    @Test
    void aReplicaCutShortIsRefusedAndNotKept() throws Exception {
        Peer peer = peer();
        StatusRuntimeException e = upload(peer, header(100), ByteString.copyFrom(Arrays.copyOf(new byte[] {1, 2, 3}, 60)));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getMessage().contains("ended after 60 of the 100 bytes"), e.getMessage());
        assertFalse(peer.store.get("b1").isPresent());
        assertEquals(List.of(), peer.reported);
        assertEquals(List.of(Refusal.Reason.INVALID), peer.refused);
    }

    @Test
    void aReplicaOverTheLimitIsRefusedBeforeItsData() throws Exception {
        Peer peer = peer();
        StatusRuntimeException e = upload(peer, header(MAX_BYTES + 1), ByteString.EMPTY);
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
        assertTrue(e.getMessage().contains((MAX_BYTES + 1) + " bytes, more than the " + MAX_BYTES), e.getMessage());
        // Announcing the most a replica may have, and sending more than announced.
        e = upload(peer, header(10), ByteString.copyFrom(new byte[11]));
        assertTrue(e.getMessage().contains("more than the 10 bytes its header announces"), e.getMessage());
        assertEquals(List.of(Refusal.Reason.TOO_LARGE, Refusal.Reason.INVALID), peer.refused);
        assertEquals(List.of(), peer.reported);
    }

    @Test
    void aMalformedHeaderIsRefusedNamingTheField() throws Exception {
        Peer peer = peer();
        assertEquals("INVALID_ARGUMENT: header.node must not be negative, got -1",
                upload(peer, header(1).setNode(-1), ByteString.copyFrom(new byte[1])).getMessage());
        assertEquals("INVALID_ARGUMENT: header.primary_address must be host:port with a port from 1 to 65535, got 'nowhere'",
                upload(peer, header(1).setPrimaryAddress("nowhere"), ByteString.copyFrom(new byte[1])).getMessage());
        assertEquals(List.of(), peer.reported);
        assertEquals(2, peer.refused.size());
    }

    private static ReplicaHeader.Builder header(long bytes) {
        return ReplicaHeader.newBuilder().setJob("job").setNode(2).setBlockId("b1").setRecords(1)
                .setPrimaryAddress(PRIMARY).setBytes(bytes);
    }

    /** Uploads one chunk with {@code header} and {@code data}; the error the peer answers with. */
    private static StatusRuntimeException upload(Peer peer, ReplicaHeader.Builder header, ByteString data) throws Exception {
        ManagedChannel channel = ManagedChannelBuilder.forTarget(peer.address).usePlaintext().build();
        try {
            CompletableFuture<Throwable> failed = new CompletableFuture<>();
            StreamObserver<ReplicaChunk> call = BlockStoreGrpc.newStub(channel).storeReplica(new StreamObserver<>() {
                @Override
                public void onNext(ReplicaAck value) {
                }

                @Override
                public void onError(Throwable t) {
                    failed.complete(t);
                }

                @Override
                public void onCompleted() {
                    failed.complete(null);
                }
            });
            call.onNext(ReplicaChunk.newBuilder().setHeader(header).setData(data).build());
            call.onCompleted();
            Throwable t = failed.get(5, TimeUnit.SECONDS);
            assertTrue(t instanceof StatusRuntimeException, String.valueOf(t));
            return (StatusRuntimeException) t;
        } finally {
            channel.shutdownNow();
        }
    }

    private static int unusedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
