package dev.sluice.worker.grpc;

import com.google.protobuf.ByteString;
import dev.sluice.engine.shuffle.MissingShuffleOutputException;
import dev.sluice.engine.shuffle.ShuffleStore;
import dev.sluice.protocol.DataChunk;
import dev.sluice.protocol.FetchShuffleRequest;
import dev.sluice.protocol.ShuffleStoreGrpc;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import jakarta.inject.Inject;

/** Serves this worker's map outputs to the peers running reduce tasks. */
@GrpcService
public class ShuffleService extends ShuffleStoreGrpc.ShuffleStoreImplBase {

    static final int CHUNK_BYTES = 1 << 20;

    @Inject
    ShuffleStore store;

    @Override
    public void fetchShuffle(FetchShuffleRequest request, StreamObserver<DataChunk> response) {
        if (request.getReducePartition() < 0) {
            response.onError(Status.INVALID_ARGUMENT
                    .withDescription("reduce_partition is negative: " + request.getReducePartition()).asRuntimeException());
            return;
        }
        try {
            for (int m : request.getMapPartitionsList()) {
                byte[] bucket = store.bucket(new ShuffleStore.Key(request.getJob(), request.getBatchTimeMs(),
                        request.getShuffle(), m), request.getReducePartition());
                // At least one chunk per map partition, so an empty bucket is still answered.
                int off = 0;
                do {
                    int len = Math.min(CHUNK_BYTES, bucket.length - off);
                    response.onNext(DataChunk.newBuilder().setMapPartition(m)
                            .setData(ByteString.copyFrom(bucket, off, len)).build());
                    off += len;
                } while (off < bucket.length);
            }
            response.onCompleted();
        } catch (MissingShuffleOutputException e) {
            response.onError(Status.NOT_FOUND.withDescription(e.getMessage()).asRuntimeException());
        } catch (IllegalArgumentException e) {
            response.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
        }
    }
}
