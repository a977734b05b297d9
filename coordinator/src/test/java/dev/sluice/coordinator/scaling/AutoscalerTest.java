package dev.sluice.coordinator.scaling;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The autoscaler's rule, on a fake clock in milliseconds and a recording scaler. */
class AutoscalerTest {

    private static final long INTERVAL = 1000;
    // high 0.9, low 0.3, 60 s before scaling out again, 120 s before scaling in, 5 batches a decision.
    private static final AutoscalePolicy POLICY = AutoscalePolicy.defaults();

    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final WorkerPool pool = new WorkerPool("default", "sluice-worker", "all", 1, 6);
    private final RecordingPoolScaler scaler = new RecordingPoolScaler().with("default", 2);

    private Autoscaler autoscaler(WorkerPool... pools) {
        return new Autoscaler(List.of(pools), scaler, POLICY, clock::get);
    }

    /** Five batches, each taking {@code ratio} of the interval: one decision. */
    private static void window(Autoscaler a, double ratio) {
        for (int i = 0; i < POLICY.batches(); i++) {
            a.batchDone(INTERVAL, Math.round(ratio * INTERVAL));
        }
    }

    private void advance(long ms) {
        clock.addAndGet(ms);
    }

    @Test
    void waitsTheCooldownAfterItsStartThenScalesOutByOne() {
        Autoscaler a = autoscaler(pool);
        window(a, 0.95);
        assertEquals(List.of(), scaler.changes, "the start counts as a change: no scale-out within 60 s");
        advance(60_000);
        window(a, 0.95);
        assertEquals(List.of(new RecordingPoolScaler.Change("default", 3)), scaler.changes);
        assertEquals(0.95, a.lastRatio().getAsDouble(), 1e-9);
    }

    @Test
    void decidesOnlyOnceAWholeWindowOfBatchesCompleted() {
        Autoscaler a = autoscaler(pool);
        advance(60_000);
        for (int i = 0; i < POLICY.batches() - 1; i++) {
            a.batchDone(INTERVAL, 2000);
        }
        assertEquals(List.of(), scaler.changes);
        assertTrue(a.lastRatio().isEmpty());
        a.batchDone(INTERVAL, 2000);
        assertEquals(1, scaler.changes.size());
    }

    @Test
    void theRatioIsTheMeanProcessingTimeOverTheInterval() {
        Autoscaler a = autoscaler(pool);
        advance(120_000);
        // 0.2, 0.2, 0.2, 0.2 and 2.2: a mean of 0.6, inside the band, in spite of one slow batch.
        for (long ms : new long[] {200, 200, 200, 200, 2200}) {
            a.batchDone(INTERVAL, ms);
        }
        assertEquals(0.6, a.lastRatio().getAsDouble(), 1e-9);
        assertEquals(List.of(), scaler.changes);
        assertEquals(0, scaler.reads, "no call to Kubernetes while the ratio is within the band");
    }

    @Test
    void scalesOutInProportionToTheRatio() {
        Autoscaler a = autoscaler(pool);
        advance(60_000);
        window(a, 2.6); // batches take 2.6 intervals: round(2.6) = 3 more workers
        assertEquals(List.of(new RecordingPoolScaler.Change("default", 5)), scaler.changes);
    }

    @Test
    void scalesInByOneBelowTheLowRatio() {
        Autoscaler a = autoscaler(pool);
        advance(120_000);
        window(a, 0.1);
        assertEquals(List.of(new RecordingPoolScaler.Change("default", 1)), scaler.changes);
    }

    @Test
    void respectsTheCooldownsAfterAChange() {
        Autoscaler a = autoscaler(pool);
        advance(60_000);
        window(a, 1.2);
        assertEquals(3, scaler.replicas.get("default"));

        advance(59_999);
        window(a, 1.2);
        assertEquals(3, scaler.replicas.get("default"), "59.999 s after a change: no scale-out yet");
        advance(1);
        window(a, 1.2);
        assertEquals(4, scaler.replicas.get("default"), "60 s after: scales out again");

        advance(119_999);
        window(a, 0.1);
        assertEquals(4, scaler.replicas.get("default"), "119.999 s after a change: no scale-in yet");
        advance(1);
        window(a, 0.1);
        assertEquals(3, scaler.replicas.get("default"), "120 s after: scales in");
        assertEquals(List.of(3, 4, 3), scaler.changes.stream().map(RecordingPoolScaler.Change::replicas).toList());
    }

