package dev.sluice.engine.exec;

import dev.sluice.engine.graph.BatchLayout;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeldTasksTest {

    private final HeldTasks held = new HeldTasks();
    private final List<TaskSpec> started = new ArrayList<>();

    private static TaskSpec task(long batch, int stage, int partition) {
        return new TaskSpec("job", "fp", stage, partition, 0, BatchLayout.of(batch, 0, Map.of()));
    }

    @Test
    void aTaskStartsOnceEveryShuffleItAwaitsIsReadyWithTheirLocations() {
        held.hold(task(1000, 2, 0), Set.of(0, 1), started::add);
        held.ready("job", 1000, 2, 0, List.of("a", "b"));
        assertTrue(started.isEmpty(), "shuffle 1 is still missing");
        held.ready("job", 1000, 2, 1, List.of("c"));
        assertEquals(1, started.size());
        assertEquals(List.of("a", "b"), started.get(0).layout().mapOutputsOf(0));
        assertEquals(List.of("c"), started.get(0).layout().mapOutputsOf(1));
        assertEquals(0, held.size());
    }

    @Test
    void readinessOfAnotherBatchOrStageStartsNothing() {
        held.hold(task(1000, 2, 0), Set.of(0), started::add);
        held.ready("job", 2000, 2, 0, List.of("a"));
        held.ready("job", 1000, 3, 0, List.of("a"));
        held.ready("other", 1000, 2, 0, List.of("a"));
        assertTrue(started.isEmpty());
        assertEquals(1, held.size());
    }

    @Test
    void aTaskHeldAfterItsShuffleWasReadyStartsAtOnce() {
        held.ready("job", 1000, 2, 0, List.of("a"));
        held.hold(task(1000, 2, 1), Set.of(0), started::add);
        assertEquals(List.of("a"), started.get(0).layout().mapOutputsOf(0));
    }

    @Test
    void droppedAndOverTasksNeverStart() {
        held.hold(task(1000, 2, 0), Set.of(0), started::add);
        held.hold(task(1000, 2, 1), Set.of(0), started::add);
        assertTrue(held.drop("job", 1000, 2, 1, 0));
        assertFalse(held.drop("job", 1000, 2, 1, 0), "already dropped");
        held.stageOver("job", 1000, 2);
        held.ready("job", 1000, 2, 0, List.of("a"));
        assertTrue(started.isEmpty());
        held.stageOver("job", 1000, 2);
        held.hold(task(1000, 2, 0), Set.of(0), started::add);
        held.batchDone("job", 1000);
        assertEquals(0, held.size());
    }
}
