package dev.sluice.pipeline;

import java.util.regex.Pattern;

/**
 * The arithmetic of pipeline values. A number is a {@code Long} when it was written as a
 * whole number (optional sign and digits) that fits in 64 bits, and a {@code Double} when it
 * has a decimal point or an exponent (or is a whole number too large for a long). Sums, minima
 * and maxima of longs are longs (a sum wraps around on overflow, as Java's and Spark's do); as
 * soon as one side is a double, a sum is a double, while a minimum or maximum is whichever
 * operand won, unchanged.
 */
final class Numbers {

    private static final Pattern WHOLE = Pattern.compile("[+-]?\\d+");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private Numbers() {
    }

    /** {@code text} as a number, or {@code null} when it is not one (as a record field may not be). */
    static Number parse(String text) {
        String t = text.strip();
        if (WHOLE.matcher(t).matches()) {
            try {
                return Long.parseLong(t);
            } catch (NumberFormatException tooLarge) {
                return Double.parseDouble(t);
            }
        }
        if (DECIMAL.matcher(t).matches()) {
            double d = Double.parseDouble(t);
            return Double.isFinite(d) ? d : null;
        }
        return null;
    }

    static Object sum(Object a, Object b) {
        if (a instanceof Long x && b instanceof Long y) {
            return x + y;
        }
        return ((Number) a).doubleValue() + ((Number) b).doubleValue();
    }

    static Object min(Object a, Object b) {
        return compare(a, b) <= 0 ? a : b;
    }

    static Object max(Object a, Object b) {
        return compare(a, b) >= 0 ? a : b;
    }

    /** Compares two numbers by value; two longs exactly, anything else as doubles. */
    static int compare(Object a, Object b) {
        if (a instanceof Long x && b instanceof Long y) {
            return Long.compare(x, y);
        }
        return Double.compare(((Number) a).doubleValue(), ((Number) b).doubleValue());
    }
}
