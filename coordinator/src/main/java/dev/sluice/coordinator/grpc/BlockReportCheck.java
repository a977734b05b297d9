package dev.sluice.coordinator.grpc;

import dev.sluice.protocol.BlockRef;
import dev.sluice.protocol.BlockReport;
import dev.sluice.protocol.ReceiverHello;
import dev.sluice.protocol.RunningSource;
import dev.sluice.protocol.check.FieldCheck;
import dev.sluice.protocol.check.Refusal;
import io.grpc.Status;

import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongSupplier;

/** The rules for what receivers send the coordinator: their attach and their block reports. */
public final class BlockReportCheck {

    private final Function<String, Optional<Set<Integer>>> blockSources;
    private final long clockSkewMs;
    private final LongSupplier clock;

    /**
     * @param blockSources the node ids of the receiver-based sources of the job of a name, if one runs
     * @param clockSkewMs  how far ahead of {@code clock} a receiver's clock may be
     * @param clock        the coordinator's clock, epoch milliseconds
     */
    public BlockReportCheck(Function<String, Optional<Set<Integer>>> blockSources, long clockSkewMs, LongSupplier clock) {
        this.blockSources = blockSources;
        this.clockSkewMs = clockSkewMs;
        this.clock = clock;
    }

    /**
     * Why an attach is refused, if it is. The sources it says it runs may belong to jobs this
     * coordinator does not run (it restarted): only their form is checked.
     */
    public Optional<Refusal> hello(ReceiverHello h) {
        FieldCheck check = FieldCheck.start().id("receiver_id", h.getReceiverId()).address("address", h.getAddress());
        for (int i = 0; i < h.getRunningCount(); i++) {
            RunningSource s = h.getRunning(i);
            check.id("running[" + i + "].job", s.getJob()).atLeast("running[" + i + "].node", s.getNode(), 0);
        }
        return check.result();
    }

    /** Why a block report is refused, if it is. */
    public Optional<Refusal> report(BlockReport r) {
        BlockRef b = r.getBlock();
        return FieldCheck.start()
                .id("job", r.getJob())
                .atLeast("node", r.getNode(), 0)
                .present("block", r.hasBlock())
                .id("block.block_id", b.getBlockId())
                .address("block.address", b.getAddress())
                .atLeast("block.records", b.getRecords(), 0)
                .atLeast("received_at_ms", r.getReceivedAtMs(), 0)
                .then(() -> future(r.getReceivedAtMs()))
                .then(() -> source(r.getJob(), r.getNode()))
                .result();
    }

    private Optional<Refusal> future(long receivedAtMs) {
        long ahead = receivedAtMs - clock.getAsLong();
        return ahead <= clockSkewMs ? Optional.empty() : Optional.of(new Refusal(Refusal.Reason.FUTURE,
                Status.Code.INVALID_ARGUMENT, "received_at_ms " + receivedAtMs + " is " + ahead
                + " ms ahead of the coordinator's clock, more than the " + clockSkewMs
                + " ms sluice.cluster.max-clock-skew allows"));
    }

    private Optional<Refusal> source(String job, int node) {
        Optional<Set<Integer>> sources = blockSources.apply(job);
        if (sources.isEmpty()) {
            return Optional.of(Refusal.unknown("job " + Refusal.shown(job) + " does not run on this coordinator"));
        }
        if (!sources.get().contains(node)) {
            return Optional.of(Refusal.unknown("node " + node + " is not a receiver-based source of job " + job
                    + "; those are " + sources.get().stream().sorted().toList()));
        }
        return Optional.empty();
    }
}
