package dev.sluice.worker.grpc;

import dev.sluice.protocol.FetchCachedRequest;
import dev.sluice.protocol.FetchShuffleRequest;
import dev.sluice.protocol.check.Refusal;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DataRequestCheckTest {

    private static FetchShuffleRequest.Builder shuffle() {
        return FetchShuffleRequest.newBuilder().setJob("wc").setBatchTimeMs(2000).setShuffle(0).setReducePartition(1)
                .addAllMapPartitions(List.of(0, 1, 2));
    }

    private static String detail(Optional<Refusal> r) {
        return r.map(Refusal::detail).orElse(null);
    }

    @Test
    void aShuffleFetchNamesAJobAndDistinctNonNegativePartitions() {
        assertEquals(null, detail(DataRequestCheck.shuffle(shuffle().build())));
        assertEquals("job must be set, got ''", detail(DataRequestCheck.shuffle(shuffle().setJob("").build())));
        assertEquals("reduce_partition must not be negative, got -1",
                detail(DataRequestCheck.shuffle(shuffle().setReducePartition(-1).build())));
        assertEquals("shuffle must not be negative, got -2", detail(DataRequestCheck.shuffle(shuffle().setShuffle(-2).build())));
        assertEquals("map_partitions must not be negative, got -3",
                detail(DataRequestCheck.shuffle(shuffle().addMapPartitions(-3).build())));
        assertEquals("map_partitions must name each map partition once, got 1",
                detail(DataRequestCheck.shuffle(shuffle().addMapPartitions(1).build())));
        assertEquals("map_partitions must name at least one map partition, got '[]'",
                detail(DataRequestCheck.shuffle(shuffle().clearMapPartitions().build())));
    }

    @Test
    void aCachedFetchHasNonNegativeNumbers() {
        FetchCachedRequest.Builder ok = FetchCachedRequest.newBuilder().setJob("wc").setNode(3).setBatchTimeMs(2000)
                .setPartition(0);
        assertEquals(null, detail(DataRequestCheck.cached(ok.build())));
        assertEquals("partition must not be negative, got -1", detail(DataRequestCheck.cached(ok.clone().setPartition(-1).build())));
        assertEquals("node must not be negative, got -1", detail(DataRequestCheck.cached(ok.clone().setNode(-1).build())));
        assertEquals("batch_time_ms must not be negative, got -5",
                detail(DataRequestCheck.cached(ok.clone().setBatchTimeMs(-5).build())));
    }
}
