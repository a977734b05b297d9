package dev.sluice.coordinator.grpc;

import dev.sluice.protocol.BlockRef;
import dev.sluice.protocol.BlockReport;
import dev.sluice.protocol.ReceiverHello;
import dev.sluice.protocol.RunningSource;
import dev.sluice.protocol.check.Refusal;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BlockReportCheckTest {

    private static final long NOW = 1_000_000;
    // Job "events" has receiver-based sources 0 and 2.
    private final BlockReportCheck check = new BlockReportCheck(
            name -> name.equals("events") ? Optional.of(Set.of(0, 2)) : Optional.empty(), 60_000, () -> NOW);

    private static BlockReport.Builder report() {
        return BlockReport.newBuilder().setJob("events").setNode(2).setReceivedAtMs(NOW - 10)
                .setBlock(BlockRef.newBuilder().setBlockId("r1-2-abc.1").setAddress("receiver-0:9095").setRecords(5));
    }

    private static BlockReport.Builder withBlock(BlockRef.Builder block) {
        return report().setBlock(block);
    }

    private static String detail(Optional<Refusal> r) {
        return r.map(Refusal::detail).orElse(null);
    }

    @Test
    void aWellFormedReportOfAKnownSourcePasses() {
        assertEquals(Optional.empty(), check.report(report().build()));
        assertEquals(Optional.empty(), check.report(report().setReceivedAtMs(NOW + 60_000).build()));
    }

    @Test
    void badFieldsAreInvalidArgumentsNamingFieldAndValue() {
        BlockRef.Builder block = report().getBlock().toBuilder();
        assertEquals("block.block_id must be set, got ''", detail(check.report(withBlock(block.clone().setBlockId("")).build())));
        assertEquals("block.records must not be negative, got -1",
                detail(check.report(withBlock(block.clone().setRecords(-1)).build())));
        assertEquals("block.address must be host:port with a port from 1 to 65535, got 'receiver-0'",
                detail(check.report(withBlock(block.clone().setAddress("receiver-0")).build())));
        assertEquals("block must be set", detail(check.report(report().clearBlock().build())));
        assertEquals("node must not be negative, got -4", detail(check.report(report().setNode(-4).build())));
        assertEquals("received_at_ms must not be negative, got -1", detail(check.report(report().setReceivedAtMs(-1).build())));
        assertEquals(Status.Code.INVALID_ARGUMENT, check.report(report().setJob("").build()).orElseThrow().code());
    }

    @Test
    void aBlockFromTheFutureIsRefused() {
        Refusal r = check.report(report().setReceivedAtMs(NOW + 60_001).build()).orElseThrow();
        assertEquals(Refusal.Reason.FUTURE, r.reason());
        assertEquals("received_at_ms 1060001 is 60001 ms ahead of the coordinator's clock, more than the 60000 ms"
                + " sluice.cluster.max-clock-skew allows", r.detail());
    }

    @Test
    void unknownJobsAndSourcesAreNotFound() {
        Refusal job = check.report(report().setJob("nope").build()).orElseThrow();
        assertEquals(Status.Code.NOT_FOUND, job.code());
        assertEquals("job 'nope' does not run on this coordinator", job.detail());
        Refusal node = check.report(report().setNode(1).build()).orElseThrow();
        assertEquals(Refusal.Reason.UNKNOWN, node.reason());
        assertEquals("node 1 is not a receiver-based source of job events; those are [0, 2]", node.detail());
    }

    @Test
    void anAttachNeedsAnIdAnAddressAndWellFormedSources() {
        ReceiverHello.Builder hello = ReceiverHello.newBuilder().setReceiverId("r1").setAddress("receiver-0:9095")
                .addRunning(RunningSource.newBuilder().setJob("gone-job").setNode(0));
        assertEquals(Optional.empty(), check.hello(hello.build()), "a source of a job not running here is fine");
        assertEquals("receiver_id must be set, got ''", detail(check.hello(hello.clone().setReceiverId("").build())));
        assertEquals("running[1].node must not be negative, got -1", detail(check.hello(hello.clone()
                .addRunning(RunningSource.newBuilder().setJob("j").setNode(-1)).build())));
    }
}
