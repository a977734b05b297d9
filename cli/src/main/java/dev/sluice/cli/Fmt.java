package dev.sluice.cli;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How values are shown in tables, and how durations and batch times are read from the command line. */
final class Fmt {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT);
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|min|h)?");
    private static final Pattern CLOCK = Pattern.compile("\\d{1,2}:\\d{2}(:\\d{2}(\\.\\d{1,3})?)?");

    private Fmt() {
    }

    /**
     * A duration for people: "340 ms", "1.2 s", "12 s", "2 min 5 s", "1 h 3 min"; "-" for
     * null or negative (not reached yet).
     */
    static String duration(Long ms) {
        if (ms == null || ms < 0) {
            return "-";
        }
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms < 60_000) {
            BigDecimal seconds = BigDecimal.valueOf(ms).divide(BigDecimal.valueOf(1000), 1, RoundingMode.HALF_UP);
            return seconds.stripTrailingZeros().toPlainString() + " s";
        }
        long s = ms / 1000;
        if (s < 3600) {
            return s / 60 + " min" + (s % 60 == 0 ? "" : " " + s % 60 + " s");
        }
        long min = s / 60;
        return min / 60 + " h" + (min % 60 == 0 ? "" : " " + min % 60 + " min");
    }

    /** A wall-clock time in milliseconds as HH:mm:ss.SSS in {@code zone}; "-" for null or not positive. */
    static String time(Long epochMs, ZoneId zone) {
        if (epochMs == null || epochMs <= 0) {
            return "-";
        }
        return TIME.format(Instant.ofEpochMilli(epochMs).atZone(zone));
    }

    /** A rate in records per second: "1200/s", "12.5/s". */
    static String rate(double perSecond) {
        if (perSecond >= 100 || perSecond == Math.rint(perSecond)) {
            return Math.round(perSecond) + "/s";
        }
        return BigDecimal.valueOf(perSecond).setScale(1, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString() + "/s";
    }

    /** {@code n} and the noun, plural when n is not 1: "1 job", "3 jobs", "2 batches". */
    static String count(long n, String noun) {
        if (n == 1) {
            return n + " " + noun;
        }
        boolean es = noun.endsWith("ch") || noun.endsWith("sh") || noun.endsWith("s") || noun.endsWith("x");
        return n + " " + noun + (es ? "es" : "s");
    }

    /**
     * Reads a duration: "90" or "90s" (seconds), "500ms", "2m" or "2min", "1h", "1.5s".
     *
     * @throws UsageException naming {@code what} when it is none
     */
    static long parseDurationMs(String text, String what) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new UsageException(what + " must be a duration such as 90s, 500ms, 5m or 1h, not '" + text + "'");
        }
        double value = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double ms = switch (unit) {
            case "ms" -> value;
            case "s" -> value * 1000;
            case "m", "min" -> value * 60_000;
            default -> value * 3_600_000;
        };
        if (ms < 1 || ms > 7 * 86_400_000.0) {
            throw new UsageException(what + " must be between 1 ms and 7 days, not '" + text + "'");
        }
        return Math.round(ms);
    }

    /**
     * Reads a batch time: epoch milliseconds (as in --json), or a time of day as the tables
     * show it (HH:mm:ss.SSS, or shorter) in {@code zone}, taken as today's, or yesterday's
     * when today's would be in the future.
     *
     * @throws UsageException naming {@code what} when it is neither
     */
    static long parseBatchTime(String text, String what, ZoneId zone, Instant now) {
        String t = text.trim();
        if (t.matches("\\d{1,15}")) {
            return Long.parseLong(t);
        }
        if (CLOCK.matcher(t).matches()) {
            try {
                LocalTime clock = LocalTime.parse(t.length() == 4 || t.indexOf(':') == 1 ? "0" + t : t);
                ZonedDateTime today = LocalDate.ofInstant(now, zone).atTime(clock).atZone(zone);
                ZonedDateTime at = today.toInstant().isAfter(now.plusSeconds(60)) ? today.minusDays(1) : today;
                return at.toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                // falls through to the usage error
            }
        }
        throw new UsageException(what + " must be a batch time, as the tables show it (HH:mm:ss.SSS, local time) "
                + "or in epoch milliseconds (as --json shows it), not '" + text + "'");
    }

    /** {@code text} cut to {@code max} characters, ending in "..." when cut; its first line only, noting the rest. */
    static String abbreviate(String text, int max) {
        String s = text;
        int newline = s.indexOf('\n');
        if (newline >= 0) {
            long lines = s.lines().count();
            s = s.substring(0, newline) + " ... (" + lines + " lines)";
        }
        if (s.length() <= max) {
            return s;
        }
        return s.substring(0, Math.max(0, max - 3)) + "...";
    }
}
