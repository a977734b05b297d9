package dev.sluice.receiver.replica;

import com.google.protobuf.UnsafeByteOperations;
import dev.sluice.protocol.BlockStoreGrpc;
import dev.sluice.protocol.ReplicaAck;
import dev.sluice.protocol.ReplicaChunk;
import dev.sluice.protocol.ReplicaHeader;
import dev.sluice.protocol.transfer.Chunks;
import dev.sluice.receiver.StreamCounters;
import dev.sluice.receiver.block.Block;
import dev.sluice.receiver.block.DurableCopy;
import io.grpc.ManagedChannel;
import dev.sluice.protocol.auth.ClusterToken;
import dev.sluice.protocol.client.ChannelPool;
import dev.sluice.protocol.tls.ClusterTls;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Durable copies as replicas on peer receivers ({@code sluice.receiver.durability=replicate}):
 * each block is sent with {@code BlockStore.StoreReplica} to one peer, which keeps it in memory
 * and reports it to the coordinator before it answers. Peers are taken in turn (round-robin),
 * skipping one that failed within the last {@link #FAILED_PEER_PAUSE}; when one fails the next
 * is tried. With no peer, or none that takes the replica, the block has no copy and
 * {@link #make} fails: the block is not acknowledged.
 *
 * <p>The coordinator sends the peers ({@link #peers}): every other attached receiver.
 * Thread-safe: streams replicate their blocks concurrently.
 */
public final class PeerReplicator implements DurableCopy, AutoCloseable {

    /** How long a peer that failed is skipped before it is tried again. */
    public static final Duration FAILED_PEER_PAUSE = Duration.ofSeconds(1);

    private static final Logger LOG = Logger.getLogger(PeerReplicator.class);

    /** A peer receiver, its channel, and until when it is skipped. */
    private static final class Peer {
        final String address;
        final ManagedChannel channel;
        final BlockStoreGrpc.BlockStoreStub stub;
        long skipUntilNanos;

        Peer(String address, Optional<ClusterToken> token, Optional<ClusterTls> tls) {
            this.address = address;
            this.channel = ChannelPool.open(address, token, tls, 4 * 1024 * 1024);
            this.stub = BlockStoreGrpc.newStub(channel);
        }
    }

    private final String ownAddress;
    private final Duration timeout;
    private final Optional<ClusterToken> token;
    private final Optional<ClusterTls> tls;
    private final Map<String, Peer> peers = new LinkedHashMap<>();
    private int next;
    private boolean closed;

    /**
     * Replicates the blocks of the receiver at {@code ownAddress} (the primary address sent
     * with each replica), giving each peer {@code timeout} to store one.
     */
    public PeerReplicator(String ownAddress, Duration timeout) {
        this(ownAddress, timeout, Optional.empty(), Optional.empty());
    }

    /** As above, with every call to a peer carrying {@code token} when there is one, over {@code tls} when there is one. */
    public PeerReplicator(String ownAddress, Duration timeout, Optional<ClusterToken> token, Optional<ClusterTls> tls) {
        this.ownAddress = ownAddress;
        this.timeout = timeout;
        this.token = token;
        this.tls = tls;
    }

    /**
     * Sets the peers to the receivers at {@code addresses} (this receiver's own address, if
     * listed, is left out). Peers no longer listed are closed; a peer still listed keeps its
     * channel and whether it failed lately.
     */
    public void peers(List<String> addresses) {
        List<Peer> gone = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                return;
            }
            Map<String, Peer> kept = new LinkedHashMap<>();
            for (String a : addresses) {
                if (a.equals(ownAddress) || kept.containsKey(a)) {
                    continue;
                }
                Peer p = peers.remove(a);
                kept.put(a, p != null ? p : new Peer(a, token, tls));
            }
            gone.addAll(peers.values());
            peers.clear();
            peers.putAll(kept);
        }
        gone.forEach(p -> p.channel.shutdownNow());
        List<String> now = peerAddresses();
        LOG.infof("peers for replicas: %s", now.isEmpty() ? "none" : String.join(", ", now));
    }

    /** The addresses of the peers, in the order they are taken. */
    public synchronized List<String> peerAddresses() {
        return List.copyOf(peers.keySet());
    }

    @Override
    public void make(Block block) throws IOException {
        List<Peer> candidates = candidates();
        if (candidates.isEmpty()) {
            throw new IOException(noPeerReason(block));
        }
        List<String> failures = new ArrayList<>();
        for (Peer peer : candidates) {
            try {
                send(peer, block);
                return;
            } catch (IOException e) {
                failures.add(peer.address + " (" + e.getMessage() + ")");
                synchronized (this) {
                    peer.skipUntilNanos = System.nanoTime() + FAILED_PEER_PAUSE.toNanos();
                }
                LOG.debugf("peer %s did not take the replica of %s: %s", peer.address, block, e.getMessage());
            }
        }
        throw new IOException("no peer receiver took a replica of block " + block.id() + ": "
                + String.join("; ", failures));
    }

    @Override
    public boolean survivesUnreported() {
        return false;
    }

    @Override
    public void drop(Block block) {
        // Nothing to do here: the peer drops its replica when the coordinator says the block is processed.
    }

    @Override
    public void countFailure(StreamCounters counters) {
        counters.replicationFailed();
    }

    @Override
    public String describe() {
        return "a peer receiver (replica)";
    }

    /** Closes the channels to the peers; later blocks find none. */
    @Override
    public void close() {
        List<Peer> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(peers.values());
            peers.clear();
        }
        all.forEach(p -> p.channel.shutdownNow());
    }

    /** The peers not skipped now, starting with the next in turn. */
    private synchronized List<Peer> candidates() {
        List<Peer> all = new ArrayList<>(peers.values());
        List<Peer> out = new ArrayList<>(all.size());
        if (all.isEmpty()) {
            return out;
        }
        int start = Math.floorMod(next++, all.size());
        long now = System.nanoTime();
        for (int i = 0; i < all.size(); i++) {
            Peer p = all.get((start + i) % all.size());
            if (now - p.skipUntilNanos >= 0) {
                out.add(p);
            }
        }
        return out;
    }

    private synchronized String noPeerReason(Block block) {
        if (peers.isEmpty()) {
            return "no peer receiver to store a replica of block " + block.id() + " on: replicate mode needs a"
                    + " second receiver attached to the coordinator";
        }
        return "no live peer receiver to store a replica of block " + block.id() + " on: "
                + String.join(", ", peers.keySet()) + " failed within the last " + FAILED_PEER_PAUSE.toMillis()
                + " ms";
    }

    private void send(Peer peer, Block block) throws IOException {
        CompletableFuture<ReplicaAck> answered = new CompletableFuture<>();
        StreamObserver<ReplicaChunk> call = peer.stub.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .storeReplica(new StreamObserver<>() {
                    private ReplicaAck ack;

                    @Override
                    public void onNext(ReplicaAck value) {
                        ack = value;
                    }

                    @Override
                    public void onError(Throwable t) {
                        answered.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        answered.complete(ack);
                    }
                });
        try {
            byte[] data = block.data();
            ReplicaHeader header = ReplicaHeader.newBuilder().setJob(block.job()).setNode(block.node())
                    .setBlockId(block.id()).setRecords(block.records()).setReceivedAtMs(block.receivedAtMs())
                    .setPrimaryAddress(ownAddress).setBytes(data.length).build();
            int offset = 0;
            do {
                int len = Math.min(Chunks.MAX_BYTES, data.length - offset);
                ReplicaChunk.Builder chunk = ReplicaChunk.newBuilder()
                        // No copy: block bytes are never modified once cut.
                        .setData(UnsafeByteOperations.unsafeWrap(data, offset, len));
                if (offset == 0) {
                    chunk.setHeader(header);
                }
                call.onNext(chunk.build());
                offset += len;
            } while (offset < data.length);
            call.onCompleted();
        } catch (RuntimeException e) {
            call.onError(e);
            throw new IOException("sending the replica failed: " + e.getMessage(), e);
        }
        try {
            // The deadline ends the call; the extra second only guards against a callback that never comes.
            answered.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Status status = Status.fromThrowable(e.getCause());
            throw new IOException(status.getCode() + (status.getDescription() == null ? ""
                    : ": " + status.getDescription()), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("no answer within " + timeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the peer", e);
        }
    }
}
