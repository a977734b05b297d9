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
import dev.sluice.protocol.check.Refusal;
import dev.sluice.protocol.check.RefusalCounter;
import dev.sluice.protocol.check.UndecodableMessages;
import dev.sluice.protocol.transfer.Chunks;
import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import jakarta.inject.Inject;

import java.util.Optional;

/**
 * Serves this worker's map outputs and kept partitions to the peers whose tasks read them. A
 * malformed request ({@link DataRequestCheck}) or a reduce partition the output does not have
 * is answered {@code INVALID_ARGUMENT}, an output this worker does not hold {@code NOT_FOUND}
 * naming it; each is counted.
 */
@GrpcService
public class WorkerDataService implements WorkerDataGrpc.AsyncService, BindableService {

    @Inject
    ShuffleStore shuffles;

    @Inject
    CacheStore caches;

    @Inject
    RefusalCounter refusals;

    @Override
    public void fetchShuffle(FetchShuffleRequest request, StreamObserver<DataChunk> response) {
        if (refused(DataRequestCheck.shuffle(request), response)) {
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
            refused(Optional.of(Refusal.unknown(e.getMessage())), response);
        } catch (IllegalArgumentException e) {
            refused(Optional.of(new Refusal(Refusal.Reason.INVALID, Status.Code.INVALID_ARGUMENT, "reduce_partition "
                    + request.getReducePartition() + " is out of range: " + e.getMessage())), response);
        }
    }

    @Override
    public void fetchCached(FetchCachedRequest request, StreamObserver<DataChunk> response) {
        if (refused(DataRequestCheck.cached(request), response)) {
            return;
        }
        try {
            byte[] records = caches.get(new CacheStore.Key(request.getJob(), request.getNode(), request.getBatchTimeMs(),
                    request.getPartition()));
            send(request.getPartition(), records, response);
            response.onCompleted();
        } catch (MissingCachedPartitionException e) {
            refused(Optional.of(Refusal.unknown(e.getMessage())), response);
        }
    }

    /** Answers and counts {@code refusal}, if there is one. */
    private boolean refused(Optional<Refusal> refusal, StreamObserver<DataChunk> response) {
        refusal.ifPresent(r -> response.onError(refusals.counted(RefusalCounter.Boundary.WORKER_DATA, r)));
        return refusal.isPresent();
    }

    /** Sends {@code data} in chunks, at least one, so that empty data is still answered. */
    private static void send(int partition, byte[] data, StreamObserver<DataChunk> response) {
        int off = 0;
        do {
            int len = Math.min(Chunks.MAX_BYTES, data.length - off);
            response.onNext(DataChunk.newBuilder().setMapPartition(partition)
                    // Stored data is never changed once put, so it is sent without a copy.
                    .setData(UnsafeByteOperations.unsafeWrap(data, off, len)).build());
            off += len;
        } while (off < data.length);
    }

    /** Undecodable requests are refused as invalid ({@link UndecodableMessages}). */
    @Override
    public ServerServiceDefinition bindService() {
        return UndecodableMessages.guard(WorkerDataGrpc.bindService(this), refusals);
    }
}
