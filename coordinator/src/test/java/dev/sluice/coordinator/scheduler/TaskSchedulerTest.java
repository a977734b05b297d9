package dev.sluice.coordinator.scheduler;

import dev.sluice.coordinator.cluster.Worker;
import dev.sluice.coordinator.cluster.WorkerRegistry;
import dev.sluice.engine.exec.FetchFailedException;
import dev.sluice.engine.exec.TaskFailedException;
import dev.sluice.engine.exec.TaskOutcome;
import dev.sluice.engine.exec.TaskSpec;
import dev.sluice.engine.graph.BatchLayout;
import dev.sluice.engine.plan.StageRole;
import dev.sluice.engine.plan.StageSelector;
import dev.sluice.protocol.CoordinatorMessage;
import dev.sluice.protocol.Registered;
import dev.sluice.protocol.TaskAssignment;
import dev.sluice.protocol.TaskStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scheduler against real worker registrations whose channels the test reads. */
class TaskSchedulerTest {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final WorkerRegistry registry = new WorkerRegistry();
    private final AtomicInteger refreshed = new AtomicInteger();

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    private TaskScheduler scheduler(int maxFailures, long inputWaitMs) {
        return new TaskScheduler(registry, maxFailures, inputWaitMs, t -> {
            refreshed.incrementAndGet();
            return t;
        }, timer, Speculation.off());
    }

    private Worker worker(String id, int slots, BlockingQueue<TaskAssignment> sent) {
        return registry.register(id, id + ":1", slots, System.currentTimeMillis(), (CoordinatorMessage m) -> {
            if (m.hasAssign()) {
                sent.add(m.getAssign());
            }
        });
    }

    private static TaskSpec task(int partition) {
        return new TaskSpec("job", "fp", 0, partition, 0, BatchLayout.of(1000, 0, Map.of()));
    }

    private static TaskStatus status(TaskAssignment a, Worker w, TaskStatus.State state, TaskStatus.Failure failure) {
        return TaskStatus.newBuilder().setId(a.getId()).setState(state).setFailure(failure).setEpoch(w.epoch())
                .setError("boom").build();
    }

    @Test
    void tasksGoToTheLeastLoadedWorkerWithAFreeSlot() throws Exception {
        TaskScheduler s = scheduler(4, 1000);
        BlockingQueue<TaskAssignment> toA = new LinkedBlockingQueue<>();
        BlockingQueue<TaskAssignment> toB = new LinkedBlockingQueue<>();
        worker("a", 2, toA);
        worker("b", 1, toB);
        for (int p = 0; p < 4; p++) {
            s.launch(task(p));
        }
        // Three slots in all: a, b, a; the fourth task waits.
        assertEquals(2, toA.size());
        assertEquals(1, toB.size());
        assertEquals(1, s.queued());
    }

    @Test
    void aJoiningWorkerIsGivenNoTaskBeforeItsWelcome() {
        TaskScheduler s = scheduler(4, 1000);
        // Queued while no worker is registered, as a resumed batch's tasks are after a coordinator restart.
        s.launch(task(0));
        List<CoordinatorMessage> received = new ArrayList<>();
        registry.register("a", "a:1", 2, Worker.DEFAULT_POOL, StageSelector.ALL, System.currentTimeMillis(),
                received::add, w -> {
                    // What another batch's thread may do meanwhile: the worker is not to be found yet.
                    s.dispatch();
                    w.send(CoordinatorMessage.newBuilder().setRegistered(Registered.newBuilder().setEpoch(w.epoch())).build());
                });
        assertEquals(1, received.size(), "nothing but the welcome before registration ends: " + received);
        s.dispatch();
        assertTrue(received.get(0).hasRegistered());
        assertTrue(received.get(received.size() - 1).hasAssign(), "the queued task goes to the worker once it is welcomed");
    }

