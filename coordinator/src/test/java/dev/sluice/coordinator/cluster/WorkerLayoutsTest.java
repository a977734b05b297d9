package dev.sluice.coordinator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.sluice.engine.exec.TaskSpec;
import dev.sluice.engine.graph.BatchLayout;
import dev.sluice.engine.graph.InputSplit;
import dev.sluice.protocol.CoordinatorMessage;
import dev.sluice.protocol.convert.TaskMessages;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A worker is sent each batch layout once, before the first task that names it; the tasks of
 * a stage name it by id; a batch that is done is forgotten on both sides, so a task of it
 * later (a recomputation) brings its layout along again.
 */
class WorkerLayoutsTest {

    private final List<CoordinatorMessage> sent = new ArrayList<>();
    private final Worker worker = new Worker("w", "host:1", 4, 1, 0, sent::add);

    private static TaskSpec task(BatchLayout layout, int stage, int partition) {
        return new TaskSpec("job", "fp", stage, partition, 0, layout);
    }

    @Test
    void sendsALayoutOnceAndNamesItInEveryTaskOfTheStage() {
        BatchLayout input = BatchLayout.of(1000, 0, Map.of(0, List.<InputSplit>of(new InputSplit.QueueSlice(1, 0, 1, 3))));
        for (int p = 0; p < 3; p++) {
            worker.assign(task(input, 0, p));
        }
        assertEquals(List.of("LAYOUT", "ASSIGN", "ASSIGN", "ASSIGN"), kinds());
        long id = sent.get(0).getLayout().getLayoutId();
        // The layout arrives as a task carrying it inline would bring it.
        BatchLayout inline = TaskMessages.fromAssignment(TaskMessages.toAssignment(task(input, 0, 0))).layout();
        assertEquals(inline, TaskMessages.fromLayoutUpdate(sent.get(0).getLayout()));
        for (CoordinatorMessage m : sent.subList(1, 4)) {
            assertEquals(id, m.getAssign().getLayoutId());
            assertEquals(0, m.getAssign().getSourcesCount(), "the assignment carries no layout of its own");
            assertEquals(input, TaskMessages.fromAssignment(m.getAssign(), input).layout());
        }

        BatchLayout shuffled = input.withMapOutputs(0, List.of("host:1"));
        worker.assign(task(shuffled, 1, 0));
        worker.assign(task(shuffled, 1, 1));
        assertEquals(List.of("LAYOUT", "ASSIGN", "ASSIGN", "ASSIGN", "LAYOUT", "ASSIGN", "ASSIGN"), kinds());
        long next = sent.get(4).getLayout().getLayoutId();
        assertNotEquals(id, next);
        assertEquals(next, sent.get(6).getAssign().getLayoutId());
    }

    @Test
    void aBatchDoneIsForgottenSoALaterTaskOfItSendsItsLayoutAgain() {
        BatchLayout first = BatchLayout.of(1000, 0, Map.of());
        BatchLayout second = BatchLayout.of(2000, 0, Map.of());
        worker.assign(task(first, 0, 0));
        worker.assign(task(second, 0, 0));
        worker.batchDone("job", 1000);
        worker.assign(task(second, 0, 1));
        worker.assign(task(first, 0, 1));
        assertEquals(List.of("LAYOUT", "ASSIGN", "LAYOUT", "ASSIGN", "BATCH_DONE", "ASSIGN", "LAYOUT", "ASSIGN"), kinds());
        assertEquals(1000, sent.get(6).getLayout().getBatchTimeMs());
    }

    private List<String> kinds() {
        return sent.stream().map(m -> m.getKindCase().name()).toList();
    }
}
