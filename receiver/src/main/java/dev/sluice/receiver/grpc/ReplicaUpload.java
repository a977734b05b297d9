package dev.sluice.receiver.grpc;

import dev.sluice.protocol.ReplicaAck;
import dev.sluice.protocol.ReplicaChunk;
import dev.sluice.protocol.ReplicaHeader;
import dev.sluice.protocol.check.Refusal;
import dev.sluice.protocol.check.RefusalCounter;
import dev.sluice.receiver.block.Block;
import dev.sluice.receiver.replica.Replica;
import dev.sluice.receiver.replica.ReplicaKeeper;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import org.jboss.logging.Logger;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;

/**
 * One {@code StoreReplica} call: gathers the chunks of a peer's block, checks that the replica
 * is whole (as many bytes as its header says), and hands it to the {@link ReplicaKeeper}; the
 * peer is answered once the coordinator knows of the replica. A malformed upload is answered
 * {@code INVALID_ARGUMENT}, one larger than the limit {@code RESOURCE_EXHAUSTED} (both counted),
 * one the coordinator cannot be told of {@code UNAVAILABLE}; none leaves a replica behind. The
 * buffer grows with the data that arrives, not with what the header announces.
 */
final class ReplicaUpload implements StreamObserver<ReplicaChunk> {

    private static final Logger LOG = Logger.getLogger(ReplicaUpload.class);
    /** The coordinator's refusals of a report: final, not worth retrying. */
    private static final Set<Status.Code> REFUSED = Set.of(Status.Code.INVALID_ARGUMENT, Status.Code.NOT_FOUND,
            Status.Code.FAILED_PRECONDITION);
    // Enough for most blocks at once; larger ones grow as their data arrives.
    private static final int FIRST_BUFFER_BYTES = 1 << 20;

    private final ReplicaKeeper keeper;
    private final String address;
    private final StreamObserver<ReplicaAck> response;
    private final long maxBytes;
    private final RefusalCounter refusals;
    private ReplicaHeader header;
    private int announced;
    private byte[] data;
    private int received;
    private boolean failed;

    /**
     * An upload for {@code keeper}, answering with this receiver's {@code address} on
     * {@code response}, of at most {@code maxBytes}; refusals are counted in {@code refusals}.
     */
    ReplicaUpload(ReplicaKeeper keeper, String address, StreamObserver<ReplicaAck> response, long maxBytes,
                  RefusalCounter refusals) {
        this.keeper = keeper;
        this.address = address;
        this.response = response;
        this.maxBytes = maxBytes;
        this.refusals = refusals;
    }

    @Override
    public void onNext(ReplicaChunk chunk) {
        if (failed) {
            return;
        }
        if (header == null) {
            Optional<Refusal> problem = chunk.hasHeader() ? BlockStoreCheck.replicaHeader(chunk.getHeader(), maxBytes)
                    : Optional.of(malformed("the first chunk of a replica must carry its header"));
            if (problem.isPresent()) {
                fail(problem.get());
                return;
            }
            header = chunk.getHeader();
            announced = (int) header.getBytes();
            data = new byte[Math.min(announced, FIRST_BUFFER_BYTES)];
        }
        int size = chunk.getData().size();
        if (size > announced - received) {
            fail(malformed("the replica of block " + header.getBlockId() + " has more than the " + announced
                    + " bytes its header announces"));
            return;
        }
        if (received + size > data.length) {
            data = Arrays.copyOf(data, (int) Math.min(announced, Math.max(received + size, 2L * data.length)));
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
            fail(malformed("a replica upload without any chunk"));
            return;
        }
        if (received != announced) {
            fail(malformed("the replica of block " + header.getBlockId() + " ended after " + received + " of the "
                    + announced + " bytes its header announces"));
            return;
        }
        Block block = new Block(header.getBlockId(), header.getJob(), header.getNode(), data, header.getRecords(),
                header.getReceivedAtMs());
        keeper.keep(new Replica(block, header.getPrimaryAddress())).whenComplete((ok, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                response.onError(notKept(block.id(), cause).asRuntimeException());
            } else {
                response.onNext(ReplicaAck.newBuilder().setAddress(address).build());
                response.onCompleted();
            }
        });
    }

    /**
     * Why the replica of {@code blockId} is not kept: the coordinator's refusal of its report passes
     * on with its code (a replica it refuses is refused on every peer; found by FuzzIT, which got
     * UNAVAILABLE, retry, for a job that does not run); anything else is UNAVAILABLE.
     */
    static Status notKept(String blockId, Throwable cause) {
        Status.Code code = cause instanceof StatusRuntimeException e && REFUSED.contains(e.getStatus().getCode())
                ? e.getStatus().getCode() : Status.Code.UNAVAILABLE;
        return Status.fromCode(code).withDescription("cannot tell the coordinator of the replica of block " + blockId
                + ", so it is not kept: " + cause.getMessage());
    }

    private static Refusal malformed(String detail) {
        return new Refusal(Refusal.Reason.INVALID, Status.Code.INVALID_ARGUMENT, detail);
    }

    private void fail(Refusal refusal) {
        failed = true;
        data = null;
        response.onError(refusals.counted(RefusalCounter.Boundary.BLOCK_STORE, refusal));
    }
}
