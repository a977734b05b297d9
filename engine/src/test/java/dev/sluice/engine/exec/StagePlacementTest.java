package dev.sluice.engine.exec;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StagePlacementTest {

    @Test
    void sharesFollowTheWeightsAndInterleave() {
        Map<String, Integer> weights = new LinkedHashMap<>();
        weights.put("a", 2);
        weights.put("b", 1);
        StagePlacement placement = StagePlacement.weighted(weights);
        assertEquals(List.of("a", "b", "a"), placement.workers());
        assertEquals(List.of(0, 2, 3, 5), placement.partitionsOf("a", 6));
        assertEquals(List.of(1, 4), placement.partitionsOf("b", 6));
    }

    @Test
    void twoPartitionsOnTwoEqualWorkersGoOneEach() {
        Map<String, Integer> weights = new LinkedHashMap<>();
        weights.put("a", 4);
        weights.put("b", 4);
        StagePlacement placement = StagePlacement.weighted(weights);
        assertEquals(List.of("a", "b"), placement.workers(), "weights divided by their common divisor");
        assertEquals(List.of(0), placement.partitionsOf("a", 2));
        assertEquals(List.of(1), placement.partitionsOf("b", 2));
    }

    @Test
    void everyPartitionHasExactlyOneWorker() {
        Map<String, Integer> weights = new LinkedHashMap<>();
        weights.put("a", 3);
        weights.put("b", 5);
        weights.put("c", 1);
        StagePlacement placement = StagePlacement.weighted(weights);
        List<Integer> all = new ArrayList<>();
        for (String w : weights.keySet()) {
            all.addAll(placement.partitionsOf(w, 50));
        }
        all.sort(null);
        assertEquals(50, all.size());
        for (int p = 0; p < 50; p++) {
            assertEquals(p, all.get(p));
        }
        assertEquals(9, placement.workers().size());
    }

    @Test
    void refusesNoWorkersAndWeightsBelowOne() {
        assertThrows(IllegalArgumentException.class, () -> StagePlacement.weighted(Map.of()));
        assertThrows(IllegalArgumentException.class, () -> StagePlacement.weighted(Map.of("a", 0)));
    }
}