    @Test
    void neverGoesAboveMax() {
        scaler.with("default", 5);
        Autoscaler a = autoscaler(pool);
        advance(60_000);
        window(a, 3.0); // would add 3
        assertEquals(List.of(new RecordingPoolScaler.Change("default", 6)), scaler.changes);

        advance(60_000);
        int reads = scaler.reads;
        window(a, 3.0);
        assertEquals(1, scaler.changes.size(), "at max: no change");
        assertEquals(reads + 1, scaler.reads);
        window(a, 3.0);
        assertEquals(reads + 1, scaler.reads, "at max, it looks again only after the cooldown");
        advance(60_000);
        window(a, 3.0);
        assertEquals(reads + 2, scaler.reads);
        assertEquals(1, scaler.changes.size());
    }

    @Test
    void neverGoesBelowMin() {
        WorkerPool reduce = new WorkerPool("reduce", "sluice-worker-reduce", "reduce,state", 2, 8);
        scaler.with("reduce", 2);
        Autoscaler a = autoscaler(reduce);
        advance(120_000);
        window(a, 0.0);
        assertEquals(List.of(), scaler.changes);
        assertEquals(2, scaler.replicas.get("reduce"));
    }

    @Test
    void neverTakesAPoolToZeroByItselfEvenWhenMinIsZero() {
        WorkerPool spare = new WorkerPool("spare", "sluice-worker-spare", "all", 0, 3);
        scaler.with("spare", 1);
        Autoscaler a = autoscaler(spare);
        advance(120_000);
        window(a, 0.0);
        assertEquals(List.of(), scaler.changes, "with no worker no batch completes, so nothing would scale it out again");
    }

    @Test
    void bringsPoolsWithinTheirBoundsAtStartWhateverTheCooldowns() {
        WorkerPool reduce = new WorkerPool("reduce", "sluice-worker-reduce", "reduce,state", 2, 8);
        scaler.with("default", 9).with("reduce", 1);
        Autoscaler a = autoscaler(pool, reduce);
        a.enforceBounds();
        assertEquals(List.of(new RecordingPoolScaler.Change("default", 6), new RecordingPoolScaler.Change("reduce", 2)),
                scaler.changes);
        a.enforceBounds();
        assertEquals(2, scaler.changes.size(), "within bounds: nothing to do");
    }

    @Test
    void everyPoolFollowsTheRatioWithinItsOwnBounds() {
        WorkerPool reduce = new WorkerPool("reduce", "sluice-worker-reduce", "reduce,state", 2, 3);
        scaler.with("reduce", 3);
        Autoscaler a = autoscaler(pool, reduce);
        advance(60_000);
        window(a, 1.0);
        assertEquals(List.of(new RecordingPoolScaler.Change("default", 3)), scaler.changes);
        assertEquals(3, scaler.replicas.get("reduce"));
    }

    @Test
    void aChangeByHandRestartsTheCooldownsAndTheWindow() {
        Autoscaler a = autoscaler(pool);
        advance(60_000);
        a.batchDone(INTERVAL, 2000);
        a.batchDone(INTERVAL, 2000);
        scaler.with("default", 4);
        a.scaledByHand("default");
        a.batchDone(INTERVAL, 2000);
        a.batchDone(INTERVAL, 2000);
        a.batchDone(INTERVAL, 2000);
        assertTrue(a.lastRatio().isEmpty(), "the batches before the change no longer count");
        advance(30_000);
        window(a, 2.0);
        assertEquals(List.of(), scaler.changes, "30 s after a change by hand: no scale-out");
        advance(30_000);
        window(a, 2.0);
        assertEquals(List.of(new RecordingPoolScaler.Change("default", 6)), scaler.changes);
    }

    @Test
    void aRefusedCallIsTriedAgainAfterTheCooldownNotAtEveryWindow() {
        Autoscaler a = autoscaler(pool);
        advance(60_000);
        scaler.failure = new ScalingForbiddenException("get", "deployments", "apps", "sluice-worker", "sluice", 403, "no");
        window(a, 1.5);
        int reads = scaler.reads;
        window(a, 1.5);
        assertEquals(reads, scaler.reads, "no new call within the cooldown");
        scaler.failure = null;
        advance(60_000);
        window(a, 1.5);
        assertEquals(List.of(new RecordingPoolScaler.Change("default", 4)), scaler.changes);
    }

    @Test
    void ignoresBatchesWithoutATime() {
        Autoscaler a = autoscaler(pool);
        advance(60_000);
        for (int i = 0; i < 10; i++) {
            a.batchDone(INTERVAL, -1);
            a.batchDone(0, 500);
        }
        assertTrue(a.lastRatio().isEmpty());
    }

    @Test
    void refusesABadPolicyNamingTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AutoscalePolicy(0.5, 0.8, 0, 0, 5));
        assertTrue(e.getMessage().contains("sluice.autoscale.low"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new AutoscalePolicy(0.9, 0.3, 0, 0, 0));
        assertTrue(e.getMessage().contains("sluice.autoscale.batches"), e.getMessage());
    }
}
