package dev.sluice.coordinator.rate;

import org.junit.jupiter.api.Test;

import java.util.OptionalDouble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PidRateEstimatorTest {

    @Test
    void firstBatchOnlyCalibrates() {
        PidRateEstimator pid = PidRateEstimator.withDefaults(1000);
        assertTrue(pid.compute(1000, 1000, 500, 0).isEmpty());
    }

    @Test
    void slowsDownByTheGapAndTheBacklog() {
        PidRateEstimator pid = PidRateEstimator.withDefaults(1000);
        pid.compute(1000, 1000, 500, 0); // processed 2000/s: the rate starts there
        // Now 1000/s with 500 ms of delay: 2000 − 1.0 × (2000 − 1000) − 0.2 × (500 × 1000 / 1000) = 900.
        assertEquals(900.0, pid.compute(2000, 1000, 1000, 500).getAsDouble(), 1e-9);
        // Keeping up at 1000/s with no delay: 900 − 1.0 × (900 − 1000) = 1000.
        assertEquals(1000.0, pid.compute(3000, 900, 900, 0).getAsDouble(), 1e-9);
    }

    @Test
    void neverGoesBelowTheMinimumRate() {
        PidRateEstimator pid = PidRateEstimator.withDefaults(1000);
        pid.compute(1000, 100, 1000, 0);
        OptionalDouble rate = pid.compute(2000, 10, 1000, 60_000);
        assertEquals(100.0, rate.getAsDouble(), 1e-9);
    }

    @Test
    void ignoresEmptyInstantaneousAndOutOfOrderBatches() {
        PidRateEstimator pid = PidRateEstimator.withDefaults(1000);
        pid.compute(2000, 1000, 500, 0);
        assertTrue(pid.compute(3000, 0, 500, 0).isEmpty());
        assertTrue(pid.compute(3000, 10, 0, 0).isEmpty());
        assertTrue(pid.compute(1000, 10, 10, 0).isEmpty());
    }
}
