package dev.sluice.worker.control;

import dev.sluice.protocol.CoordinatorMessage;
import dev.sluice.protocol.Drain;
import dev.sluice.protocol.ControlGrpc;
import dev.sluice.protocol.Heartbeat;
import dev.sluice.protocol.JobDefinition;
import dev.sluice.protocol.Register;
import dev.sluice.protocol.StageStart;
import dev.sluice.protocol.TaskAssignment;
import dev.sluice.protocol.TaskId;
import dev.sluice.protocol.TaskStatus;
import dev.sluice.protocol.WorkerMessage;
import dev.sluice.protocol.client.Backoff;
import dev.sluice.protocol.client.ChannelPool;
import dev.sluice.worker.data.DataFetcher;
import dev.sluice.worker.exec.DefinedJobs;
import dev.sluice.worker.exec.SlotPool;
import dev.sluice.worker.exec.TaskExecutor;
import io.grpc.stub.StreamObserver;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The worker's side of the control stream: registers, sends heartbeats with its free
 * slots, runs what it is assigned and reports the status, and reconnects with backoff
 * when the stream breaks (registering anew, under a new epoch).
 */
public final class ControlLink implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ControlLink.class.getName());

    private final String coordinator;
    private final WorkerIdentity self;
    private final ChannelPool channels;
    private final DataFetcher fetcher;
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private boolean drainRequested;
    private final DefinedJobs jobs;
    private final SlotPool slots;
    private final TaskExecutor executor;
    private final ReceivedLayouts layouts = new ReceivedLayouts();
    private final ReceivedPlans plans = new ReceivedPlans();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "control-link");
        t.setDaemon(true);
        return t;
    });

    private StreamObserver<WorkerMessage> upstream;
    private ScheduledFuture<?> heartbeats;
    private volatile long epoch = -1;
    private final Backoff backoff = Backoff.standard();
    private boolean outageLogged;
    private volatile boolean closed;

    public ControlLink(String coordinator, WorkerIdentity self, ChannelPool channels, DefinedJobs jobs,
                       SlotPool slots, TaskExecutor executor, DataFetcher fetcher) {
        this.coordinator = coordinator;
        this.self = self;
        this.channels = channels;
        this.jobs = jobs;
        this.slots = slots;
        this.executor = executor;
        this.fetcher = fetcher;
    }

    /** Connects now, and again whenever the stream breaks, until closed. */
    public void start() {
        timer.execute(this::connect);
    }

    /**
     * Asks the coordinator to let this worker leave: it sends no new task, moves what this
     * worker keeps elsewhere, and answers once nothing here is needed. The future completes
     * then; asking again returns the same future.
     *
     * @throws IllegalStateException when the worker is not registered
     */
    public synchronized CompletableFuture<Void> drain() {
        if (!drainRequested) {
            if (!registered()) {
                throw new IllegalStateException("not registered with coordinator " + coordinator + ": nothing to drain from");
            }
            drainRequested = true;
            LOG.info("draining: asking the coordinator to move this worker's work and data elsewhere");
            send(WorkerMessage.newBuilder().setDrain(Drain.getDefaultInstance()).build());
        }
        return drained;
    }

    /** Whether the coordinator has accepted this worker's registration on the current stream. */
    public boolean registered() {
        return epoch >= 0;
    }

    private synchronized void connect() {
        if (closed) {
            return;
        }
        upstream = ControlGrpc.newStub(channels.get(coordinator)).connect(new Downstream());
        upstream.onNext(WorkerMessage.newBuilder().setRegister(Register.newBuilder()
                .setWorkerId(self.id()).setAddress(self.address()).setSlots(slots.slots())
                .setPool(self.pool()).setStages(self.stages().toString())).build());
    }

    private synchronized void send(WorkerMessage message) {
        if (upstream != null) {
            upstream.onNext(message);
        }
    }

    private void report(TaskStatus status) {
        send(WorkerMessage.newBuilder().setStatus(status).build());
    }

    private synchronized void onRegistered(long newEpoch, long heartbeatMs) {
        epoch = newEpoch;
        // A new registration starts with no layouts on the coordinator's side either.
        layouts.clear();
        plans.clear();
        executor.registered();
        backoff.reset();
        outageLogged = false;
        LOG.info(() -> "registered with coordinator " + coordinator + " as " + self.id() + " (epoch " + newEpoch + ")");
        if (heartbeats != null) {
            heartbeats.cancel(false);
        }
        long every = heartbeatMs > 0 ? heartbeatMs : 500;
        heartbeats = timer.scheduleAtFixedRate(() -> send(WorkerMessage.newBuilder().setHeartbeat(Heartbeat.newBuilder()
                .setFreeSlots(slots.free()).setSentAtMs(System.currentTimeMillis())).build()), every, every, TimeUnit.MILLISECONDS);
    }

    private synchronized void onBroken(Throwable cause) {
        epoch = -1;
        upstream = null;
        if (heartbeats != null) {
            heartbeats.cancel(false);
            heartbeats = null;
        }
        if (closed) {
            return;
        }
        if (!outageLogged) {
            LOG.warning("control stream to coordinator " + coordinator + " is down"
                    + (cause == null ? "" : ": " + cause.getMessage()) + "; reconnecting");
            outageLogged = true;
        }
        timer.schedule(this::connect, backoff.nextDelayMillis(), TimeUnit.MILLISECONDS);
    }

    private void assign(TaskAssignment a) {
        executor.submit(a, a.getLayoutId() == 0 ? null : layouts.get(a.getLayoutId()), epoch, this::report);
    }

    /** Runs this worker's share of a stage started under a placement; fails the stage's tasks when that placement is unknown. */
    private void startStage(StageStart start) {
        List<TaskAssignment> tasks;
        try {
            tasks = plans.expand(start);
        } catch (IllegalArgumentException e) {
            LOG.warning(() -> "cannot start a stage of batch " + start.getBatchTimeMs() + ": " + e.getMessage());
            // Which of them are this worker's is unknown: every partition fails; the coordinator ignores the others.
            for (int p = 0; p < start.getPartitions(); p++) {
                report(TaskStatus.newBuilder().setId(TaskId.newBuilder().setJob(start.getJob())
                                .setBatchTimeMs(start.getBatchTimeMs()).setStage(start.getStage()).setPartition(p)
                                .setAttempt(start.getAttempt()))
                        .setEpoch(epoch).setState(TaskStatus.State.FAILED).setFailure(TaskStatus.Failure.TASK_ERROR)
                        .setError(e.getMessage()).build());
            }
            return;
        }
        tasks.forEach(this::assign);
    }

    private final class Downstream implements StreamObserver<CoordinatorMessage> {
        @Override
        public void onNext(CoordinatorMessage m) {
            switch (m.getKindCase()) {
                case REGISTERED -> onRegistered(m.getRegistered().getEpoch(), m.getRegistered().getHeartbeatIntervalMs());
                case DEFINE_JOB -> {
                    JobDefinition d = m.getDefineJob();
                    jobs.define(d.getJob(), d.getArgsMap(), d.getFingerprint());
                }
                case LAYOUT -> layouts.add(m.getLayout());
                case ASSIGN -> assign(m.getAssign());
                case STAGE_PLAN -> plans.add(m.getStagePlan());
                case STAGE_START -> startStage(m.getStageStart());
                case BATCH_DONE -> {
                    layouts.batchDone(m.getBatchDone().getJob(), m.getBatchDone().getBatchTimeMs());
                    jobs.batchDone(m.getBatchDone().getJob(), m.getBatchDone().getBatchTimeMs());
                    executor.batchDone(m.getBatchDone().getJob(), m.getBatchDone().getBatchTimeMs());
                }
                case SHUFFLE_READY -> executor.shuffleReady(m.getShuffleReady());
                case CANCEL -> executor.cancel(m.getCancel().getId());
                case PEER_LOST -> {
                    // Fetches hanging on a frozen peer fail now and are reported as fetch failures.
                    LOG.info(() -> "peer " + m.getPeerLost().getAddress() + " was declared lost: no more fetches from it");
                    fetcher.peerLost(m.getPeerLost().getAddress());
                }
                case PEER_JOINED -> fetcher.peerJoined(m.getPeerJoined().getAddress());
                case DRAINED -> {
                    LOG.info("drained: the coordinator needs nothing from this worker any more");
                    drained.complete(null);
                }
                case KIND_NOT_SET -> LOG.warning("ignoring an empty message from the coordinator");
            }
        }

        @Override
        public void onError(Throwable t) {
            onBroken(t);
        }

        @Override
        public void onCompleted() {
            onBroken(null);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (upstream != null) {
            upstream.onCompleted();
            upstream = null;
        }
        timer.shutdownNow();
    }
}
