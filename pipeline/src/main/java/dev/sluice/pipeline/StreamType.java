package dev.sluice.pipeline;

/**
 * What a stream's records are: text lines, numbers (a {@code count}'s results), or
 * key-value pairs with text keys and values of a {@link ValueType}. The checker uses it to
 * reject an operation on a stream it does not apply to, before anything runs.
 *
 * @param kind   text, number or pairs
 * @param values for pairs, what the values are; {@code null} otherwise
 */
public record StreamType(Kind kind, ValueType values) {

    /** The three kinds of records. */
    public enum Kind { TEXT, NUMBER, PAIRS }

    /** Text records ({@code String}). */
    public static final StreamType TEXT = new StreamType(Kind.TEXT, null);
    /** Number records ({@code Long}), as {@code count} makes. */
    public static final StreamType NUMBER = new StreamType(Kind.NUMBER, null);

    /** Pairs ({@code Pair<String, ?>}) with values of {@code values}. */
    public static StreamType pairs(ValueType values) {
        return new StreamType(Kind.PAIRS, values);
    }

    public boolean isPairs() {
        return kind == Kind.PAIRS;
    }

    /** As the error messages say it: "a text stream", "a pair stream with number values". */
    @Override
    public String toString() {
        return switch (kind) {
            case TEXT -> "a text stream";
            case NUMBER -> "a number stream";
            case PAIRS -> "a pair stream with " + values + " values";
        };
    }
}
