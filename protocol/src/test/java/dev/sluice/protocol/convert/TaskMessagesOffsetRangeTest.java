package dev.sluice.protocol.convert;

import dev.sluice.engine.exec.TaskSpec;
import dev.sluice.engine.graph.BatchLayout;
import dev.sluice.engine.graph.InputSplit;
import dev.sluice.protocol.OffsetRange;
import dev.sluice.protocol.TaskAssignment;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TaskMessagesOffsetRangeTest {

    @Test
    void offsetRangesSurviveTheAssignmentBothWays() throws Exception {
        List<InputSplit> ranges = List.of(new InputSplit.OffsetRange("orders", 0, 0, 5),
                new InputSplit.OffsetRange("orders", 2, 17, 17), new InputSplit.OffsetRange("payments.v2", 1, 40, 1_000_000_000_000L));
        BatchLayout layout = BatchLayout.of(3000, 1000, Map.of(0, ranges, 3, List.of(new InputSplit.File("/in/a.txt"))));
        TaskSpec task = new TaskSpec("job", "0123456789abcdef", 0, 1, 0, layout);

        TaskAssignment wire = TaskMessages.toAssignment(task);
        OffsetRange first = wire.getSources(0).getSplits(0).getOffsets();
        assertEquals("orders", first.getTopic());
        assertEquals(5, first.getUntilOffset());

        TaskSpec back = TaskMessages.fromAssignment(TaskAssignment.parseFrom(wire.toByteArray()));
        assertEquals(ranges, back.layout().splitsOf(0));
        assertEquals(List.of(5L, 0L, 1_000_000_000_000L - 40), back.layout().splitsOf(0).stream().map(InputSplit::records).toList());
        assertEquals(layout.splitsOf(3), back.layout().splitsOf(3));
    }

    @Test
    void malformedOffsetRangesAreRefusedNamingThePartition() {
        IllegalArgumentException backwards = assertThrows(IllegalArgumentException.class, () -> TaskMessages.fromProto(
                range(OffsetRange.newBuilder().setTopic("orders").setPartition(1).setFromOffset(9).setUntilOffset(3))));
        assertTrue(backwards.getMessage().contains("orders-1") && backwards.getMessage().contains("9"), backwards.getMessage());

        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> TaskMessages.fromProto(
                range(OffsetRange.newBuilder().setTopic("orders").setPartition(-1).setFromOffset(0).setUntilOffset(3))));
        assertTrue(negative.getMessage().contains("partition is negative"), negative.getMessage());

        IllegalArgumentException noTopic = assertThrows(IllegalArgumentException.class, () -> TaskMessages.fromProto(
                range(OffsetRange.newBuilder().setPartition(0).setFromOffset(0).setUntilOffset(3))));
        assertTrue(noTopic.getMessage().contains("no topic"), noTopic.getMessage());
    }

    @Test
    void theEngineRecordRefusesMalformedRangesToo() {
        assertThrows(IllegalArgumentException.class, () -> new InputSplit.OffsetRange("t", 0, 5, 4));
        assertThrows(IllegalArgumentException.class, () -> new InputSplit.OffsetRange("t", -2, 0, 4));
        assertThrows(IllegalArgumentException.class, () -> new InputSplit.OffsetRange("", 0, 0, 4));
        assertEquals("t-3[4,9)", new InputSplit.OffsetRange("t", 3, 4, 9).toString());
    }

    private static dev.sluice.protocol.InputSplit range(OffsetRange.Builder r) {
        return dev.sluice.protocol.InputSplit.newBuilder().setOffsets(r).build();
    }
}
