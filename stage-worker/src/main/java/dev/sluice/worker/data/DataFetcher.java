package dev.sluice.worker.data;

import com.google.protobuf.ByteString;
import dev.sluice.engine.exec.FetchFailedException;
import dev.sluice.protocol.BlockStoreGrpc;
import dev.sluice.protocol.DataChunk;
import dev.sluice.protocol.FetchBlockRequest;
import dev.sluice.protocol.FetchCachedRequest;
import dev.sluice.protocol.FetchShuffleRequest;
import dev.sluice.protocol.WorkerDataGrpc;
import dev.sluice.protocol.client.ChannelPool;
import io.grpc.StatusRuntimeException;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Fetches receiver blocks, peers' shuffle buckets and peers' kept partitions over gRPC streams of chunks. */
public final class DataFetcher {

    private static final long DEADLINE_SECONDS = 60;

    private final ChannelPool channels;
    // Peers the coordinator declared lost and that have not registered again: fetching from
    // them fails at once, since a frozen peer would accept a connection and never answer.
    private final Set<String> lostPeers = ConcurrentHashMap.newKeySet();

    public DataFetcher(ChannelPool channels) {
        this.channels = channels;
    }

    /** The peer at {@code address} was declared lost: fetches from it, running or new, fail now. */
    public void peerLost(String address) {
        lostPeers.add(address);
        channels.drop(address);
    }

    /** A peer registered at {@code address} (again): fetches from it go ahead. */
    public void peerJoined(String address) {
        lostPeers.remove(address);
    }

    private void requireNotLost(String address, String what) {
        if (lostPeers.contains(address)) {
            throw new FetchFailedException(address, "cannot fetch " + what + " from worker " + address
                    + ": it was declared lost");
        }
    }

    /** The bytes of block {@code blockId} from the receiver at {@code address}. */
    public byte[] fetchBlock(String address, String blockId) {
        try {
            Iterator<DataChunk> chunks = BlockStoreGrpc.newBlockingStub(channels.get(address))
                    .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                    .fetchBlock(FetchBlockRequest.newBuilder().setBlockId(blockId).build());
            ByteString all = ByteString.EMPTY;
            while (chunks.hasNext()) {
                all = all.concat(chunks.next().getData());
            }
            return all.toByteArray();
        } catch (StatusRuntimeException e) {
            String message = "cannot fetch block " + blockId + " from receiver " + address + ": " + e.getStatus();
            throw switch (e.getStatus().getCode()) {
                // Down, or back up and not done replaying its log yet.
                case UNAVAILABLE, NOT_FOUND, DEADLINE_EXCEEDED -> new InputUnavailableException(message, e);
                default -> new IllegalStateException(message, e);
            };
        }
    }

    /** The buckets for {@code reducePartition} of the given map partitions, held by the worker at {@code address}. */
    public Map<Integer, byte[]> fetchShuffle(String address, String job, long batchTimeMs, int shuffle,
                                             int reducePartition, List<Integer> mapPartitions) {
        FetchShuffleRequest request = FetchShuffleRequest.newBuilder()
                .setJob(job).setBatchTimeMs(batchTimeMs).setShuffle(shuffle)
                .setReducePartition(reducePartition).addAllMapPartitions(mapPartitions).build();
        requireNotLost(address, "shuffle " + shuffle + " of batch " + batchTimeMs);
        try {
            Iterator<DataChunk> chunks = WorkerDataGrpc.newBlockingStub(channels.get(address))
                    .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                    .fetchShuffle(request);
            Map<Integer, ByteString> parts = new HashMap<>();
            while (chunks.hasNext()) {
                DataChunk c = chunks.next();
                parts.merge(c.getMapPartition(), c.getData(), ByteString::concat);
            }
            Map<Integer, byte[]> out = new HashMap<>();
            for (int m : mapPartitions) {
                out.put(m, parts.getOrDefault(m, ByteString.EMPTY).toByteArray());
            }
            return out;
        } catch (StatusRuntimeException e) {
            throw lostOrFailed(address, "cannot fetch shuffle " + shuffle + " of batch " + batchTimeMs + " from worker "
                    + address + ": " + e.getStatus(), e);
        }
    }

    /** Kept partition {@code partition} of persisted node {@code node}'s batch at {@code batchTimeMs}, held at {@code address}. */
    public byte[] fetchCached(String address, String job, int node, long batchTimeMs, int partition) {
        FetchCachedRequest request = FetchCachedRequest.newBuilder()
                .setJob(job).setNode(node).setBatchTimeMs(batchTimeMs).setPartition(partition).build();
        requireNotLost(address, "kept partition " + partition + " of node " + node + " at batch " + batchTimeMs);
        try {
            Iterator<DataChunk> chunks = WorkerDataGrpc.newBlockingStub(channels.get(address))
                    .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                    .fetchCached(request);
            ByteString all = ByteString.EMPTY;
            while (chunks.hasNext()) {
                all = all.concat(chunks.next().getData());
            }
            return all.toByteArray();
        } catch (StatusRuntimeException e) {
            throw lostOrFailed(address, "cannot fetch kept partition " + partition + " of node " + node + " at batch "
                    + batchTimeMs + " from worker " + address + ": " + e.getStatus(), e);
        }
    }

    /** A peer that is down or no longer has the data lost it; anything else is a plain failure. */
    private static RuntimeException lostOrFailed(String address, String message, StatusRuntimeException e) {
        return switch (e.getStatus().getCode()) {
            case UNAVAILABLE, NOT_FOUND, DEADLINE_EXCEEDED -> new FetchFailedException(address, message);
            default -> new IllegalStateException(message, e);
        };
    }
}
