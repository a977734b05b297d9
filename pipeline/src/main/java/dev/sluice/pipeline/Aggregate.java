package dev.sluice.pipeline;

import java.util.List;
import java.util.Locale;
import java.util.function.BinaryOperator;

/**
 * The built-in per-key reductions, used by {@code reduceByKey} (per batch or per window) and
 * by {@code state} (a running value across batches).
 */
public enum Aggregate {
    /** The sum of the values, which must be numbers. */
    SUM(true, Numbers::sum),
    /** The number of values, whatever they are. */
    COUNT(false, Numbers::sum),
    /** The smallest value, which must be numbers. */
    MIN(true, Numbers::min),
    /** The largest value, which must be numbers. */
    MAX(true, Numbers::max);

    /** The names a spec writes, in this order. */
    public static final List<String> NAMES = List.of("sum", "count", "min", "max");

    private final boolean needsNumbers;
    private final BinaryOperator<Object> combine;

    Aggregate(boolean needsNumbers, BinaryOperator<Object> combine) {
        this.needsNumbers = needsNumbers;
        this.combine = combine;
    }

    /** The aggregate named {@code name} ({@code sum}, {@code count}, {@code min} or {@code max}), or {@code null}. */
    public static Aggregate named(String name) {
        return NAMES.contains(name) ? valueOf(name.toUpperCase(Locale.ROOT)) : null;
    }

    /** The name a spec writes. */
    public String specName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the values must be numbers ({@code count} takes any). */
    public boolean needsNumbers() {
        return needsNumbers;
    }

    /**
     * How two partial results combine. For {@link #COUNT} the operands are counts: the values
     * are first turned into {@code 1L} by the caller.
     */
    BinaryOperator<Object> combine() {
        return combine;
    }
}
