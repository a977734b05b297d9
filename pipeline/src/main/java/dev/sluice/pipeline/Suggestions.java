package dev.sluice.pipeline;

import java.util.Collection;
import java.util.Locale;

/** "Did you mean" hints for misspelt keys and names. */
final class Suggestions {

    private static final int MAX_DISTANCE = 2;

    private Suggestions() {
    }

    /**
     * {@code " (did you mean 'x'?)"} for the candidate closest to {@code given} — equal ignoring
     * case, or at most two edits away — or the empty string when none is close.
     */
    static String didYouMean(String given, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = candidate.equalsIgnoreCase(given) ? 0
                    : distance(given.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            // Ties go to the first candidate, so the hint is the same on every process.
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return best != null && bestDistance <= MAX_DISTANCE && bestDistance < given.length()
                ? " (did you mean '" + best + "'?)" : "";
    }

    /** The Levenshtein distance between {@code a} and {@code b}. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
