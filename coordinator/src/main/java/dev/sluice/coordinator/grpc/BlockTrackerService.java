package dev.sluice.coordinator.grpc;

import dev.sluice.coordinator.app.CoordinatorRuntime;
import dev.sluice.coordinator.cluster.ReceiverRegistry;
import dev.sluice.coordinator.job.JobRunner;
import dev.sluice.engine.graph.InputSplit;
import dev.sluice.coordinator.job.ReceivedBlockTracker;
import dev.sluice.engine.graph.BlockSourceNode;
import dev.sluice.protocol.BlockAck;
import dev.sluice.protocol.BlockRef;
import dev.sluice.protocol.BlockReport;
import dev.sluice.protocol.BlockTrackerGrpc;
import dev.sluice.protocol.ReceiverCommand;
import dev.sluice.protocol.ReceiverHello;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;

import java.util.Optional;
import java.util.logging.Logger;

/**
 * Where receivers attach to learn their sources, limits and peers, and report the blocks
 * they cut and the replicas they store for each other. When a receiver goes away, the blocks
 * it stored move to their replicas.
 */
@GrpcService
public class BlockTrackerService extends BlockTrackerGrpc.BlockTrackerImplBase {

    private static final Logger LOG = Logger.getLogger(BlockTrackerService.class.getName());

    @Inject
    CoordinatorRuntime runtime;

    @PostConstruct
    void listenForDepartures() {
        // Here rather than where the registry is made: this service is where receivers come and go.
        runtime.receivers().onDeparture(this::failOver);
    }

    @Override
    public void attach(ReceiverHello hello, StreamObserver<ReceiverCommand> assignments) {
        if (hello.getReceiverId().isBlank() || !hello.getAddress().matches(".+:\\d{1,5}")) {
            assignments.onError(Status.INVALID_ARGUMENT
                    .withDescription("receiver_id must be set and address must be host:port, got '"
                            + hello.getReceiverId() + "' at '" + hello.getAddress() + "'").asRuntimeException());
            return;
        }
        Object lock = new Object();
        ReceiverRegistry.Receiver receiver = runtime.receivers().attach(hello.getReceiverId(), hello.getAddress(),
                hello.getRunningList(), a -> {
                    synchronized (lock) {
                        assignments.onNext(a);
                    }
                });
        ((ServerCallStreamObserver<ReceiverCommand>) assignments)
                .setOnCancelHandler(() -> runtime.receivers().detach(receiver));
    }

    @Override
    public void reportBlock(BlockReport report, StreamObserver<BlockAck> ack) {
        String problem = check(report);
        if (problem == null) {
            BlockRef b = report.getBlock();
            ReceivedBlockTracker blocks = runtime.jobs().find(report.getJob()).orElseThrow().blocks();
            ReceivedBlockTracker.Outcome outcome = report.getReplica()
                    ? blocks.addReplica(b.getBlockId(), b.getAddress(), System.currentTimeMillis())
                    : blocks.add(report.getNode(), new InputSplit.Block(b.getBlockId(), b.getAddress(), b.getRecords()));
            ack.onNext(BlockAck.newBuilder().setAccepted(true)
                    .setAlreadyProcessed(outcome == ReceivedBlockTracker.Outcome.ALREADY_PROCESSED).build());
        } else {
            ack.onNext(BlockAck.newBuilder().setAccepted(false).setError(problem).build());
        }
        ack.onCompleted();
    }

    /** Moves the blocks stored at a receiver that went away to their replicas, in every job. */
    private void failOver(ReceiverRegistry.Receiver gone) {
        if (runtime.jobs() == null) {
            return;
        }
        for (JobRunner job : runtime.jobs().list()) {
            ReceivedBlockTracker.FailOver f = job.blocks().failOver(gone.address());
            if (f.moved() > 0 || !f.stranded().isEmpty()) {
                LOG.info(() -> "job " + job.name() + ": receiver " + gone.id() + " at " + gone.address() + " is gone; "
                        + f.moved() + " of its unprocessed blocks moved to their replicas"
                        + (f.stranded().isEmpty() ? "" : ", " + f.stranded().size() + " have no replica and wait for"
                                + " it to come back (write-ahead log replay), e.g. " + f.stranded().get(0)));
            }
        }
    }

    private String check(BlockReport report) {
        if (runtime.jobs() == null) {
            return "the coordinator is starting";
        }
        Optional<JobRunner> job = runtime.jobs().find(report.getJob());
        if (job.isEmpty()) {
            return "no running job named '" + report.getJob() + "'";
        }
        if (report.getNode() < 0 || report.getNode() >= job.get().graph().nodes().size()
                || !(job.get().graph().node(report.getNode()) instanceof BlockSourceNode)) {
            return "job " + report.getJob() + " has no receiver-based source " + report.getNode();
        }
        BlockRef b = report.getBlock();
        if (b.getBlockId().isBlank() || b.getAddress().isBlank() || b.getRecords() < 0) {
            return "block needs an id, an address and a non-negative record count";
        }
        return null;
    }
}
