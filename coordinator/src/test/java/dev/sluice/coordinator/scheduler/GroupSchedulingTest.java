package dev.sluice.coordinator.scheduler;

import dev.sluice.coordinator.cluster.Worker;
import dev.sluice.coordinator.cluster.WorkerRegistry;
import dev.sluice.engine.exec.StagePlacement;
import dev.sluice.engine.exec.TaskOutcome;
import dev.sluice.engine.exec.TaskSpec;
import dev.sluice.engine.graph.BatchLayout;
import dev.sluice.engine.plan.StageRole;
import dev.sluice.protocol.CoordinatorMessage;
import dev.sluice.protocol.StageStart;
import dev.sluice.protocol.TaskAssignment;
import dev.sluice.protocol.TaskId;
import dev.sluice.protocol.TaskStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Stages started under a group placement (Drizzle's group scheduling), against real worker registrations. */
class GroupSchedulingTest {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final WorkerRegistry registry = new WorkerRegistry();
    private final TaskScheduler scheduler = new TaskScheduler(registry, 4, 1000, t -> t,
            t -> EnumSet.allOf(StageRole.class), t -> null, timer, Speculation.off(), 3);

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    private Worker worker(String id, int slots, BlockingQueue<CoordinatorMessage> sent) {
        return registry.register(id, id + ":1", slots, System.currentTimeMillis(), sent::add);
    }

    private static List<TaskSpec> stage(long batch, int stage, int partitions) {
        BatchLayout layout = BatchLayout.of(batch, 0, Map.of());
        List<TaskSpec> tasks = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            tasks.add(new TaskSpec("job", "fp", stage, p, 0, layout));
        }
        return tasks;
    }

    private static List<CoordinatorMessage> drain(BlockingQueue<CoordinatorMessage> q) {
        List<CoordinatorMessage> out = new ArrayList<>();
        q.drainTo(out);
        return out;
    }

    private static List<String> kinds(List<CoordinatorMessage> messages) {
        return messages.stream().map(m -> m.getKindCase().name()).toList();
    }

    private static StageStart start(List<CoordinatorMessage> messages) {
        return messages.stream().filter(CoordinatorMessage::hasStageStart).findFirst().orElseThrow().getStageStart();
    }

    private static TaskStatus succeeded(Worker w, long batch, int stage, int partition) {
        return TaskStatus.newBuilder().setId(TaskId.newBuilder().setJob("job").setBatchTimeMs(batch).setStage(stage)
                .setPartition(partition)).setState(TaskStatus.State.SUCCEEDED).setEpoch(w.epoch()).build();
    }

    @Test
    void aStageStartsWithOneMessagePerWorkerAndThePlacementIsSentOncePerGroup() {
        BlockingQueue<CoordinatorMessage> toA = new LinkedBlockingQueue<>();
        BlockingQueue<CoordinatorMessage> toB = new LinkedBlockingQueue<>();
        Worker a = worker("a", 2, toA);
        Worker b = worker("b", 2, toB);
        List<CompletableFuture<TaskOutcome>> futures = scheduler.launchStage(stage(1000, 0, 6), Set.of());

        List<CoordinatorMessage> atA = drain(toA);
        assertEquals(List.of("LAYOUT", "STAGE_PLAN", "STAGE_START"), kinds(atA));
        assertEquals(List.of("LAYOUT", "STAGE_PLAN", "STAGE_START"), kinds(drain(toB)));
        StageStart s = start(atA);
        assertEquals(6, s.getPartitions());
        StagePlacement placement = new StagePlacement(atA.get(1).getStagePlan().getWorkersList());
        assertEquals(3, placement.partitionsOf("a", 6).size(), "equal slots, equal shares");
        assertEquals(3, a.running(), "tasks beyond its slots queue on the worker");

        // Each worker reports its share; every future completes.
        for (int p = 0; p < 6; p++) {
            Worker w = placement.workerOf(p).equals("a") ? a : b;
            scheduler.onStatus(w, succeeded(w, 1000, 0, p));
        }
        futures.forEach(f -> assertTrue(f.isDone()));
        assertEquals(0, a.running());

        // The next batches of the group reuse the placement: no new plan is sent.
        scheduler.launchStage(stage(2000, 0, 6), Set.of());
        scheduler.launchStage(stage(3000, 0, 6), Set.of());
        assertEquals(List.of("LAYOUT", "STAGE_START", "LAYOUT", "STAGE_START"), kinds(drain(toA)));
        // The fourth batch opens a new group: placed afresh.
        scheduler.launchStage(stage(4000, 0, 6), Set.of());
        List<CoordinatorMessage> next = drain(toA);
        assertEquals(List.of("LAYOUT", "STAGE_PLAN", "STAGE_START"), kinds(next));
        assertNotEquals(s.getPlanId(), start(next).getPlanId());
        assertEquals(4, scheduler.groupedStages());
    }

    @Test
    void aLostWorkersPlacedTasksGoElsewhereAndTheNextBatchIsPlacedWithoutIt() {
        BlockingQueue<CoordinatorMessage> toA = new LinkedBlockingQueue<>();
        BlockingQueue<CoordinatorMessage> toB = new LinkedBlockingQueue<>();
        Worker a = worker("a", 4, toA);
        Worker b = worker("b", 4, toB);
        List<CompletableFuture<TaskOutcome>> futures = scheduler.launchStage(stage(1000, 0, 4), Set.of());
        drain(toA);
        drain(toB);
        registry.lost(a, "test");
        // a's two tasks go to b one by one, as retries do.
        List<TaskAssignment> again = drain(toB).stream().filter(CoordinatorMessage::hasAssign)
                .map(CoordinatorMessage::getAssign).toList();
        assertEquals(2, again.size());
        for (TaskAssignment t : again) {
            scheduler.onStatus(b, TaskStatus.newBuilder().setId(t.getId()).setState(TaskStatus.State.SUCCEEDED)
                    .setEpoch(b.epoch()).build());
        }
        StagePlacement placement = new StagePlacement(List.of("a", "b"));
        for (int p : placement.partitionsOf("b", 4)) {
            scheduler.onStatus(b, succeeded(b, 1000, 0, p));
        }
        futures.forEach(f -> assertTrue(f.isDone(), "every task should have finished on b"));

        scheduler.launchStage(stage(2000, 0, 4), Set.of());
        List<CoordinatorMessage> atB = drain(toB);
        assertEquals(List.of("b"), atB.stream().filter(CoordinatorMessage::hasStagePlan).findFirst().orElseThrow()
                .getStagePlan().getWorkersList());
        assertEquals(4, start(atB).getPartitions());
        assertTrue(toA.isEmpty());

        // A worker that joins (a's restart) gets its share from the next batch on, not the next group.
        BlockingQueue<CoordinatorMessage> toC = new LinkedBlockingQueue<>();
        worker("c", 4, toC);
        scheduler.launchStage(stage(3000, 0, 4), Set.of());
        assertEquals(List.of("LAYOUT", "STAGE_PLAN", "STAGE_START"), kinds(drain(toC)));
    }

    @Test
    void stagesThatCannotStartAsAGroupGoTaskByTask() {
        BlockingQueue<CoordinatorMessage> toA = new LinkedBlockingQueue<>();
        worker("a", 4, toA);
        // Only some partitions (a recomputation): one by one.
        List<TaskSpec> some = stage(1000, 0, 3).subList(1, 3);
        scheduler.launchStage(some, Set.of());
        assertEquals(List.of("LAYOUT", "ASSIGN", "ASSIGN"), kinds(drain(toA)));
        assertEquals(0, scheduler.groupedStages());
    }

    @Test
    void aStagePlacedAheadStartsItsWholeShareOnOneShuffleReady() {
        BlockingQueue<CoordinatorMessage> toA = new LinkedBlockingQueue<>();
        Worker a = worker("a", 1, toA);
        scheduler.launchStage(stage(1000, 1, 3), Set.of(5));
        StageStart s = start(drain(toA));
        assertEquals(List.of(5), s.getAwaitedShufflesList());
        assertEquals(3, a.placed());
        assertEquals(0, a.running());
        scheduler.shuffleReady("job", 1000, 1, 5, List.of("m:1"));
        assertEquals(List.of("SHUFFLE_READY"), kinds(drain(toA)));
        assertEquals(3, a.running());
    }
}
