package dev.sluice.coordinator.cluster;

import dev.sluice.engine.exec.StagePlacement;
import dev.sluice.engine.exec.TaskSpec;
import dev.sluice.engine.plan.StageRole;
import dev.sluice.engine.plan.StageSelector;
import dev.sluice.protocol.BatchDone;
import dev.sluice.protocol.CoordinatorMessage;
import dev.sluice.protocol.StagePlan;
import dev.sluice.protocol.StageStart;
import dev.sluice.protocol.convert.TaskMessages;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A registered stage-worker, as the coordinator sees it. One instance per registration:
 * a worker that reconnects gets a new instance under a new epoch, and results that name
 * the old epoch are refused.
 */
public final class Worker {

    /** The pool of workers that do not name one. */
    public static final String DEFAULT_POOL = "default";

    private final String id;
    private final String pool;
    private final StageSelector stages;
    private final String address;
    private final int slots;
    private final long epoch;
    private final long registeredAtMs;
    private final MessageChannel<CoordinatorMessage> channel;
    // Guarded by itself, with the sends that depend on it, so a layout always goes before the
    // first task that names it and is never forgotten between the two.
    private final SentLayouts layouts = new SentLayouts();
    // The placement id sent last for each job's stage ("job/stage"); guarded by layouts.
    private final Map<String, Long> plans = new HashMap<>();
    private volatile long lastHeartbeatMs;
    private volatile boolean alive = true;
    private volatile boolean draining;
    // Guarded by the TaskScheduler's lock.
    private int running;
    private int placed;
    private long succeeded;
    private long failed;

    public Worker(String id, String address, int slots, long epoch, long nowMs, MessageChannel<CoordinatorMessage> channel) {
        this(id, address, slots, DEFAULT_POOL, StageSelector.ALL, epoch, nowMs, channel);
    }

    /**
     * @param pool   the worker pool it belongs to
     * @param stages which stages it runs
     */
    public Worker(String id, String address, int slots, String pool, StageSelector stages, long epoch, long nowMs,
                  MessageChannel<CoordinatorMessage> channel) {
        this.pool = pool;
        this.stages = stages;
        this.id = id;
        this.address = address;
        this.slots = slots;
        this.epoch = epoch;
        this.registeredAtMs = nowMs;
        this.lastHeartbeatMs = nowMs;
        this.channel = channel;
    }

    public String id() {
        return id;
    }

    /** The worker pool it belongs to. */
    public String pool() {
        return pool;
    }

    /** Whether it runs tasks of stages with {@code roles}. */
    public boolean runs(Set<StageRole> roles) {
        return stages.accepts(roles);
    }

    /** Which stages it runs. */
    public StageSelector stages() {
        return stages;
    }

    /** {@code host:port} of the worker's gRPC server. */
    public String address() {
        return address;
    }

    public int slots() {
        return slots;
    }

    public long epoch() {
        return epoch;
    }

    public long registeredAtMs() {
        return registeredAtMs;
    }

    public long lastHeartbeatMs() {
        return lastHeartbeatMs;
    }

    public void heartbeat(long nowMs) {
        lastHeartbeatMs = nowMs;
    }

    public boolean alive() {
        return alive;
    }

    void markDead() {
        alive = false;
    }

    public void send(CoordinatorMessage message) {
        channel.send(message);
    }

    /** Sends {@code task}, preceded by its batch layout when this worker does not have that yet. */
    public void assign(TaskSpec task) {
        assign(task, Set.of());
    }

    /**
     * Sends {@code task} as {@link #assign(TaskSpec)} does; when {@code awaited} is not empty the
     * task waits on the worker until a {@link #shuffleReady} gave each of those shuffles.
     */
    public void assign(TaskSpec task, Set<Integer> awaited) {
        synchronized (layouts) {
            long id = sendLayoutOf(task);
            channel.send(CoordinatorMessage.newBuilder().setAssign(TaskMessages.toAssignment(task, id, awaited)).build());
        }
    }

