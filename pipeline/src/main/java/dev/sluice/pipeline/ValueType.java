package dev.sluice.pipeline;

/** What the values of a pair stream are, as far as the spec can tell before it runs. */
public enum ValueType {
    /** Longs or doubles (see {@link Numbers}). */
    NUMBER("number"),
    /** Text. */
    TEXT("text"),
    /** Pairs of two values, as a {@code join} makes. */
    PAIR("pair");

    private final String word;

    ValueType(String word) {
        this.word = word;
    }

    @Override
    public String toString() {
        return word;
    }
}
