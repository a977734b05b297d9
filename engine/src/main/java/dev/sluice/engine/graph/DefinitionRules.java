package dev.sluice.engine.graph;

import java.time.Duration;
import java.util.List;

/**
 * The rules a job definition must follow, checked as each operator is declared so that
 * a bad definition fails at {@code define} time, naming the operator and the rule.
 */
public final class DefinitionRules {

    private DefinitionRules() {
    }

    /** Every stream combined by {@code operator} must slide at the same interval. */
    static void requireSameSlide(String operator, List<Node> nodes) {
        long slide = nodes.get(0).slideMs();
        for (Node n : nodes) {
            if (n.slideMs() != slide) {
                throw new IllegalArgumentException(operator + ": all streams must have the same slide duration, but one slides every "
                        + slide + " ms and another every " + n.slideMs() + " ms");
            }
        }
    }

    /** {@code what} of {@code operator} must be a positive multiple of the stream's slide {@code slideMs}. */
    static long requireMultiple(String operator, String what, Duration d, long slideMs) {
        if (d == null) {
            throw new IllegalArgumentException(operator + ": the " + what + " must be given");
        }
        long ms = d.toMillis();
        if (ms <= 0 || ms % slideMs != 0) {
            throw new IllegalArgumentException(operator + ": the " + what + " (" + ms + " ms) must be a positive multiple of "
                    + "the slide duration of the stream it applies to (" + slideMs + " ms)");
        }
        return ms;
    }

    /** A number of partitions must be positive. */
    static int requirePartitions(String operator, int n) {
        if (n <= 0) {
            throw new IllegalArgumentException(operator + ": the number of partitions must be positive, got " + n);
        }
        return n;
    }
}
