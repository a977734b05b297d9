package dev.sluice.coordinator.grpc;

import dev.sluice.coordinator.app.CoordinatorRuntime;
import dev.sluice.coordinator.cluster.Worker;
import dev.sluice.engine.plan.StageSelector;
import dev.sluice.protocol.ControlGrpc;
import dev.sluice.protocol.CoordinatorMessage;
import dev.sluice.protocol.Register;
import dev.sluice.protocol.WorkerMessage;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import jakarta.inject.Inject;

/** The coordinator's end of each worker's control stream. */
@GrpcService
public class ControlService extends ControlGrpc.ControlImplBase {

    @Inject
    CoordinatorRuntime runtime;

    @Override
    public StreamObserver<WorkerMessage> connect(StreamObserver<CoordinatorMessage> downstream) {
        return new StreamObserver<>() {
            private Worker worker;
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
                    close(Status.FAILED_PRECONDITION.withDescription("this worker was declared lost; register again"));
                } else if (worker == null) {
                    close(Status.FAILED_PRECONDITION.withDescription("a worker must send Register before anything else"));
                } else if (m.hasHeartbeat()) {
                    worker.heartbeat(System.currentTimeMillis());
                } else if (m.hasStatus()) {
                    worker.heartbeat(System.currentTimeMillis());
                    runtime.scheduler().onStatus(worker, m.getStatus());
                } else if (m.hasDrain()) {
                    runtime.workerDraining(worker);
                }
            }

            private void register(Register r) {
                String problem = r.getWorkerId().isBlank() ? "worker_id is empty"
                        : !r.getAddress().matches(".+:\\d{1,5}") ? "address '" + r.getAddress() + "' is not host:port"
                        : r.getSlots() <= 0 ? "slots must be positive, got " + r.getSlots() : null;
                StageSelector stages = null;
                if (problem == null) {
                    try {
                        stages = StageSelector.parse(r.getStages());
                    } catch (IllegalArgumentException e) {
                        problem = e.getMessage();
                    }
                }
                if (problem != null) {
                    close(Status.INVALID_ARGUMENT.withDescription(problem));
                    return;
                }
                if (worker != null) {
                    runtime.workers().lost(worker, "registered again on the same stream");
                }
                Object lock = new Object();
                String pool = r.getPool().isBlank() ? Worker.DEFAULT_POOL : r.getPool();
                worker = runtime.workers().register(r.getWorkerId(), r.getAddress(), r.getSlots(), pool, stages,
                        System.currentTimeMillis(), msg -> {
                            // gRPC stream observers are not thread-safe; tasks are sent from many threads.
                            synchronized (lock) {
                                downstream.onNext(msg);
                            }
                        });
                runtime.workerJoined(worker);
            }

            private void close(Status status) {
                closed = true;
                downstream.onError(status.asRuntimeException());
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
}
