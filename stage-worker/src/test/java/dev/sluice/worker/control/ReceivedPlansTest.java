package dev.sluice.worker.control;

import dev.sluice.protocol.StagePlan;
import dev.sluice.protocol.StageStart;
import dev.sluice.protocol.TaskAssignment;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReceivedPlansTest {

    private final ReceivedPlans plans = new ReceivedPlans();

    private static StagePlan plan(long id, int stage, String self, String... workers) {
        return StagePlan.newBuilder().setPlanId(id).setJob("job").setStage(stage).setSelf(self)
                .addAllWorkers(List.of(workers)).build();
    }

    private static StageStart start(long planId, int stage, int partitions) {
        return StageStart.newBuilder().setPlanId(planId).setJob("job").setStage(stage).setBatchTimeMs(2000)
                .setPartitions(partitions).setAttempt(0).setFingerprint("fp").setLayoutId(9).addAwaitedShuffles(3).build();
    }

    @Test
    void aStageStartBecomesThisWorkersShareOfAssignments() {
        plans.add(plan(1, 2, "b", "a", "b", "a"));
        List<TaskAssignment> own = plans.expand(start(1, 2, 7));
        assertEquals(List.of(1, 4), own.stream().map(t -> t.getId().getPartition()).toList());
        TaskAssignment first = own.get(0);
        assertEquals("job", first.getId().getJob());
        assertEquals(2000, first.getId().getBatchTimeMs());
        assertEquals(2, first.getId().getStage());
        assertEquals(9, first.getLayoutId());
        assertEquals("fp", first.getFingerprint());
        assertEquals(List.of(3), first.getAwaitedShufflesList());
    }

    @Test
    void aReplacedForgottenOrMismatchedPlacementIsRefusedNamingIt() {
        plans.add(plan(1, 2, "a", "a", "b"));
        plans.add(plan(2, 2, "a", "a"));
        IllegalArgumentException replaced = assertThrows(IllegalArgumentException.class, () -> plans.expand(start(1, 2, 4)));
        assertTrue(replaced.getMessage().contains("placement 1"), replaced.getMessage());
        assertEquals(4, plans.expand(start(2, 2, 4)).size());
        assertThrows(IllegalArgumentException.class, () -> plans.expand(start(2, 3, 4)), "placement 2 is of stage 2");
        plans.clear();
        assertThrows(IllegalArgumentException.class, () -> plans.expand(start(2, 2, 4)));
    }

    @Test
    void aPlacementThatDoesNotNameThisWorkerIsLeftOut() {
        plans.add(plan(5, 2, "c", "a", "b"));
        assertThrows(IllegalArgumentException.class, () -> plans.expand(start(5, 2, 4)));
    }
}
