package dev.sluice.cli;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FmtTest {

    private static final ZoneId UTC = ZoneOffset.UTC;

    @Test
    void durationsReadLikePeopleSayThem() {
        assertEquals("-", Fmt.duration(null));
        assertEquals("-", Fmt.duration(-1L));
        assertEquals("0 ms", Fmt.duration(0L));
        assertEquals("340 ms", Fmt.duration(340L));
        assertEquals("999 ms", Fmt.duration(999L));
        assertEquals("1 s", Fmt.duration(1000L));
        assertEquals("1.2 s", Fmt.duration(1234L));
        assertEquals("1.3 s", Fmt.duration(1250L));
        assertEquals("12.3 s", Fmt.duration(12_345L));
        assertEquals("59.9 s", Fmt.duration(59_900L));
        assertEquals("1 min", Fmt.duration(60_000L));
        assertEquals("2 min 5 s", Fmt.duration(125_400L));
        assertEquals("1 h", Fmt.duration(3_600_000L));
        assertEquals("1 h 3 min", Fmt.duration(3_780_000L));
    }

    @Test
    void timesAreTimesOfDayToTheMillisecond() {
        long t = Instant.parse("2026-01-05T12:03:04.050Z").toEpochMilli();
        assertEquals("12:03:04.050", Fmt.time(t, UTC));
        assertEquals("13:03:04.050", Fmt.time(t, ZoneOffset.ofHours(1)));
        assertEquals("-", Fmt.time(null, UTC));
        assertEquals("-", Fmt.time(0L, UTC));
    }

    @Test
    void countsAndRates() {
        assertEquals("1 job", Fmt.count(1, "job"));
        assertEquals("0 jobs", Fmt.count(0, "job"));
        assertEquals("2 batches", Fmt.count(2, "batch"));
        assertEquals("1200/s", Fmt.rate(1200.4));
        assertEquals("12.5/s", Fmt.rate(12.46));
        assertEquals("3/s", Fmt.rate(3.0));
    }

    @Test
    void timeoutsTakeUnits() {
        assertEquals(90_000, Fmt.parseDurationMs("90", "--timeout"));
        assertEquals(90_000, Fmt.parseDurationMs("90s", "--timeout"));
        assertEquals(500, Fmt.parseDurationMs("500ms", "--timeout"));
        assertEquals(300_000, Fmt.parseDurationMs("5m", "--timeout"));
        assertEquals(120_000, Fmt.parseDurationMs("2min", "--timeout"));
        assertEquals(3_600_000, Fmt.parseDurationMs("1h", "--timeout"));
        assertEquals(1500, Fmt.parseDurationMs("1.5s", "--timeout"));
        UsageException bad = assertThrows(UsageException.class, () -> Fmt.parseDurationMs("soon", "--timeout"));
        assertTrue(bad.getMessage().startsWith("--timeout must be a duration"), bad.getMessage());
        assertThrows(UsageException.class, () -> Fmt.parseDurationMs("0", "--timeout"));
    }

    @Test
    void batchTimesAreMillisecondsOrTheTimeOfDayTheTablesShow() {
        Instant now = Instant.parse("2026-01-05T12:10:00Z");
        long t = Instant.parse("2026-01-05T12:03:04.050Z").toEpochMilli();
        assertEquals(t, Fmt.parseBatchTime(Long.toString(t), "TIME", UTC, now));
        assertEquals(t, Fmt.parseBatchTime("12:03:04.050", "TIME", UTC, now));
        assertEquals(t, Fmt.parseBatchTime(Fmt.time(t, UTC), "TIME", UTC, now), "what the tables show reads back");
        assertEquals(Instant.parse("2026-01-05T12:03:04Z").toEpochMilli(), Fmt.parseBatchTime("12:03:04", "TIME", UTC, now));
        assertEquals(Instant.parse("2026-01-05T09:05:00Z").toEpochMilli(), Fmt.parseBatchTime("9:05", "TIME", UTC, now));
        // A time of day later than now is yesterday's.
        assertEquals(Instant.parse("2026-01-04T23:59:59.500Z").toEpochMilli(),
                Fmt.parseBatchTime("23:59:59.500", "TIME", UTC, now));
        UsageException bad = assertThrows(UsageException.class, () -> Fmt.parseBatchTime("noon", "--before", UTC, now));
        assertTrue(bad.getMessage().startsWith("--before must be a batch time"), bad.getMessage());
        assertThrows(UsageException.class, () -> Fmt.parseBatchTime("25:00:00", "TIME", UTC, now));
    }

    @Test
    void longTextIsCutAndMultiLineTextShowsItsFirstLine() {
        assertEquals("short", Fmt.abbreviate("short", 10));
        assertEquals("abcdefg...", Fmt.abbreviate("abcdefghijklmnop", 10));
        assertEquals("sources: {} ... (3 lines)", Fmt.abbreviate("sources: {}\nstreams: {}\noutputs: []", 40));
    }
}
