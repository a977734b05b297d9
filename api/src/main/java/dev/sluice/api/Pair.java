package dev.sluice.api;

/**
 * A key and a value, or any two things. Prints as Spark prints a {@code Tuple2}.
 *
 * @param first  the first element (the key of a pair stream)
 * @param second the second element (the value of a pair stream)
 */
public record Pair<A, B>(A first, B second) {

    /** Shorthand for {@code new Pair<>(a, b)}. */
    public static <A, B> Pair<A, B> of(A a, B b) {
        return new Pair<>(a, b);
    }

    @Override
    public String toString() {
        return "(" + first + "," + second + ")";
    }
}
