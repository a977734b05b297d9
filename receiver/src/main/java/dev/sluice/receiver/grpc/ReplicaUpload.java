package dev.sluice.receiver.grpc;

import dev.sluice.protocol.ReplicaAck;
import dev.sluice.protocol.ReplicaChunk;
import dev.sluice.protocol.ReplicaHeader;
import dev.sluice.receiver.block.Block;
import dev.sluice.receiver.replica.Replica;
import dev.sluice.receiver.replica.ReplicaKeeper;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.jboss.logging.Logger;

/**
 * One {@code StoreReplica} call: gathers the chunks of a peer's block, checks that the replica
 * is whole (as many bytes as its header says), and hands it to the {@link ReplicaKeeper}; the
 * peer is answered once the coordinator knows of the replica. A malformed upload is answered
 * {@code INVALID_ARGUMENT}, one the coordinator cannot be told of {@code UNAVAILABLE}; neither
 * leaves a replica behind.
 */
final class ReplicaUpload implements StreamObserver<ReplicaChunk> {

    private static final Logger LOG = Logger.getLogger(ReplicaUpload.class);

    private final ReplicaKeeper keeper;
    private final String address;
    private final StreamObserver<ReplicaAck> response;
    private ReplicaHeader header;
    private byte[] data;
    private int received;
    private boolean failed;

    /** An upload for {@code keeper}, answering with this receiver's {@code address} on {@code response}. */
    ReplicaUpload(ReplicaKeeper keeper, String address, StreamObserver<ReplicaAck> response) {
        this.keeper = keeper;
        this.address = address;
        this.response = response;
    }

    @Override
    public void onNext(ReplicaChunk chunk) {
        if (failed) {
            return;
        }
        if (header == null) {
            if (!chunk.hasHeader()) {
                fail(Status.INVALID_ARGUMENT, "the first chunk of a replica must carry its header");
                return;
            }
            String problem = check(chunk.getHeader());
            if (problem != null) {
                fail(Status.INVALID_ARGUMENT, problem);
                return;
            }
            header = chunk.getHeader();
            data = new byte[(int) header.getBytes()];
        }
        int size = chunk.getData().size();
        if (size > data.length - received) {
            fail(Status.INVALID_ARGUMENT, "the replica of block " + header.getBlockId() + " has more than the "
                    + data.length + " bytes its header announces");
            return;
        }
        chunk.getData().copyTo(data, received);
        received += size;
    }

    @Override
    public void onError(Throwable t) {
        // The peer gave up (its deadline, or it died): nothing was kept, nothing to answer.
        failed = true;
        LOG.debugf("a replica upload was abandoned by its sender: %s", t.getMessage());
    }

    @Override
    public void onCompleted() {
        if (failed) {
            return;
        }
        if (header == null) {
            fail(Status.INVALID_ARGUMENT, "a replica upload without any chunk");
            return;
        }
        if (received != data.length) {
            fail(Status.INVALID_ARGUMENT, "the replica of block " + header.getBlockId() + " ended after " + received
                    + " of the " + data.length + " bytes its header announces");
            return;
        }
        Block block = new Block(header.getBlockId(), header.getJob(), header.getNode(), data, header.getRecords(),
                header.getReceivedAtMs());
        keeper.keep(new Replica(block, header.getPrimaryAddress())).whenComplete((ok, failure) -> {
            if (failure != null) {
                Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                response.onError(Status.UNAVAILABLE.withDescription("cannot tell the coordinator of the replica of"
                        + " block " + block.id() + ", so it is not kept: " + cause.getMessage()).asRuntimeException());
            } else {
                response.onNext(ReplicaAck.newBuilder().setAddress(address).build());
                response.onCompleted();
            }
        });
    }

    private void fail(Status status, String description) {
        failed = true;
        data = null;
        response.onError(status.withDescription(description).asRuntimeException());
    }

    private static String check(ReplicaHeader h) {
        if (h.getJob().isBlank() || h.getBlockId().isBlank() || h.getPrimaryAddress().isBlank()) {
            return "a replica header needs a job, a block id and the primary's address";
        }
        if (h.getBytes() < 0 || h.getBytes() > Integer.MAX_VALUE - 8 || h.getRecords() < 0) {
            return "the replica of block " + h.getBlockId() + " announces " + h.getBytes() + " bytes and "
                    + h.getRecords() + " records";
        }
        return null;
    }
}
