package dev.sluice.coordinator.grpc;

import dev.sluice.coordinator.app.CoordinatorRuntime;
import dev.sluice.coordinator.cluster.ReceiverRegistry;
import dev.sluice.coordinator.job.JobRunner;
import dev.sluice.engine.graph.InputSplit;
import dev.sluice.coordinator.job.ReceivedBlockTracker;
import dev.sluice.protocol.BlockAck;
import dev.sluice.protocol.BlockRef;
import dev.sluice.protocol.BlockReport;
import dev.sluice.protocol.BlockTrackerGrpc;
import dev.sluice.protocol.ReceiverCommand;
import dev.sluice.protocol.ReceiverHello;
import dev.sluice.protocol.check.Refusal;
import dev.sluice.protocol.check.RefusalCounter;
import dev.sluice.protocol.check.UndecodableMessages;
import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
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
public class BlockTrackerService implements BlockTrackerGrpc.AsyncService, BindableService {

    private static final Logger LOG = Logger.getLogger(BlockTrackerService.class.getName());

    @Inject
    CoordinatorRuntime runtime;

    @Inject
    RefusalCounter refusals;

    @PostConstruct
    void listenForDepartures() {
        // Here rather than where the registry is made: this service is where receivers come and go.
        runtime.receivers().onDeparture(this::failOver);
    }

    @Override
    public void attach(ReceiverHello hello, StreamObserver<ReceiverCommand> assignments) {
        Optional<Refusal> problem = runtime.blockReportCheck().hello(hello);
        if (problem.isPresent()) {
            refuse(problem.get(), assignments);
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

    /**
     * Records a reported block or replica. A report that {@link BlockReportCheck} refuses, or that
     * contradicts an earlier report of the same block id, fails with its status; the receiver
     * retries it and logs why.
     */
    @Override
    public void reportBlock(BlockReport report, StreamObserver<BlockAck> ack) {
        if (runtime.jobs() == null) {
            ack.onError(Status.UNAVAILABLE.withDescription("the coordinator is starting").asRuntimeException());
            return;
        }
        Optional<Refusal> problem = runtime.blockReportCheck().report(report);
        if (problem.isPresent()) {
            refuse(problem.get(), ack);
            return;
        }
        BlockRef b = report.getBlock();
        ReceivedBlockTracker blocks = runtime.jobs().find(report.getJob()).orElseThrow().blocks();
        ReceivedBlockTracker.Outcome outcome = report.getReplica()
                ? blocks.addReplica(b.getBlockId(), b.getAddress(), System.currentTimeMillis())
                : blocks.add(report.getNode(), new InputSplit.Block(b.getBlockId(), b.getAddress(), b.getRecords()));
        if (outcome == ReceivedBlockTracker.Outcome.CONFLICT) {
            refuse(new Refusal(Refusal.Reason.CONFLICT, Status.Code.FAILED_PRECONDITION, "block " + b.getBlockId()
                    + " was reported before with another node or record count"), ack);
            return;
        }
        ack.onNext(BlockAck.newBuilder().setAccepted(true)
                .setAlreadyProcessed(outcome == ReceivedBlockTracker.Outcome.ALREADY_PROCESSED).build());
        ack.onCompleted();
    }

    private void refuse(Refusal refusal, StreamObserver<?> call) {
        LOG.warning(() -> "refused a receiver's call: " + refusal.detail());
        call.onError(refusals.counted(RefusalCounter.Boundary.BLOCK_TRACKER, refusal));
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

    /** Undecodable requests are refused as invalid ({@link UndecodableMessages}). */
    @Override
    public ServerServiceDefinition bindService() {
        return UndecodableMessages.guard(BlockTrackerGrpc.bindService(this), refusals);
    }
}
