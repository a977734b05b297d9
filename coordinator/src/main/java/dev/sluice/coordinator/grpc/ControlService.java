package dev.sluice.coordinator.grpc;

import dev.sluice.coordinator.app.CoordinatorRuntime;
import dev.sluice.coordinator.cluster.Worker;
import dev.sluice.engine.plan.StageSelector;
import dev.sluice.protocol.ControlGrpc;
import dev.sluice.protocol.CoordinatorMessage;
import dev.sluice.protocol.JobDefinition;
import dev.sluice.protocol.Register;
import dev.sluice.protocol.TaskStatus;
import dev.sluice.protocol.WorkerMessage;
import dev.sluice.protocol.check.Refusal;
import dev.sluice.protocol.check.RefusalCounter;
import dev.sluice.protocol.check.UndecodableMessages;
import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The coordinator's end of each worker's control stream. What a worker sends is checked by
 * {@link ControlMessageCheck}: a message no correct worker sends closes the stream with its
 * status; a status a worker may send late is ignored. Every refusal is counted.
 */
@GrpcService
public class ControlService implements ControlGrpc.AsyncService, BindableService {

    private static final Logger LOG = Logger.getLogger(ControlService.class.getName());

    @Inject
    CoordinatorRuntime runtime;

    @Inject
    RefusalCounter refusals;

    @Override
    public StreamObserver<WorkerMessage> connect(StreamObserver<CoordinatorMessage> downstream) {
        return new StreamObserver<>() {
            private Worker worker;
            private int advertisedSlots;
            private boolean closed;

            @Override
            public void onNext(WorkerMessage m) {
                if (closed) {
                    return;
                }
                if (m.hasRegister()) {
                    register(m.getRegister());
                } else if (worker != null && !worker.alive()) {
                    // Declared lost (missed heartbeats, e.g. while stopped): make it register anew, under a new epoch.
                    refuse(new Refusal(Refusal.Reason.STALE, Status.Code.FAILED_PRECONDITION,
                            "this worker was declared lost; register again"), true);
                } else if (worker == null) {
                    refuse(new Refusal(Refusal.Reason.INVALID, Status.Code.FAILED_PRECONDITION,
                            "a worker must send Register before anything else"), true);
                } else if (m.hasHeartbeat()) {
                    check().heartbeat(m.getHeartbeat(), advertisedSlots).ifPresentOrElse(r -> refuse(r, true),
                            () -> worker.heartbeat(System.currentTimeMillis()));
                } else if (m.hasStatus()) {
                    status(m.getStatus());
                } else if (m.hasDrain()) {
                    runtime.workerDraining(worker);
                } else {
                    // A kind this coordinator does not know (a newer worker): ignored, the stream goes on.
                    refuse(Refusal.invalid("kind", m.getKindCase(), "be register, heartbeat, status or drain"), false);
                }
            }

            private void register(Register r) {
                Optional<Refusal> problem = check().register(r);
                if (problem.isPresent()) {
                    refuse(problem.get(), true);
                    return;
                }
                if (worker != null) {
                    runtime.workers().lost(worker, "registered again on the same stream");
                }
                advertisedSlots = r.getSlots();
                int slots = check().slots(r.getSlots());
                if (slots < r.getSlots()) {
                    refusals.count(RefusalCounter.Boundary.CONTROL, Refusal.Reason.CLAMPED);
                    LOG.warning(() -> "worker " + r.getWorkerId() + " advertises " + r.getSlots() + " slots; it gets "
                            + slots + " (sluice.scheduler.max-slots-per-worker)");
                }
                Object lock = new Object();
                String pool = r.getPool().isBlank() ? Worker.DEFAULT_POOL : r.getPool();
                List<JobDefinition> told = new ArrayList<>();
                worker = runtime.workers().register(r.getWorkerId(), r.getAddress(), slots, pool,
                        StageSelector.parse(r.getStages()), System.currentTimeMillis(), msg -> {
                            // gRPC stream observers are not thread-safe; tasks are sent from many threads.
                            synchronized (lock) {
                                try {
                                    downstream.onNext(msg);
                                } catch (StatusRuntimeException | IllegalStateException e) {
                                    // The worker went away (its call is cancelled or over) and the stream's
                                    // own error path declares it lost and requeues its tasks: a send must not
                                    // fail the batch that sent it (MessageChannel's contract).
                                    LOG.fine(() -> "not sent to worker " + r.getWorkerId() + ", its stream is gone: " + e);
                                }
                            }
                        }, w -> told.addAll(runtime.welcome(w)));
                runtime.workerJoined(worker, told);
            }

            private void status(TaskStatus s) {
                Optional<Refusal> malformed = check().malformed(s);
                if (malformed.isPresent()) {
                    refuse(malformed.get(), true);
                    return;
                }
                worker.heartbeat(System.currentTimeMillis());
                Optional<Refusal> outdated = check().outdated(s, worker.epoch());
                if (outdated.isPresent()) {
                    refuse(outdated.get(), false);
                } else if (!runtime.scheduler().onStatus(worker, s)) {
                    // Of an attempt that was reassigned or lost with an earlier registration.
                    refusals.count(RefusalCounter.Boundary.CONTROL, Refusal.Reason.STALE);
                }
            }

            /** Counts and logs {@code refusal}; closes the stream with it when {@code close}, else ignores the message. */
            private void refuse(Refusal refusal, boolean close) {
                String who = worker == null ? "an unregistered worker" : "worker " + worker.id();
                LOG.log(close ? Level.WARNING : Level.FINE, () -> (close ? "closing the control stream of "
                        : "ignoring a message of ") + who + ": " + refusal.detail());
                StatusRuntimeException error = refusals.counted(RefusalCounter.Boundary.CONTROL, refusal);
                if (close) {
                    closed = true;
                    downstream.onError(error);
                    // The closed call tells this observer nothing more: the worker goes now, not when its heartbeats stop.
                    if (worker != null) {
                        runtime.workers().lost(worker, "refused: " + refusal.detail());
                    }
                }
            }

            @Override
            public void onError(Throwable t) {
                if (worker != null) {
                    runtime.workers().lost(worker, "control stream broke: " + Status.fromThrowable(t));
                }
            }

            @Override
            public void onCompleted() {
                if (worker != null) {
                    runtime.workers().lost(worker, "control stream closed");
                }
                if (!closed) {
                    downstream.onCompleted();
                }
            }
        };
    }

    private ControlMessageCheck check() {
        return runtime.controlCheck();
    }

    /** Undecodable requests are refused as invalid ({@link UndecodableMessages}). */
    @Override
    public ServerServiceDefinition bindService() {
        return UndecodableMessages.guard(ControlGrpc.bindService(this), refusals);
    }
}
