package dev.sluice.pipeline;

import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/** The built-in functions {@code map} applies to text records. */
public enum TextFunction {
    /** Lower case, in the root locale (so the result does not depend on a machine's locale). */
    LOWER(s -> s.toLowerCase(Locale.ROOT)),
    /** Upper case, in the root locale. */
    UPPER(s -> s.toUpperCase(Locale.ROOT)),
    /** Leading and trailing white space removed (Unicode white space, {@link String#strip()}). */
    TRIM(String::strip);

    /** The names a spec writes, in this order. */
    public static final List<String> NAMES = List.of("lower", "upper", "trim");

    private final UnaryOperator<String> f;

    TextFunction(UnaryOperator<String> f) {
        this.f = f;
    }

    /** The function named {@code name}, or {@code null}. */
    public static TextFunction named(String name) {
        return NAMES.contains(name) ? valueOf(name.toUpperCase(Locale.ROOT)) : null;
    }

    String apply(String s) {
        return f.apply(s);
    }
}
