package dev.sluice.bench.load;

import java.time.Duration;

/** Parses the bench's durations: {@code 250ms}, {@code 10s}, {@code 2m}. */
public final class Durations {

    private Durations() {
    }

    /**
     * @param what the option or field the text came from, for the error message
     * @throws IllegalArgumentException naming {@code what} when the text is not a duration
     */
    public static Duration parse(String text, String what) {
        try {
            if (text.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
            }
            if (text.endsWith("s")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(text.substring(0, text.length() - 1)) * 1000));
            }
            if (text.endsWith("m")) {
                return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)) * 60);
            }
        } catch (NumberFormatException e) {
            // falls through to the error below
        }
        throw new IllegalArgumentException(what + " must be a duration like 250ms, 10s or 2m, got '" + text + "'");
    }
}
