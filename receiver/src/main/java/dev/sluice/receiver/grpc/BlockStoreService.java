package dev.sluice.receiver.grpc;

import dev.sluice.protocol.BlockStoreGrpc;
import dev.sluice.protocol.DataChunk;
import dev.sluice.protocol.FetchBlockRequest;
import dev.sluice.protocol.ReplicaAck;
import dev.sluice.protocol.ReplicaChunk;
import dev.sluice.protocol.check.Refusal;
import dev.sluice.protocol.check.RefusalCounter;
import dev.sluice.protocol.check.UndecodableMessages;
import dev.sluice.receiver.ReceiverConfig;
import dev.sluice.receiver.ReceiverLifecycle;
import dev.sluice.receiver.block.Block;
import dev.sluice.receiver.block.ReceivedBlockStore;
import dev.sluice.receiver.replica.Replica;
import dev.sluice.receiver.replica.ReplicaKeeper;
import dev.sluice.receiver.replica.ReplicaStore;
import dev.sluice.receiver.wal.WriteAheadLog;
import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import jakarta.inject.Inject;

import java.util.Optional;

/**
 * The {@code BlockStore} gRPC service: workers fetch a block's bytes by id as a stream of
 * chunks of at most {@link dev.sluice.protocol.transfer.Chunks#MAX_BYTES} bytes whose
 * concatenation is the block. An id this receiver does not hold is answered with
 * {@code NOT_FOUND}. A block no longer in memory (past its retention) but still in the
 * write-ahead log (not yet processed) is read back from the log; a block
 * whose replica this receiver keeps for a peer is served from the replica (the coordinator
 * sends workers here once the peer is gone). Peers store replicas with
 * {@code StoreReplica} ({@link ReplicaUpload}). Malformed requests ({@link BlockStoreCheck})
 * are answered {@code INVALID_ARGUMENT}; every refusal is counted.
 */
@GrpcService
public class BlockStoreService implements BlockStoreGrpc.AsyncService, BindableService {

    private final ReceivedBlockStore store;
    private final WriteAheadLog wal;
    private final ReplicaStore replicas;
    private final ReceiverLifecycle receiver;
    private final long maxReplicaBytes;
    private final RefusalCounter refusals;

    /**
     * Serves the blocks of {@code store}, those only left in {@code wal}, and the replicas of
     * {@code replicas}; takes replicas of at most {@code sluice.receiver.replication.max-bytes}
     * for {@code receiver}'s keeper; counts refusals in {@code refusals}.
     */
    @Inject
    public BlockStoreService(ReceivedBlockStore store, WriteAheadLog wal, ReplicaStore replicas,
            ReceiverLifecycle receiver, ReceiverConfig config, RefusalCounter refusals) {
        this.store = store;
        this.wal = wal;
        this.replicas = replicas;
        this.receiver = receiver;
        // A replica is held in one array.
        this.maxReplicaBytes = Math.min(config.replication().maxBytes().asLongValue(), Integer.MAX_VALUE - 8);
        this.refusals = refusals;
    }

    @Override
    public void fetchBlock(FetchBlockRequest request, StreamObserver<DataChunk> responseObserver) {
        Optional<Refusal> malformed = BlockStoreCheck.fetch(request);
        if (malformed.isPresent()) {
            responseObserver.onError(refusals.counted(RefusalCounter.Boundary.BLOCK_STORE, malformed.get()));
            return;
        }
        String id = request.getBlockId();
        Optional<Block> block = store.get(id).or(() -> replicas.get(id).map(Replica::block)).or(() -> wal.read(id));
        if (block.isEmpty()) {
            responseObserver.onError(refusals.counted(RefusalCounter.Boundary.BLOCK_STORE, Refusal.unknown("block " + id
                    + " is not held by this receiver (never stored here, processed, or dropped after its retention)")));
            return;
        }
        ChunkedReply.send(block.get().data(), responseObserver);
    }

    @Override
    public StreamObserver<ReplicaChunk> storeReplica(StreamObserver<ReplicaAck> responseObserver) {
        ReplicaKeeper keeper = receiver.replicaKeeper();
        if (keeper == null) {
            responseObserver.onError(Status.UNAVAILABLE.withDescription("the receiver is starting")
                    .asRuntimeException());
            return new StreamObserver<>() {
                @Override
                public void onNext(ReplicaChunk value) {
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                }
            };
        }
        return new ReplicaUpload(keeper, receiver.address(), responseObserver, maxReplicaBytes, refusals);
    }

    /** Undecodable requests are refused as invalid ({@link UndecodableMessages}). */
    @Override
    public ServerServiceDefinition bindService() {
        return UndecodableMessages.guard(BlockStoreGrpc.bindService(this), refusals);
    }
}
