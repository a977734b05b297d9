package dev.sluice.api;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the short durations users write: {@code 200ms}, {@code 1s}, {@code 2m}, {@code 1h}. */
public final class Durations {

    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

    private Durations() {
    }

    /**
     * Parses {@code text}.
     *
     * @param what names the value in the error message
     * @throws IllegalArgumentException when {@code text} is not a positive duration
     */
    public static Duration parse(String what, String text) {
        Matcher m = SHORT.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(what + ": '" + text + "' is not a duration such as 500ms, 1s, 2m or 1h");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
        if (d.isZero()) {
            throw new IllegalArgumentException(what + ": duration must be positive, got '" + text + "'");
        }
        return d;
    }
}
