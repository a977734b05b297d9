package dev.sluice.receiver.grpc;

import com.google.protobuf.UnsafeByteOperations;
import dev.sluice.protocol.DataChunk;
import dev.sluice.protocol.transfer.Chunks;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/**
 * Streams a byte array as {@link DataChunk}s of at most {@link Chunks#MAX_BYTES} bytes, sending
 * only while the call is ready so that a large block is not copied whole into the
 * transport's buffers when the fetching worker reads slowly.
 */
final class ChunkedReply implements Runnable {

    private final byte[] data;
    private final ServerCallStreamObserver<DataChunk> call;
    private int offset;
    private boolean done;

    private ChunkedReply(byte[] data, ServerCallStreamObserver<DataChunk> call) {
        this.data = data;
        this.call = call;
    }

    /** Sends {@code data} on {@code observer} in chunks and completes it. */
    static void send(byte[] data, StreamObserver<DataChunk> observer) {
        if (observer instanceof ServerCallStreamObserver<DataChunk> call) {
            ChunkedReply reply = new ChunkedReply(data, call);
            call.setOnCancelHandler(reply::cancelled);
            call.setOnReadyHandler(reply);
            // gRPC calls the ready handler again whenever the call becomes ready; start now in case it already is.
            reply.run();
        } else {
            for (int off = 0; off < data.length; off += Chunks.MAX_BYTES) {
                observer.onNext(chunk(data, off));
            }
            observer.onCompleted();
        }
    }

    /** Sends chunks while the call is ready; completes the call after the last one. */
    @Override
    public void run() {
        while (!done && call.isReady()) {
            if (offset < data.length) {
                DataChunk c = chunk(data, offset);
                offset += c.getData().size();
                call.onNext(c);
            } else {
                done = true;
                call.onCompleted();
            }
        }
    }

    private void cancelled() {
        done = true;
    }

    private static DataChunk chunk(byte[] data, int offset) {
        int len = Math.min(Chunks.MAX_BYTES, data.length - offset);
        // No copy: block bytes are never modified once cut.
        return DataChunk.newBuilder().setData(UnsafeByteOperations.unsafeWrap(data, offset, len)).build();
    }
}
