package dev.sluice.coordinator.grpc;

import dev.sluice.protocol.Heartbeat;
import dev.sluice.protocol.Register;
import dev.sluice.protocol.TaskId;
import dev.sluice.protocol.TaskStatus;
import dev.sluice.protocol.check.Refusal;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ControlMessageCheckTest {

    private static final long NOW = 1_000_000;
    // Job "wc": zero time 990_000, 1 s batches, 3 stages.
    private final ControlMessageCheck check = new ControlMessageCheck(
            name -> name.equals("wc") ? Optional.of(new ControlMessageCheck.JobShape(990_000, 1000, 3)) : Optional.empty(),
            64, 5_000, () -> NOW);

    private static Register.Builder register() {
        return Register.newBuilder().setWorkerId("w1").setAddress("worker-1:9191").setSlots(4);
    }

    private static TaskStatus.Builder status() {
        return TaskStatus.newBuilder().setId(TaskId.newBuilder().setJob("wc").setBatchTimeMs(999_000).setStage(1)
                .setPartition(2).setAttempt(0)).setState(TaskStatus.State.SUCCEEDED).setEpoch(7);
    }

    private static String detail(Optional<Refusal> r) {
        return r.map(Refusal::detail).orElse(null);
    }

    @Test
    void aWellFormedRegistrationPasses() {
        assertEquals(Optional.empty(), check.register(register().setPool("reduce").setStages("reduce,state").build()));
    }

    @Test
    void aRegistrationIsRefusedNamingTheFieldAndValue() {
        assertEquals("worker_id must be set, got ''", detail(check.register(register().setWorkerId("").build())));
        assertEquals("address must be host:port with a port from 1 to 65535, got 'worker-1'",
                detail(check.register(register().setAddress("worker-1").build())));
        assertEquals("slots must be at least 1, got -3", detail(check.register(register().setSlots(-3).build())));
        assertEquals("stages must be all, or a comma-separated list of map, reduce, state, got 'sort'",
                detail(check.register(register().setStages("sort").build())));
        assertEquals(Status.Code.INVALID_ARGUMENT, check.register(register().setPool("p".repeat(300)).build())
                .orElseThrow().code());
    }

    @Test
    void absurdSlotCountsAreClampedToTheMaximum() {
        assertEquals(Optional.empty(), check.register(register().setSlots(Integer.MAX_VALUE).build()));
        assertEquals(64, check.slots(Integer.MAX_VALUE));
        assertEquals(4, check.slots(4));
        assertThrows(IllegalArgumentException.class, () -> new ControlMessageCheck(n -> Optional.empty(), 0, 0, () -> 0));
    }

    @Test
    void heartbeatsMustAdvertiseAtMostTheRegisteredSlots() {
        assertEquals(Optional.empty(), check.heartbeat(Heartbeat.newBuilder().setFreeSlots(4).setSentAtMs(NOW).build(), 4));
        assertEquals("free_slots must be from 0 to 4, got 5",
                detail(check.heartbeat(Heartbeat.newBuilder().setFreeSlots(5).build(), 4)));
        assertEquals("free_slots must be from 0 to 4, got -1",
                detail(check.heartbeat(Heartbeat.newBuilder().setFreeSlots(-1).build(), 4)));
    }

    @Test
    void aStatusNoWorkerSendsIsMalformed() {
        assertEquals(Optional.empty(), check.malformed(status().build()));
        assertEquals("id must be set", detail(check.malformed(status().clearId().build())));
        assertEquals("id.partition must not be negative, got -1",
                detail(check.malformed(status().setId(status().getId().toBuilder().setPartition(-1)).build())));
        assertEquals("id.stage must not be negative, got -2",
                detail(check.malformed(status().setId(status().getId().toBuilder().setStage(-2)).build())));
        assertEquals("state must be SUCCEEDED or FAILED, got STATE_UNSPECIFIED",
                detail(check.malformed(status().setState(TaskStatus.State.STATE_UNSPECIFIED).build())));
        assertEquals("records_out must not be negative, got -5", detail(check.malformed(status().setRecordsOut(-5).build())));
        assertEquals("id.job must be set, got ''",
                detail(check.malformed(status().setId(status().getId().toBuilder().setJob("")).build())));
    }

    @Test
    void aStatusFromAFencedEpochIsStale() {
        Refusal r = check.outdated(status().setEpoch(6).build(), 7).orElseThrow();
        assertEquals(Refusal.Reason.STALE, r.reason());
        assertEquals("epoch 6 was fenced: the worker is registered under epoch 7", r.detail());
        assertEquals(Optional.empty(), check.outdated(status().build(), 7));
    }

    @Test
    void aStatusOfAnUnknownJobStageOrBatchIsOutdated() {
        Refusal unknown = check.outdated(status().setId(status().getId().toBuilder().setJob("nope")).build(), 7)
                .orElseThrow();
        assertEquals(Status.Code.NOT_FOUND, unknown.code());
        assertEquals("id.job 'nope' is not a job of this coordinator", unknown.detail());
        assertEquals("id.stage 3 is not a stage of job wc, which has 3",
                detail(check.outdated(status().setId(status().getId().toBuilder().setStage(3)).build(), 7)));

        Refusal future = check.outdated(status().setId(status().getId().toBuilder().setBatchTimeMs(NOW + 6_000)).build(), 7)
                .orElseThrow();
        assertEquals(Refusal.Reason.FUTURE, future.reason());
        assertEquals("id.batch_time_ms 1006000 is 6000 ms in the future", future.detail());
        // Within the allowed skew, and on the grid: fine.
        assertEquals(Optional.empty(),
                check.outdated(status().setId(status().getId().toBuilder().setBatchTimeMs(NOW + 5_000)).build(), 7));

        Refusal offGrid = check.outdated(status().setId(status().getId().toBuilder().setBatchTimeMs(999_500)).build(), 7)
                .orElseThrow();
        assertEquals(Refusal.Reason.OFF_GRID, offGrid.reason());
        assertEquals("id.batch_time_ms 999500 is not a batch time of job wc (zero time 990000 + k x 1000 ms)",
                offGrid.detail());
        assertEquals(Refusal.Reason.OFF_GRID, check.outdated(
                status().setId(status().getId().toBuilder().setBatchTimeMs(990_000)).build(), 7).orElseThrow().reason());
    }
}
