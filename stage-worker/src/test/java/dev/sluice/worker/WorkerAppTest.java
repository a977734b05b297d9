package dev.sluice.worker;

import dev.sluice.api.JobArgs;
import dev.sluice.api.Pair;
import dev.sluice.engine.codec.RecordCodec;
import dev.sluice.engine.exec.TaskSpec;
import dev.sluice.engine.graph.BatchLayout;
import dev.sluice.engine.graph.GraphBuilder;
import dev.sluice.engine.graph.InputSplit;
import dev.sluice.protocol.BatchDone;
import dev.sluice.protocol.CoordinatorMessage;
import dev.sluice.protocol.Drained;
import dev.sluice.protocol.JobDefinition;
import dev.sluice.protocol.TaskAssignment;
import dev.sluice.protocol.TaskStatus;
import dev.sluice.protocol.WorkerMessage;
import dev.sluice.protocol.convert.TaskMessages;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.when;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The worker app against a test coordinator over a real control stream: it registers,
 * defines the job it is sent, runs a shuffle-map task and the reduce task that reads its
 * output back over gRPC, and refuses a task planned for a different graph.
 */
@QuarkusTest
@QuarkusTestResource(value = CoordinatorPeer.class, restrictToAnnotatedClass = true)
class WorkerAppTest {

    private static String fingerprint;

    @BeforeAll
    static void defineJob() throws InterruptedException {
        WorkerMessage first = CoordinatorPeer.FROM_WORKER.poll(20, TimeUnit.SECONDS);
        assertNotNull(first, "the worker never registered");
        assertEquals("test-worker", first.getRegister().getWorkerId());
        assertEquals(3, first.getRegister().getSlots());
        fingerprint = GraphBuilder.define(new WordsJob(), JobArgs.empty(), System.out).fingerprint();
        CoordinatorPeer.send(CoordinatorMessage.newBuilder().setDefineJob(JobDefinition.newBuilder()
                .setJob("worker-test-words").setFingerprint(fingerprint)).build());
    }

    @Test
    void runsAMapTaskThenTheReduceTaskOverItsOutput() throws InterruptedException {
        String self = registeredAddress();
        BatchLayout input = BatchLayout.of(1000, 0, Map.of(0, List.<InputSplit>of(new InputSplit.QueueSlice(1, 0, 1, 2))));
        TaskStatus map = run(new TaskSpec("worker-test-words", fingerprint, 0, 0, 0, input));
        assertEquals(TaskStatus.State.SUCCEEDED, map.getState(), map.getError());
        assertEquals(CoordinatorPeer.EPOCH, map.getEpoch());

        // Shuffle 0 (reduceByKey) had one map partition, written by this worker.
        Map<String, Long> counts = new HashMap<>();
        for (int reduce = 0; reduce < 2; reduce++) {
            BatchLayout shuffled = input.withMapOutputs(0, List.of(self));
            TaskStatus result = run(new TaskSpec("worker-test-words", fingerprint, 1, reduce, 0, shuffled));
            assertEquals(TaskStatus.State.SUCCEEDED, result.getState(), result.getError());
            for (Object o : RecordCodec.decode(result.getResult().toByteArray())) {
                Pair<?, ?> kv = (Pair<?, ?>) o;
                assertEquals(reduce, Math.floorMod(kv.first().hashCode(), 2), kv + " in the wrong partition");
                counts.put((String) kv.first(), (Long) kv.second());
            }
        }
        assertEquals(Map.of("a", 3L, "b", 1L, "c", 1L), counts);
    }

