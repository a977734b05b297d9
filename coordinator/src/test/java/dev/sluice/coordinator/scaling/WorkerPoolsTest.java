package dev.sluice.coordinator.scaling;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkerPoolsTest {

    @Test
    void findsPoolsByNameAndListsThemSorted() {
        WorkerPools pools = new WorkerPools(List.of(new WorkerPool("reduce", "w-reduce", "reduce", 2, 8),
                new WorkerPool("default", "w", "all", 1, 4)));
        assertEquals(List.of("default", "reduce"), pools.names());
        assertEquals("w-reduce", pools.find("reduce").orElseThrow().deployment());
        assertTrue(pools.find("nope").isEmpty());
        assertTrue(WorkerPools.none().all().isEmpty());
    }

    @Test
    void boundsAreInclusive() {
        WorkerPool p = new WorkerPool("reduce", "w-reduce", "reduce", 2, 8);
        assertTrue(p.allows(2) && p.allows(8));
        assertFalse(p.allows(1) || p.allows(9));
        assertEquals(2, p.clamp(0));
        assertEquals(8, p.clamp(12));
        assertEquals(5, p.clamp(5));
    }

    @Test
    void refusesBadPoolsNamingTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new WorkerPool("reduce", "w", "all", 5, 2));
        assertEquals("sluice.autoscale.pools.reduce.max: must be at least 1 and at least min (5), got 2", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new WorkerPool("reduce", " ", "all", 1, 2));
        assertTrue(e.getMessage().startsWith("sluice.autoscale.pools.reduce.deployment"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new WorkerPools(List.of(
                new WorkerPool("a", "w", "all", 1, 2), new WorkerPool("a", "w2", "all", 1, 2))));
        assertTrue(e.getMessage().contains("'a'"), e.getMessage());
    }
}
