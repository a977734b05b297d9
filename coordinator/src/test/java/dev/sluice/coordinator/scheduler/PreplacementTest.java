package dev.sluice.coordinator.scheduler;

import dev.sluice.coordinator.cluster.Worker;
import dev.sluice.coordinator.cluster.WorkerRegistry;
import dev.sluice.engine.exec.TaskOutcome;
import dev.sluice.engine.exec.TaskSpec;
import dev.sluice.engine.graph.BatchLayout;
import dev.sluice.protocol.CoordinatorMessage;
import dev.sluice.protocol.TaskAssignment;
import dev.sluice.protocol.TaskStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tasks placed ahead of their input (Drizzle), against real worker registrations whose channels the test reads. */
class PreplacementTest {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final WorkerRegistry registry = new WorkerRegistry();
    private final TaskScheduler scheduler = new TaskScheduler(registry, 4, 1000, t -> t, timer, Speculation.off());

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    private Worker worker(String id, int slots, BlockingQueue<CoordinatorMessage> sent) {
        return registry.register(id, id + ":1", slots, System.currentTimeMillis(), sent::add);
    }

    private static final BatchLayout LAYOUT = BatchLayout.of(1000, 0, Map.of());

    private static TaskSpec task(int stage, int partition) {
        return new TaskSpec("job", "fp", stage, partition, 0, LAYOUT);
    }

    private static List<CoordinatorMessage> drain(BlockingQueue<CoordinatorMessage> q) {
        List<CoordinatorMessage> out = new ArrayList<>();
        q.drainTo(out);
        return out;
    }

    private static List<TaskAssignment> assignments(List<CoordinatorMessage> messages) {
        return messages.stream().filter(CoordinatorMessage::hasAssign).map(CoordinatorMessage::getAssign).toList();
    }

    private static TaskStatus succeeded(TaskAssignment a, Worker w) {
        return TaskStatus.newBuilder().setId(a.getId()).setState(TaskStatus.State.SUCCEEDED).setEpoch(w.epoch()).build();
    }

    @Test
    void placedTasksTakeNoSlotUntilTheirShuffleIsReadyAndEachWorkerIsToldOnce() throws Exception {
        BlockingQueue<CoordinatorMessage> toA = new LinkedBlockingQueue<>();
        BlockingQueue<CoordinatorMessage> toB = new LinkedBlockingQueue<>();
        Worker a = worker("a", 1, toA);
        Worker b = worker("b", 1, toB);
        List<CompletableFuture<TaskOutcome>> maps = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            maps.add(scheduler.launch(task(0, p)));
        }
        List<CompletableFuture<TaskOutcome>> reduces = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            reduces.add(scheduler.preplace(task(1, p), Set.of(7)));
        }
        List<TaskAssignment> atA = assignments(drain(toA));
        List<TaskAssignment> atB = assignments(drain(toB));
        // One map task each (one slot each), two maps queued; the four reduces placed two and two anyway.
        assertEquals(3, atA.size());
        assertEquals(3, atB.size());
        assertEquals(List.of(7), atA.get(1).getAwaitedShufflesList());
        assertEquals(2, scheduler.queued());
        assertEquals(1, a.freeSlots() + a.running(), "placed tasks take no slot");

        // The maps run; the queued ones get the slots the first ones free.
        for (int round = 0; round < 2; round++) {
            scheduler.onStatus(a, succeeded(atA.get(0), a));
            scheduler.onStatus(b, succeeded(atB.get(0), b));
            if (round == 0) {
                atA = assignments(drain(toA));
                atB = assignments(drain(toB));
                assertEquals(0, atA.get(0).getAwaitedShufflesCount());
            }
        }
        maps.forEach(m -> assertTrue(m.isDone()));
        scheduler.shuffleReady("job", 1000, 1, 7, List.of("a:1", "b:1", "a:1", "b:1"));
        List<CoordinatorMessage> readyAtA = drain(toA);
        assertEquals(1, readyAtA.size(), "one ShuffleReady per worker, whatever the number of its tasks");
        assertEquals(List.of("a:1", "b:1", "a:1", "b:1"), readyAtA.get(0).getShuffleReady().getShuffle().getMapOutputAddressesList());
        assertEquals(1, readyAtA.get(0).getShuffleReady().getStage());
        assertEquals(2, a.running(), "started, the placed tasks hold slots (the worker queues past its own)");
        assertEquals(0, a.placed());
        assertFalse(reduces.get(0).isDone());
    }

    @Test
    void placedTasksOfALostWorkerArePlacedAgainAndThoseStartedAfterTheirShuffleRunWithItsOutputs() throws Exception {
        BlockingQueue<CoordinatorMessage> toA = new LinkedBlockingQueue<>();
        BlockingQueue<CoordinatorMessage> toB = new LinkedBlockingQueue<>();
        Worker a = worker("a", 2, toA);
        scheduler.preplace(task(1, 0), Set.of(7));
        assertEquals(1, assignments(drain(toA)).size());

        Worker b = worker("b", 2, toB);
        registry.lost(a, "test");
        List<TaskAssignment> atB = assignments(drain(toB));
        assertEquals(List.of(7), atB.get(0).getAwaitedShufflesList(), "placed again, still waiting");
        assertEquals(1, b.placed());

        // b is lost after the shuffle is ready: the task goes to c as a plain task whose layout has the outputs.
        scheduler.shuffleReady("job", 1000, 1, 7, List.of("m:1"));
        BlockingQueue<CoordinatorMessage> toC = new LinkedBlockingQueue<>();
        worker("c", 2, toC);
        registry.lost(b, "test");
        List<CoordinatorMessage> atC = drain(toC);
        TaskAssignment again = assignments(atC).get(0);
        assertEquals(0, again.getAwaitedShufflesCount());
        assertEquals(List.of("m:1"), atC.stream().filter(CoordinatorMessage::hasLayout).findFirst().orElseThrow()
                .getLayout().getShuffles(0).getMapOutputAddressesList());
    }

    @Test
    void whenTheStageIsOverItsWaitingTasksAreCancelledAndFreeTheirWorkers() throws Exception {
        BlockingQueue<CoordinatorMessage> toA = new LinkedBlockingQueue<>();
        Worker a = worker("a", 1, toA);
        scheduler.preplace(task(1, 0), Set.of(7, 8));
        scheduler.shuffleReady("job", 1000, 1, 7, List.of("m:1"));
        assertEquals(1, a.placed(), "still waiting for shuffle 8");
        drain(toA);
        scheduler.stageOver("job", 1000, 1);
        List<CoordinatorMessage> sent = drain(toA);
        assertEquals(1, sent.size());
        assertEquals(1, sent.get(0).getCancel().getId().getStage());
        assertEquals(0, a.placed());
        assertEquals(0, scheduler.runningCount());
        // A late ready for the over stage starts nothing.
        scheduler.shuffleReady("job", 1000, 1, 8, List.of("m:1"));
        assertTrue(toA.poll(100, TimeUnit.MILLISECONDS) == null);
    }
}
