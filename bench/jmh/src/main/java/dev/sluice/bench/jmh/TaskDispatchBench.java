package dev.sluice.bench.jmh;

import dev.sluice.coordinator.cluster.Worker;
import dev.sluice.coordinator.cluster.WorkerRegistry;
import dev.sluice.coordinator.scheduler.Speculation;
import dev.sluice.coordinator.scheduler.TaskScheduler;
import dev.sluice.engine.exec.StagePlacement;
import dev.sluice.engine.exec.TaskOutcome;
import dev.sluice.engine.exec.TaskSpec;
import dev.sluice.engine.graph.BatchLayout;
import dev.sluice.engine.graph.InputSplit;
import dev.sluice.engine.plan.StageRole;
import dev.sluice.protocol.CoordinatorMessage;
import dev.sluice.protocol.StageStart;
import dev.sluice.protocol.TaskAssignment;
import dev.sluice.protocol.TaskId;
import dev.sluice.protocol.TaskStatus;
import dev.sluice.protocol.convert.TaskMessages;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The coordinator's {@link TaskScheduler} (from the coordinator's plain jar: it is plain Java)
 * dispatching no-op tasks to {@value #WORKERS} registered workers of {@value #SLOTS} slots each,
 * and taking their completions. The workers are simulated in process: each assignment the
 * scheduler sends down a worker's channel is answered, on the benchmark thread, with a
 * {@code SUCCEEDED} status through {@code onStatus}, as the gRPC stream's handler would, which
 * frees the slot and dispatches the next queued task. The simulated channel encodes each message,
 * as the gRPC stream's {@code onNext} does on the dispatching thread. An invocation launches one stage of
 * {@value #TASKS} tasks (as {@code BatchExecutor} does: all at once, the scheduler queues what
 * does not fit) and runs them all to completion. Speculation on with Spark's defaults, as the
 * coordinator's default configuration has it. Score: tasks assigned and completed per second.
 *
 * <p>{@code layout}: what the stage's {@link BatchLayout} carries: {@code 0} none; {@code N} a batch
 * of N receiver blocks and a shuffle of N map outputs, as a task of a job with N partitions sees
 * it. Each worker is sent the layout once per stage ({@code LayoutUpdate}) and the assignments name
 * it by id; at the end of a batch the workers are told it is done, as the coordinator does.
 *
 * <p>{@code groupSize}: 1, each task goes to a free slot on its own, one assignment each; 10, the
 * stage starts under its group placement with one {@code StageStart} per worker, which the
 * simulated worker expands into its share of tasks as a worker does (group scheduling).
 *
 * <p>{@code assignmentMessage} builds and encodes one assignment that carries the whole layout
 * inline, as every assignment did before layouts were sent once per worker. Score: messages per
 * second.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class TaskDispatchBench {

    static final int WORKERS = 8;
    static final int SLOTS = 4;
    static final int TASKS = 256;
    private static final String JOB = "bench";

    @Param({"0", "16", "256"})
    public int layout;

    @Param({"1", "10"})
    public int groupSize;

    /** A task sent to a worker, waiting for the worker's answer. */
    private record Sent(Worker worker, TaskId task) {
    }

    // The placements sent, by id, as the workers keep them.
    private final Map<Long, StagePlacement> placements = new ConcurrentHashMap<>();

    // The scheduler's timer thread (speculation checks) may dispatch too.
    private final ConcurrentLinkedQueue<Sent> inbox = new ConcurrentLinkedQueue<>();
    private ScheduledExecutorService timer;
    private TaskScheduler scheduler;
    private WorkerRegistry registry;
    private BatchLayout template;
    private long batchTimeMs;
    private long wireBytes;

    @Setup
    public void setup() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "scheduler-timer");
            t.setDaemon(true);
            return t;
        });
        registry = new WorkerRegistry();
        scheduler = new TaskScheduler(registry, 4, 30_000, t -> t, task -> EnumSet.allOf(StageRole.class), task -> null,
                timer, Speculation.defaults(), groupSize);
        for (int i = 0; i < WORKERS; i++) {
            Worker[] self = new Worker[1];
            self[0] = registry.register("worker-" + i, "worker-" + i + ".sluice-workers:9191", SLOTS,
                    System.currentTimeMillis(), (CoordinatorMessage m) -> {
                        // The Control stream's onNext encodes the message on the sending thread.
                        wireBytes += m.toByteArray().length;
                        if (m.hasAssign()) {
                            inbox.add(new Sent(self[0], m.getAssign().getId()));
                        } else if (m.hasStagePlan()) {
                            placements.put(m.getStagePlan().getPlanId(), new StagePlacement(m.getStagePlan().getWorkersList()));
                        } else if (m.hasStageStart()) {
                            StageStart start = m.getStageStart();
                            for (int p : placements.get(start.getPlanId()).partitionsOf(self[0].id(), start.getPartitions())) {
                                inbox.add(new Sent(self[0], TaskId.newBuilder().setJob(start.getJob())
                                        .setBatchTimeMs(start.getBatchTimeMs()).setStage(start.getStage()).setPartition(p)
                                        .setAttempt(start.getAttempt()).build()));
                            }
                        }
                    });
        }
        List<InputSplit> blocks = new ArrayList<>(layout);
        List<String> mapOutputs = new ArrayList<>(layout);
        for (int i = 0; i < layout; i++) {
            blocks.add(new InputSplit.Block("input-0-" + (1_700_000_000_000L + i), "receiver-" + (i % 2)
                    + ".sluice-receivers:9095", 5_000));
            mapOutputs.add("worker-" + (i % WORKERS) + ".sluice-workers:9191");
        }
        template = layout == 0 ? BatchLayout.of(0, 0, Map.of())
                : new BatchLayout(0, 0, Map.of(0, blocks), Map.of(0, mapOutputs), Map.of());
        System.out.printf("%n[TaskDispatchBench] layout %d: an assignment is %d bytes%n", layout,
                assignmentMessage().length);
    }

    @TearDown
    public void tearDown() {
        timer.shutdownNow();
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public int stage() {
        batchTimeMs += 1000;
        BatchLayout batch = new BatchLayout(batchTimeMs, 0, template.splits(), template.mapOutputs(), Map.of());
        List<TaskSpec> tasks = new ArrayList<>(TASKS);
        for (int p = 0; p < TASKS; p++) {
            tasks.add(new TaskSpec(JOB, "fingerprint", 1, p, 0, batch));
        }
        List<CompletableFuture<TaskOutcome>> results = scheduler.launchStage(tasks, Set.of());
        int completed = 0;
        int done = 0;
        while (done < TASKS) {
            Sent s = inbox.poll();
            if (s == null) {
                while (done < TASKS && results.get(done).isDone()) {
                    if (results.get(done).isCompletedExceptionally()) {
                        throw new IllegalStateException("task " + done + " failed: " + results.get(done));
                    }
                    done++;
                }
                if (done < TASKS && inbox.isEmpty() && scheduler.runningCount() == 0 && scheduler.queued() == 0) {
                    throw new IllegalStateException("task " + done + " is neither done, running nor queued");
                }
                continue;
            }
            scheduler.onStatus(s.worker(), TaskStatus.newBuilder()
                    .setId(s.task())
                    .setState(TaskStatus.State.SUCCEEDED)
                    .setEpoch(s.worker().epoch())
                    .setFreeSlots(1)
                    .build());
            completed++;
        }
        // As the coordinator does when the batch ends: the stage counts go, the workers forget its layouts.
        scheduler.takeStageStats(JOB, batchTimeMs);
        long ended = batchTimeMs;
        registry.alive().forEach(w -> w.batchDone(JOB, ended));
        return completed;
    }

    @Benchmark
    public byte[] assignmentMessage() {
        TaskAssignment a = TaskMessages.toAssignment(new TaskSpec(JOB, "fingerprint", 1, 7, 0, template));
        return CoordinatorMessage.newBuilder().setAssign(a).build().toByteArray();
    }
}