    /** The id this worker knows {@code task}'s layout by, sending the layout first if it does not have it. */
    private long sendLayoutOf(TaskSpec task) {
        long id = layouts.idOf(task.job(), task.layout());
        if (id == 0) {
            id = layouts.add(task.job(), task.layout());
            channel.send(CoordinatorMessage.newBuilder()
                    .setLayout(TaskMessages.toLayoutUpdate(id, task.job(), task.layout())).build());
        }
        return id;
    }

    /**
     * Starts its share of the partitions of {@code first}'s stage and batch under placement
     * {@code placement} (sent first if this worker does not have it): one message, whatever
     * the number of tasks. The tasks are as {@code first} but for their partition.
     *
     * @param partitions the stage's number of partitions
     * @param awaited    as for {@link #assign(TaskSpec, Set)}
     */
    public void startStage(long planId, StagePlacement placement, TaskSpec first, int partitions, Set<Integer> awaited) {
        synchronized (layouts) {
            long layoutId = sendLayoutOf(first);
            if (!Long.valueOf(planId).equals(plans.put(first.job() + "/" + first.stage(), planId))) {
                channel.send(CoordinatorMessage.newBuilder().setStagePlan(StagePlan.newBuilder().setPlanId(planId)
                        .setJob(first.job()).setStage(first.stage()).addAllWorkers(placement.workers()).setSelf(id)).build());
            }
            channel.send(CoordinatorMessage.newBuilder().setStageStart(StageStart.newBuilder().setPlanId(planId)
                    .setJob(first.job()).setStage(first.stage())
                    .setBatchTimeMs(first.batchTimeMs()).setPartitions(partitions).setAttempt(first.attempt())
                    .setFingerprint(first.fingerprint()).setLayoutId(layoutId).addAllAwaitedShuffles(new TreeSet<>(awaited)))
                    .build());
        }
    }

    /** Tells the worker where the map outputs of {@code shuffle} are, for its tasks of {@code stage} that wait for them. */
    public void shuffleReady(String job, long batchTimeMs, int stage, int shuffle, List<String> locations) {
        channel.send(CoordinatorMessage.newBuilder()
                .setShuffleReady(TaskMessages.shuffleReady(job, batchTimeMs, stage, shuffle, locations)).build());
    }

    /** Tells the worker {@code job}'s batch at {@code batchTimeMs} is done; both forget its layouts. */
    public void batchDone(String job, long batchTimeMs) {
        synchronized (layouts) {
            layouts.forget(job, batchTimeMs);
            channel.send(CoordinatorMessage.newBuilder()
                    .setBatchDone(BatchDone.newBuilder().setJob(job).setBatchTimeMs(batchTimeMs)).build());
        }
    }

    public int running() {
        return running;
    }

    /** Free slots to give tasks to; none while the worker drains. */
    public int freeSlots() {
        // Group-started stages may give it more tasks than slots for a while (it queues them).
        return draining ? 0 : Math.max(0, slots - running);
    }

    /** Whether the worker is leaving: it gets no new task. */
    public boolean draining() {
        return draining;
    }

    /** The worker is leaving (scale-down): it gets no new task from now on. */
    public void drain() {
        draining = true;
    }

    public long succeeded() {
        return succeeded;
    }

    public long failed() {
        return failed;
    }

    /** A task was assigned to this worker. */
    public void taskStarted() {
        running++;
    }

    /** Tasks placed here that wait for their input: they take no slot until it is ready. */
    public int placed() {
        return placed;
    }

    /** A task was placed here ahead of its input. */
    public void taskPlaced() {
        placed++;
    }

    /** A task placed here got its input and runs now (started) or will never run (not started). */
    public void placedTaskLeft(boolean started) {
        placed--;
        if (started) {
            running++;
        }
    }

    /** A task of this worker ended, well or not. */
    public void taskEnded(boolean ok) {
        running--;
        if (ok) {
            succeeded++;
        } else {
            failed++;
        }
    }
}