    @Test
    void queuedTasksOfAnEarlierBatchGoBeforeLaterBatchesTasks() throws Exception {
        TaskScheduler s = scheduler(4, 1000);
        BlockingQueue<TaskAssignment> sent = new LinkedBlockingQueue<>();
        Worker w = worker("a", 1, sent);
        s.launch(task(0));
        for (int p = 0; p < 2; p++) {
            s.launch(new TaskSpec("job", "fp", 0, p, 0, BatchLayout.of(2000, 0, Map.of())));
        }
        // Batch 1000's second stage, queued after batch 2000's first.
        s.launch(new TaskSpec("job", "fp", 1, 0, 0, BatchLayout.of(1000, 0, Map.of())));
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            TaskAssignment a = sent.poll(5, TimeUnit.SECONDS);
            order.add(a.getId().getBatchTimeMs() + "/" + a.getId().getStage() + "/" + a.getId().getPartition());
            s.onStatus(w, status(a, w, TaskStatus.State.SUCCEEDED, TaskStatus.Failure.FAILURE_UNSPECIFIED));
        }
        assertEquals(List.of("1000/0/0", "1000/1/0", "2000/0/0", "2000/0/1"), order);
    }

    @Test
    void aWorkerNeverHasMoreTasksInFlightThanItsSlots() throws Exception {
        TaskScheduler s = scheduler(1000, 1000);
        BlockingQueue<TaskAssignment> sent = new LinkedBlockingQueue<>();
        Worker w = worker("a", 3, sent);
        List<CompletableFuture<TaskOutcome>> results = new ArrayList<>();
        for (int p = 0; p < 30; p++) {
            results.add(s.launch(task(p)));
        }
        java.util.Random random = new java.util.Random(42);
        List<TaskAssignment> inFlight = new ArrayList<>();
        while (!results.stream().allMatch(CompletableFuture::isDone)) {
            sent.drainTo(inFlight);
            assertTrue(inFlight.size() <= 3, inFlight.size() + " tasks in flight on a worker with 3 slots");
            assertEquals(inFlight.size(), w.running());
            // Ends a random one, well or not: a failure is retried, on the same worker.
            TaskAssignment a = inFlight.remove(random.nextInt(inFlight.size()));
            boolean ok = random.nextBoolean();
            s.onStatus(w, status(a, w, ok ? TaskStatus.State.SUCCEEDED : TaskStatus.State.FAILED,
                    ok ? TaskStatus.Failure.FAILURE_UNSPECIFIED : TaskStatus.Failure.TASK_ERROR));
        }
        assertEquals(0, s.queued());
    }

    @Test
    void aFailedTaskIsRetriedElsewhereAndFailsAfterTheLimit() throws Exception {
        TaskScheduler s = scheduler(2, 1000);
        BlockingQueue<TaskAssignment> toA = new LinkedBlockingQueue<>();
        BlockingQueue<TaskAssignment> toB = new LinkedBlockingQueue<>();
        Worker a = worker("a", 1, toA);
        Worker b = worker("b", 1, toB);
        CompletableFuture<TaskOutcome> result = s.launch(task(0));
        boolean onA = !toA.isEmpty();
        TaskAssignment first = onA ? toA.take() : toB.take();
        Worker firstWorker = onA ? a : b;
        s.onStatus(firstWorker, status(first, firstWorker, TaskStatus.State.FAILED, TaskStatus.Failure.TASK_ERROR));
        Worker other = firstWorker == a ? b : a;
        TaskAssignment second = (other == a ? toA : toB).poll(5, TimeUnit.SECONDS);
        assertNotNull(second, "the retry should go to the other worker");
        assertEquals(1, second.getId().getAttempt());
        s.onStatus(other, status(second, other, TaskStatus.State.FAILED, TaskStatus.Failure.TASK_ERROR));
        ExecutionException e = assertThrows(ExecutionException.class, () -> result.get(5, TimeUnit.SECONDS));
        assertInstanceOf(TaskFailedException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("failed 2 times"), e.getCause().getMessage());
    }

    @Test
    void unavailableInputIsRetriedWithBackoffWithoutCountingAsAFailure() throws Exception {
        TaskScheduler s = scheduler(1, 30_000);
        BlockingQueue<TaskAssignment> toA = new LinkedBlockingQueue<>();
        Worker a = worker("a", 1, toA);
        CompletableFuture<TaskOutcome> result = s.launch(task(0));
        for (int attempt = 0; attempt < 3; attempt++) {
            TaskAssignment sent = toA.poll(10, TimeUnit.SECONDS);
            assertNotNull(sent);
            assertEquals(attempt, sent.getId().getAttempt());
            s.onStatus(a, status(sent, a, TaskStatus.State.FAILED, TaskStatus.Failure.INPUT_UNAVAILABLE));
        }
        TaskAssignment last = toA.poll(10, TimeUnit.SECONDS);
        assertNotNull(last);
        s.onStatus(a, status(last, a, TaskStatus.State.SUCCEEDED, TaskStatus.Failure.FAILURE_UNSPECIFIED));
        assertEquals("a:1", result.get(5, TimeUnit.SECONDS).location());
        assertTrue(refreshed.get() >= 3, "each retry looks its inputs up again");
    }

    @Test
    void unavailableInputFailsTheTaskAfterTheWait() throws Exception {
        TaskScheduler s = scheduler(4, 0);
        BlockingQueue<TaskAssignment> toA = new LinkedBlockingQueue<>();
        Worker a = worker("a", 1, toA);
        CompletableFuture<TaskOutcome> result = s.launch(task(0));
        TaskAssignment sent = toA.take();
        Thread.sleep(5);
        s.onStatus(a, status(sent, a, TaskStatus.State.FAILED, TaskStatus.Failure.INPUT_UNAVAILABLE));
        ExecutionException e = assertThrows(ExecutionException.class, () -> result.get(5, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("could not read its input"), e.getCause().getMessage());
    }

    @Test
    void theTasksOfALostWorkerAreRequeuedAndItsLateStatusIgnored() throws Exception {
        TaskScheduler s = scheduler(4, 1000);
        BlockingQueue<TaskAssignment> toA = new LinkedBlockingQueue<>();
        Worker a = worker("a", 1, toA);
        CompletableFuture<TaskOutcome> result = s.launch(task(0));
        TaskAssignment onA = toA.take();
        registry.lost(a, "test");
        BlockingQueue<TaskAssignment> toB = new LinkedBlockingQueue<>();
        Worker b = worker("b", 1, toB);
        s.dispatch();
        TaskAssignment onB = toB.poll(5, TimeUnit.SECONDS);
        assertNotNull(onB);
        assertNotEquals(onA.getId().getAttempt(), onB.getId().getAttempt());
        // The lost worker's answer arrives late: it must not complete the task.
        s.onStatus(a, status(onA, a, TaskStatus.State.SUCCEEDED, TaskStatus.Failure.FAILURE_UNSPECIFIED));
        assertNull(result.getNow(null));
        s.onStatus(b, status(onB, b, TaskStatus.State.SUCCEEDED, TaskStatus.Failure.FAILURE_UNSPECIFIED));
        assertEquals("b:1", result.get(5, TimeUnit.SECONDS).location());
        assertEquals(List.of(b), registry.alive());
    }

    @Test
    void aFetchFailureGoesBackToTheBatchNamingTheLostWorker() throws Exception {
        TaskScheduler s = scheduler(4, 1000);
        BlockingQueue<TaskAssignment> toA = new LinkedBlockingQueue<>();
        Worker a = worker("a", 1, toA);
        CompletableFuture<TaskOutcome> result = s.launch(task(0));
        TaskAssignment sent = toA.take();
        s.onStatus(a, TaskStatus.newBuilder().setId(sent.getId()).setState(TaskStatus.State.FAILED)
                .setFailure(TaskStatus.Failure.FETCH_FAILED).setLostLocation("gone:1").setEpoch(a.epoch())
                .setError("UNAVAILABLE").build());
        ExecutionException e = assertThrows(ExecutionException.class, () -> result.get(5, TimeUnit.SECONDS));
        FetchFailedException lost = assertInstanceOf(FetchFailedException.class, e.getCause());
        assertEquals("gone:1", lost.location());
        assertEquals(0, s.queued(), "the scheduler does not retry it itself");
    }

    @Test
    void aSlowerWorkerRunsProportionallyFewerTasks() throws Exception {
        TaskScheduler s = scheduler(4, 1000);
        // Two workers answer every task after a fixed time: "slow" takes four times as long as "fast".
        Map<String, AtomicInteger> ran = Map.of("fast", new AtomicInteger(), "slow", new AtomicInteger());
        Map<String, Long> costMs = Map.of("fast", 5L, "slow", 20L);
        Map<String, Worker> workers = new ConcurrentHashMap<>();
        for (String id : List.of("fast", "slow")) {
            workers.put(id, registry.register(id, id + ":1", 1, System.currentTimeMillis(), (CoordinatorMessage m) -> {
                if (m.hasAssign()) {
                    ran.get(id).incrementAndGet();
                    TaskAssignment a = m.getAssign();
                    timer.schedule(() -> s.onStatus(workers.get(id), TaskStatus.newBuilder().setId(a.getId())
                            .setState(TaskStatus.State.SUCCEEDED).setEpoch(workers.get(id).epoch()).build()),
                            costMs.get(id), TimeUnit.MILLISECONDS);
                }
            }));
        }
        List<CompletableFuture<TaskOutcome>> results = new ArrayList<>();
        for (int p = 0; p < 100; p++) {
            results.add(s.launch(task(p)));
        }
        CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        int fast = ran.get("fast").get();
        int slow = ran.get("slow").get();
        assertEquals(100, fast + slow);
        // Speeds 4:1 give about 80 and 20; allow for timer jitter.
        assertTrue(fast >= 3 * slow - 10 && fast >= 65, "fast ran " + fast + ", slow ran " + slow);
    }

    @Test
    void tasksGoOnlyToWorkersWhosePoolRunsTheirStage() throws Exception {
        // Stage 0 reads input (map), stage 1 reads a shuffle (reduce).
        TaskScheduler s = new TaskScheduler(registry, 4, 1000, t -> t,
                t -> t.stage() == 0 ? EnumSet.of(StageRole.MAP) : EnumSet.of(StageRole.REDUCE), t -> null, timer,
                Speculation.off(), 1);
        BlockingQueue<TaskAssignment> toMap = new LinkedBlockingQueue<>();
        BlockingQueue<TaskAssignment> toReduce = new LinkedBlockingQueue<>();
        registry.register("m", "m:1", 4, "mappers", StageSelector.parse("map"), System.currentTimeMillis(), m -> {
            if (m.hasAssign()) {
                toMap.add(m.getAssign());
            }
        });
        registry.register("r", "r:1", 4, "reducers", StageSelector.parse("reduce,state"), System.currentTimeMillis(), m -> {
            if (m.hasAssign()) {
                toReduce.add(m.getAssign());
            }
        });
        for (int p = 0; p < 3; p++) {
            s.launch(new TaskSpec("job", "fp", 1, p, 0, BatchLayout.of(1000, 0, Map.of())));
            s.launch(new TaskSpec("job", "fp", 0, p, 0, BatchLayout.of(1000, 0, Map.of())));
        }
        assertEquals(3, toMap.size());
        assertEquals(3, toReduce.size());
        toMap.forEach(a -> assertEquals(0, a.getId().getStage()));
        toReduce.forEach(a -> assertEquals(1, a.getId().getStage()));
    }

    @Test
    void aTaskGoesToTheWorkerHoldingItsDataWhenItHasAFreeSlot() throws Exception {
        // Partition p's data lives on worker "a" for even p, on "b" for odd p.
        TaskScheduler s = new TaskScheduler(registry, 4, 1000, t -> t, t -> EnumSet.allOf(StageRole.class),
                t -> t.partition() % 2 == 0 ? "a:1" : "b:1", timer, Speculation.off(), 1);
        BlockingQueue<TaskAssignment> toA = new LinkedBlockingQueue<>();
        BlockingQueue<TaskAssignment> toB = new LinkedBlockingQueue<>();
        BlockingQueue<TaskAssignment> toC = new LinkedBlockingQueue<>();
        worker("a", 4, toA);
        worker("b", 4, toB);
        worker("c", 4, toC);
        for (int p = 0; p < 6; p++) {
            s.launch(task(p));
        }
        toA.forEach(a -> assertEquals(0, a.getId().getPartition() % 2));
        toB.forEach(a -> assertEquals(1, a.getId().getPartition() % 2));
        assertEquals(3, toA.size());
        assertEquals(3, toB.size());
        assertEquals(0, toC.size(), "no task needs to go where its data is not");
    }

    @Test
    void aStragglerGetsACopyElsewhereAndTheFirstResultWins() throws Exception {
        TaskScheduler s = new TaskScheduler(registry, 4, 1000, t -> t, timer, new Speculation(true, 0.75, 1.5, 50));
        BlockingQueue<TaskAssignment> toStuck = new LinkedBlockingQueue<>();
        BlockingQueue<CoordinatorMessage> cancels = new LinkedBlockingQueue<>();
        Worker stuck = registry.register("stuck", "stuck:1", 1, System.currentTimeMillis(), (CoordinatorMessage m) -> {
            if (m.hasAssign()) {
                toStuck.add(m.getAssign());
            } else if (m.hasCancel()) {
                cancels.add(m);
            }
        });
        Map<String, Worker> holder = new ConcurrentHashMap<>();
        AtomicInteger fastRan = new AtomicInteger();
        holder.put("fast", registry.register("fast", "fast:1", 1, System.currentTimeMillis(), (CoordinatorMessage m) -> {
            if (m.hasAssign()) {
                fastRan.incrementAndGet();
                TaskAssignment a = m.getAssign();
                timer.schedule(() -> s.onStatus(holder.get("fast"), TaskStatus.newBuilder().setId(a.getId())
                        .setState(TaskStatus.State.SUCCEEDED).setEpoch(holder.get("fast").epoch()).build()),
                        10, TimeUnit.MILLISECONDS);
            }
        }));
        List<CompletableFuture<TaskOutcome>> results = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            results.add(s.launch(task(p)));
        }
        TaskAssignment straggling = toStuck.poll(5, TimeUnit.SECONDS);
        CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        // Every result came from the fast worker: the stuck one's task was copied there.
        for (CompletableFuture<TaskOutcome> r : results) {
            assertEquals("fast:1", r.get().location());
        }
        assertEquals(1, s.speculativeLaunches());
        assertEquals(1, s.speculativeWins());
        // The losing attempt is told to stop.
        CoordinatorMessage cancel = cancels.poll(5, TimeUnit.SECONDS);
        assertNotNull(cancel, "the stuck worker should be told to cancel its attempt");
        assertEquals(straggling.getId(), cancel.getCancel().getId());
        assertEquals(1, s.attemptsCancelled());
        // The stuck attempt answers late: ignored, and its slot is free again.
        s.onStatus(stuck, status(straggling, stuck, TaskStatus.State.SUCCEEDED, TaskStatus.Failure.FAILURE_UNSPECIFIED));
        assertEquals(0, stuck.running());
        assertEquals(0, s.runningCount());
    }

    // The loser of an earlier launch still runs when the executor launches the same task again:
    // a kept batch recomputed once more after a restart, a lost map output run again.
    @Test
    void aFailedAttemptWaitsForNoAttemptOfAnEarlierLaunchOfTheSameTask() throws Exception {
        TaskScheduler s = scheduler(1, 1000);
        BlockingQueue<TaskAssignment> toA = new LinkedBlockingQueue<>();
        BlockingQueue<TaskAssignment> toB = new LinkedBlockingQueue<>();
        worker("a", 1, toA);
        Worker b = worker("b", 1, toB);
        s.launch(task(0));
        CompletableFuture<TaskOutcome> again = s.launch(task(0).withAttempt(100));
        assertEquals(1, toA.size());
        s.onStatus(b, status(toB.poll(), b, TaskStatus.State.FAILED, TaskStatus.Failure.FETCH_FAILED));
        ExecutionException e = assertThrows(ExecutionException.class, () -> again.get(0, TimeUnit.SECONDS),
                "the attempt still running on a belongs to the earlier launch: it cannot win this one");
        assertInstanceOf(FetchFailedException.class, e.getCause());
    }

    @Test
    void aTaskLaunchedAgainRunsUnderAnIdOfItsOwnAndIsNotCancelledByTheEarlierLaunch() throws Exception {
        TaskScheduler s = scheduler(4, 1000);
        BlockingQueue<CoordinatorMessage> toA = new LinkedBlockingQueue<>();
        BlockingQueue<CoordinatorMessage> toB = new LinkedBlockingQueue<>();
        Worker a = registry.register("a", "a:1", 1, System.currentTimeMillis(), toA::add);
        Worker b = registry.register("b", "b:1", 1, System.currentTimeMillis(), toB::add);
        CompletableFuture<TaskOutcome> first = s.launch(task(0));
        CompletableFuture<TaskOutcome> second = s.launch(task(0));
        TaskAssignment onA = assigned(toA);
        TaskAssignment onB = assigned(toB);
        assertNotEquals(onA.getId(), onB.getId(), "a worker's status names its attempt by id");
        s.onStatus(a, status(onA, a, TaskStatus.State.SUCCEEDED, TaskStatus.Failure.FAILURE_UNSPECIFIED));
        assertEquals("a:1", first.get(0, TimeUnit.SECONDS).location());
        assertFalse(second.isDone());
        assertTrue(toB.stream().noneMatch(CoordinatorMessage::hasCancel), "the second launch has not lost: " + toB);
        s.onStatus(b, status(onB, b, TaskStatus.State.SUCCEEDED, TaskStatus.Failure.FAILURE_UNSPECIFIED));
        assertEquals("b:1", second.get(0, TimeUnit.SECONDS).location());
        assertEquals(0, a.running() + b.running(), "every slot is free again");
    }

    @Test
    void anAttemptCancelledUnderTheIdOfAnEndedLoserRunsAgainWithoutCountingAsAFailure() throws Exception {
        TaskScheduler s = scheduler(1, 1000);
        BlockingQueue<TaskAssignment> sent = new LinkedBlockingQueue<>();
        Worker w = worker("a", 1, sent);
        CompletableFuture<TaskOutcome> result = s.launch(task(0));
        // The worker kept a cancel for an earlier attempt under this id, which had ended when it came.
        s.onStatus(w, status(sent.poll(), w, TaskStatus.State.FAILED, TaskStatus.Failure.CANCELLED));
        assertFalse(result.isDone(), "a cancel is no failure of the task");
        TaskAssignment again = sent.poll();
        assertNotNull(again);
        assertEquals(1, again.getId().getAttempt());
        s.onStatus(w, status(again, w, TaskStatus.State.SUCCEEDED, TaskStatus.Failure.FAILURE_UNSPECIFIED));
        assertEquals("a:1", result.get(0, TimeUnit.SECONDS).location());
    }

    private static TaskAssignment assigned(BlockingQueue<CoordinatorMessage> sent) {
        return sent.stream().filter(CoordinatorMessage::hasAssign).findFirst().orElseThrow().getAssign();
    }
}