    @Test
    void runsTasksThatNameALayoutSentOnceAndFailsOnesNamingAnUnknownOrForgottenLayout() throws InterruptedException {
        BatchLayout input = BatchLayout.of(3000, 0, Map.of(0, List.<InputSplit>of(new InputSplit.QueueSlice(3, 0, 1, 2))));
        CoordinatorPeer.send(CoordinatorMessage.newBuilder()
                .setLayout(TaskMessages.toLayoutUpdate(41, "worker-test-words", input)).build());
        TaskStatus map = run(new TaskSpec("worker-test-words", fingerprint, 0, 0, 0, input), 41);
        assertEquals(TaskStatus.State.SUCCEEDED, map.getState(), map.getError());

        BatchLayout shuffled = input.withMapOutputs(0, List.of(registeredAddress()));
        CoordinatorPeer.send(CoordinatorMessage.newBuilder()
                .setLayout(TaskMessages.toLayoutUpdate(42, "worker-test-words", shuffled)).build());
        for (int reduce = 0; reduce < 2; reduce++) {
            TaskStatus result = run(new TaskSpec("worker-test-words", fingerprint, 1, reduce, 0, shuffled), 42);
            assertEquals(TaskStatus.State.SUCCEEDED, result.getState(), result.getError());
        }

        CoordinatorPeer.send(CoordinatorMessage.newBuilder().setBatchDone(BatchDone.newBuilder()
                .setJob("worker-test-words").setBatchTimeMs(3000)).build());
        TaskStatus forgotten = run(new TaskSpec("worker-test-words", fingerprint, 1, 0, 1, shuffled), 42);
        assertEquals(TaskStatus.State.FAILED, forgotten.getState());
        assertTrue(forgotten.getError().contains("layout 42"), forgotten.getError());
        TaskStatus unknown = run(new TaskSpec("worker-test-words", fingerprint, 0, 0, 1, input), 99);
        assertEquals(TaskStatus.State.FAILED, unknown.getState());
        assertTrue(unknown.getError().contains("layout 99"), unknown.getError());
    }

    @Test
    void holdsTasksPlacedAheadOfTheirShuffleUntilTheCoordinatorSaysItIsReady() throws InterruptedException {
        BatchLayout input = BatchLayout.of(4000, 0, Map.of(0, List.<InputSplit>of(new InputSplit.QueueSlice(1, 0, 1, 2))));
        CoordinatorPeer.send(CoordinatorMessage.newBuilder()
                .setLayout(TaskMessages.toLayoutUpdate(51, "worker-test-words", input)).build());
        List<TaskSpec> reduces = new ArrayList<>();
        for (int reduce = 0; reduce < 2; reduce++) {
            reduces.add(new TaskSpec("worker-test-words", fingerprint, 1, reduce, 0, input));
            CoordinatorPeer.send(CoordinatorMessage.newBuilder()
                    .setAssign(TaskMessages.toAssignment(reduces.get(reduce), 51, Set.of(0))).build());
        }
        TaskStatus map = run(new TaskSpec("worker-test-words", fingerprint, 0, 0, 0, input), 51);
        assertEquals(TaskStatus.State.SUCCEEDED, map.getState(), map.getError());
        // Run now, they would fail: the layout they name has no map outputs.
        assertNull(statusOf(reduces.get(0), 300), "a placed task ran before its shuffle was ready");

        CoordinatorPeer.send(CoordinatorMessage.newBuilder().setShuffleReady(
                TaskMessages.shuffleReady("worker-test-words", 4000, 1, 0, List.of(registeredAddress()))).build());
        Map<String, Long> counts = new HashMap<>();
        List<TaskStatus> results = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 20_000;
        while (results.size() < reduces.size() && System.currentTimeMillis() < deadline) {
            WorkerMessage m = CoordinatorPeer.FROM_WORKER.poll(1, TimeUnit.SECONDS);
            if (m != null && m.hasStatus() && m.getStatus().getId().getBatchTimeMs() == 4000) {
                results.add(m.getStatus());
            }
        }
        assertEquals(2, results.size(), "both placed tasks should have run: " + results);
        for (TaskStatus result : results) {
            assertEquals(TaskStatus.State.SUCCEEDED, result.getState(), result.getError());
            for (Object o : RecordCodec.decode(result.getResult().toByteArray())) {
                Pair<?, ?> kv = (Pair<?, ?>) o;
                counts.put((String) kv.first(), (Long) kv.second());
            }
        }
        assertEquals(Map.of("a", 3L, "b", 1L, "c", 1L), counts);
    }

