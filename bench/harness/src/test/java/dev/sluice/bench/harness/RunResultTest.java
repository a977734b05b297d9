package dev.sluice.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.bench.load.SendLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunResultTest {

    /** 1,000 lines a second sent evenly, one point per millisecond, for {@code seconds}. */
    private static SendLog steadyLog(long startMs, int seconds) {
        SendLog log = new SendLog();
        for (long t = 1; t <= seconds * 1000L; t++) {
            log.sent(startMs + t, t);
        }
        return log;
    }

    /** 1 s batches over that log, each done {@code delayMs} after its time, delays growing by {@code growMs} a batch. */
    private static List<OutputUnit> batches(long startMs, int seconds, long delayMs, long growMs) {
        List<OutputUnit> units = new ArrayList<>();
        for (int i = 1; i <= seconds; i++) {
            long time = startMs + i * 1000L;
            long delay = delayMs + (i - 1) * growMs;
            units.add(new OutputUnit(time, 1000, 0, delay, time + delay));
        }
        return units;
    }

    @Test
    void aSteadySystemIsSustainedWithLatencyFromSendToBatchEnd() {
        long start = 1_000_000;
        SendLog log = steadyLog(start, 30);
        RunResult r = RunResult.of("x", 1000, 10_000, batches(start, 30, 200, 0), log, start + 10_000, start + 20_000,
                5_000, Map.of("p", 100L));
        assertTrue(r.sustainable(), r.verdict());
        assertEquals(10_000, r.sentWordsPerSec(), 1);
        assertEquals(10_000, r.processedWordsPerSec(), 1);
        assertEquals(10, r.units());
        // A line sent u ms before its batch's time waits u, then 200 ms: from about 200 to 1200 ms.
        assertEquals(700, r.latencyMs().p50(), 30);
        assertEquals(1190, r.latencyMs().p99(), 30);
        assertEquals(200, r.processingMs().p50());
        assertEquals(0, r.totalDelayTrendMsPerMin(), 1e-6);
        // 5 s of CPU for 100,000 words.
        assertEquals(50_000, r.cpuNsPerWord(), 1);
    }

    @Test
    void aGrowingDelayOrMissingBatchesOrPushBackAreNotSustained() {
        long start = 1_000_000;
        SendLog log = steadyLog(start, 30);
        RunResult growing = RunResult.of("x", 1000, 10_000, batches(start, 30, 200, 100), log, start + 10_000,
                start + 20_000, 0, Map.of());
        assertFalse(growing.sustainable());
        assertTrue(growing.verdict().contains("delay grew 6000 ms a minute"), growing.verdict());

        List<OutputUnit> someMissing = batches(start, 15, 200, 0);
        RunResult behind = RunResult.of("x", 1000, 10_000, someMissing, log, start + 10_000, start + 20_000, 0, Map.of());
        assertFalse(behind.sustainable());
        assertTrue(behind.verdict().contains("5 of 10 batches finished"), behind.verdict());

        RunResult pushedBack = RunResult.of("x", 1000, 20_000, batches(start, 30, 200, 0), log, start + 10_000,
                start + 20_000, 0, Map.of());
        assertFalse(pushedBack.sustainable());
        assertTrue(pushedBack.verdict().contains("sent only 50% of the offered rate"), pushedBack.verdict());
    }
}
