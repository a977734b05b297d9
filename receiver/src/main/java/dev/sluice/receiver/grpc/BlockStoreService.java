package dev.sluice.receiver.grpc;

import dev.sluice.protocol.BlockStoreGrpc;
import dev.sluice.protocol.DataChunk;
import dev.sluice.protocol.FetchBlockRequest;
import dev.sluice.receiver.block.Block;
import dev.sluice.receiver.block.ReceivedBlockStore;
import dev.sluice.receiver.wal.WriteAheadLog;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import jakarta.inject.Inject;

import java.util.Optional;

/**
 * The {@code BlockStore} gRPC service: workers fetch a block's bytes by id as a stream of
 * chunks of at most 1 MiB whose concatenation is the block. An id this receiver does not
 * hold is answered with {@code NOT_FOUND}. A block no longer in memory (past its retention)
 * but still in the write-ahead log (not yet processed) is read back from the log.
 */
@GrpcService
public class BlockStoreService extends BlockStoreGrpc.BlockStoreImplBase {

    private final ReceivedBlockStore store;
    private final WriteAheadLog wal;

    /** Serves the blocks of {@code store}, and those only left in {@code wal}. */
    @Inject
    public BlockStoreService(ReceivedBlockStore store, WriteAheadLog wal) {
        this.store = store;
        this.wal = wal;
    }

    @Override
    public void fetchBlock(FetchBlockRequest request, StreamObserver<DataChunk> responseObserver) {
        String id = request.getBlockId();
        Optional<Block> block = store.get(id).or(() -> wal.read(id));
        if (block.isEmpty()) {
            responseObserver.onError(Status.NOT_FOUND
                    .withDescription("block " + id + " is not held by this receiver"
                            + " (never stored here, processed, or dropped after its retention)")
                    .asRuntimeException());
            return;
        }
        ChunkedReply.send(block.get().data(), responseObserver);
    }
}