    @Test
    void refusesATaskPlannedForAnotherGraphNamingBoth() throws InterruptedException {
        BatchLayout input = BatchLayout.of(2000, 0, Map.of(0, List.<InputSplit>of(new InputSplit.QueueSlice(2, 0, 1, 1))));
        TaskStatus status = run(new TaskSpec("worker-test-words", "0000000000000000", 0, 0, 0, input));
        assertEquals(TaskStatus.State.FAILED, status.getState());
        assertTrue(status.getError().contains("0000000000000000") && status.getError().contains(fingerprint),
                "error should name both fingerprints: " + status.getError());
    }

    @Test
    void drainAsksTheCoordinatorAndAnswersOnceReleased() throws Exception {
        when().post("/api/drain?timeout=0").then().statusCode(400).contentType("application/problem+json");
        CompletableFuture<Integer> drain = CompletableFuture.supplyAsync(() -> when().post("/api/drain?timeout=20")
                .then().extract().statusCode());
        long deadline = System.currentTimeMillis() + 20_000;
        boolean asked = false;
        while (!asked && System.currentTimeMillis() < deadline) {
            WorkerMessage m = CoordinatorPeer.FROM_WORKER.poll(1, TimeUnit.SECONDS);
            asked = m != null && m.hasDrain();
        }
        assertTrue(asked, "the worker should tell the coordinator it is draining");
        assertFalse(drain.isDone(), "the drain answers only once the coordinator releases the worker");
        CoordinatorPeer.send(CoordinatorMessage.newBuilder().setDrained(Drained.getDefaultInstance()).build());
        assertEquals(200, drain.get(20, TimeUnit.SECONDS));
    }

    @Test
    void isReadyOnceRegistered() {
        when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    private static String registeredAddress() {
        return when().get("/q/health/ready").then().extract().jsonPath()
                .getString("checks.find { it.name == 'coordinator-registration' }.data.address");
    }

    /** Assigns {@code task}, its layout inside, and waits for its status, skipping heartbeats. */
    private static TaskStatus run(TaskSpec task) throws InterruptedException {
        return await(task, TaskMessages.toAssignment(task));
    }

    /** Assigns {@code task} naming layout {@code layoutId}, and waits for its status. */
    private static TaskStatus run(TaskSpec task, long layoutId) throws InterruptedException {
        return await(task, TaskMessages.toAssignment(task, layoutId));
    }

    private static TaskStatus await(TaskSpec task, TaskAssignment assignment) throws InterruptedException {
        CoordinatorPeer.send(CoordinatorMessage.newBuilder().setAssign(assignment).build());
        TaskStatus status = statusOf(task, 20_000);
        if (status == null) {
            throw new AssertionError("no status for " + task.name());
        }
        return status;
    }

    /** The status of {@code task} if it comes within {@code ms}, else null; heartbeats and other tasks' statuses are skipped. */
    private static TaskStatus statusOf(TaskSpec task, long ms) throws InterruptedException {
        long deadline = System.currentTimeMillis() + ms;
        while (System.currentTimeMillis() < deadline) {
            WorkerMessage m = CoordinatorPeer.FROM_WORKER.poll(1, TimeUnit.SECONDS);
            if (m != null && m.hasStatus() && m.getStatus().getId().getBatchTimeMs() == task.batchTimeMs()
                    && m.getStatus().getId().getStage() == task.stage()
                    && m.getStatus().getId().getPartition() == task.partition()
                    && m.getStatus().getId().getAttempt() == task.attempt()) {
                return m.getStatus();
            }
        }
        return null;
    }
}
