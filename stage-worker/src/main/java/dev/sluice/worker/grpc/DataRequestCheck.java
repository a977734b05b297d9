package dev.sluice.worker.grpc;

import dev.sluice.protocol.FetchCachedRequest;
import dev.sluice.protocol.FetchShuffleRequest;
import dev.sluice.protocol.check.FieldCheck;
import dev.sluice.protocol.check.Refusal;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/** The rules for what peers ask of a worker's data service: the form of each fetch, before any lookup. */
final class DataRequestCheck {

    private DataRequestCheck() {
    }

    /**
     * Why a shuffle fetch is refused, if it is. A map partition named twice is refused: it
     * would make this worker send the same bucket again for nothing.
     */
    static Optional<Refusal> shuffle(FetchShuffleRequest r) {
        FieldCheck check = FieldCheck.start()
                .id("job", r.getJob())
                .atLeast("batch_time_ms", r.getBatchTimeMs(), 0)
                .atLeast("shuffle", r.getShuffle(), 0)
                .atLeast("reduce_partition", r.getReducePartition(), 0)
                .rule(r.getMapPartitionsCount() > 0, "map_partitions", "[]", "name at least one map partition");
        Set<Integer> seen = new HashSet<>();
        for (int m : r.getMapPartitionsList()) {
            check.atLeast("map_partitions", m, 0).rule(seen.add(m), "map_partitions", m, "name each map partition once");
        }
        return check.result();
    }

    /** Why a kept-partition fetch is refused, if it is. */
    static Optional<Refusal> cached(FetchCachedRequest r) {
        return FieldCheck.start()
                .id("job", r.getJob())
                .atLeast("node", r.getNode(), 0)
                .atLeast("batch_time_ms", r.getBatchTimeMs(), 0)
                .atLeast("partition", r.getPartition(), 0)
                .result();
    }
}
