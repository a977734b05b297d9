package dev.sluice.worker.grpc;

import com.google.protobuf.UnsafeByteOperations;
import dev.sluice.engine.cache.CacheStore;
import dev.sluice.engine.cache.MissingCachedPartitionException;
import dev.sluice.engine.shuffle.MissingShuffleOutputException;
import dev.sluice.engine.shuffle.ShuffleStore;
import dev.sluice.protocol.DataChunk;
import dev.sluice.protocol.FetchCachedRequest;
import dev.sluice.protocol.FetchShuffleRequest;
import dev.sluice.protocol.WorkerDataGrpc;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import jakarta.inject.Inject;

/** Serves this worker's map outputs and kept partitions to the peers whose tasks read them. */
@GrpcService
public class WorkerDataService extends WorkerDataGrpc.WorkerDataImplBase {

    static final int CHUNK_BYTES = 1 << 20;

    @Inject
    ShuffleStore shuffles;

    @Inject
    CacheStore caches;

    @Override
    public void fetchShuffle(FetchShuffleRequest request, StreamObserver<DataChunk> response) {
        if (request.getReducePartition() < 0) {
            response.onError(Status.INVALID_ARGUMENT
                    .withDescription("reduce_partition is negative: " + request.getReducePartition()).asRuntimeException());
            return;
        }
        try {
            for (int m : request.getMapPartitionsList()) {
                byte[] bucket = shuffles.bucket(new ShuffleStore.Key(request.getJob(), request.getBatchTimeMs(),
                        request.getShuffle(), m), request.getReducePartition());
                send(m, bucket, response);
            }
            response.onCompleted();
        } catch (MissingShuffleOutputException e) {
            response.onError(Status.NOT_FOUND.withDescription(e.getMessage()).asRuntimeException());
        } catch (IllegalArgumentException e) {
            response.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
        }
    }

    @Override
    public void fetchCached(FetchCachedRequest request, StreamObserver<DataChunk> response) {
        try {
            byte[] records = caches.get(new CacheStore.Key(request.getJob(), request.getNode(), request.getBatchTimeMs(),
                    request.getPartition()));
            send(request.getPartition(), records, response);
            response.onCompleted();
        } catch (MissingCachedPartitionException e) {
            response.onError(Status.NOT_FOUND.withDescription(e.getMessage()).asRuntimeException());
        }
    }

    /** Sends {@code data} in chunks, at least one, so that empty data is still answered. */
    private static void send(int partition, byte[] data, StreamObserver<DataChunk> response) {
        int off = 0;
        do {
            int len = Math.min(CHUNK_BYTES, data.length - off);
            response.onNext(DataChunk.newBuilder().setMapPartition(partition)
                    // Stored data is never changed once put, so it is sent without a copy.
                    .setData(UnsafeByteOperations.unsafeWrap(data, off, len)).build());
            off += len;
        } while (off < data.length);
    }
}
