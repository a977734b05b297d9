package dev.sluice.pipeline;

import dev.sluice.api.Pair;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The Java functions behind the spec's built-in operations. They run in tasks on the
 * workers, so each depends on its arguments alone (patterns and constants fixed when the
 * spec is parsed), as the job API requires.
 */
final class FunctionCatalog {

    private FunctionCatalog() {
    }

    /** {@code flatMap: {split: R}}: the non-empty pieces of a record between matches of R. */
    static Function<String, Iterable<String>> split(Pattern regex) {
        return record -> {
            List<String> pieces = new ArrayList<>();
            for (String piece : regex.split(record)) {
                if (!piece.isEmpty()) {
                    pieces.add(piece);
                }
            }
            return pieces;
        };
    }

    /** {@code map: [f, g]}: g(f(record)). */
    static Function<String, String> map(List<TextFunction> functions) {
        List<TextFunction> fs = List.copyOf(functions);
        return record -> {
            String s = record;
            for (TextFunction f : fs) {
                s = f.apply(s);
            }
            return s;
        };
    }

    /** A filter on text records: the regex conditions on the record. */
    static Predicate<String> textFilter(Operation.Filter f) {
        return record -> matches(f, record);
    }

    /** A filter on number records: the bounds on the number. */
    static Predicate<Object> numberFilter(Operation.Filter f) {
        return number -> within(f, number);
    }

    /** A filter on pairs: the regex conditions on the key, the bounds on the value. */
    static Predicate<Pair<String, Object>> pairFilter(Operation.Filter f) {
        return pair -> matches(f, pair.first()) && within(f, pair.second());
    }

    private static boolean matches(Operation.Filter f, String text) {
        // find(), not matches(): a spec anchors with ^ and $ when it means the whole text.
        return (f.regex() == null || text != null && f.regex().matcher(text).find())
                && (f.notRegex() == null || text == null || !f.notRegex().matcher(text).find());
    }

    private static boolean within(Operation.Filter f, Object value) {
        if (f.atLeast() == null && f.atMost() == null) {
            return true;
        }
        return value instanceof Number
                && (f.atLeast() == null || Numbers.compare(value, f.atLeast()) >= 0)
                && (f.atMost() == null || Numbers.compare(value, f.atMost()) <= 0);
    }

    /**
     * {@code pair: {...}}: the record's pair, or nothing when the record lacks a field the key
     * or value reads, or a value field is not a number.
     */
    static Function<String, Iterable<Pair<String, Object>>> toPair(Operation.ToPair p) {
        Extractor key = p.key();
        Extractor value = p.value();
        Pattern split = p.split();
        // Splitting costs; only do it when a field other than $0 is read.
        boolean needsFields = key.field() > 0 || value.field() > 0;
        String[] none = new String[0];
        return record -> {
            String[] fields = needsFields ? split.split(record.strip(), -1) : none;
            Object k = key.extract(record, fields);
            Object v = value.extract(record, fields);
            return k == null || v == null ? List.of() : List.of(Pair.of(k.toString(), v));
        };
    }

    /** How {@code reduceByKey} combines two values of a key ({@link Aggregate#COUNT}: two counts). */
    static BinaryOperator<Object> reducer(Aggregate a) {
        return a.combine();
    }

    /** {@code state: a}: the key's running value, folded over the batch's new values in order. */
    static BiFunction<List<Object>, Optional<Object>, Optional<Object>> stateUpdate(Aggregate a) {
        BinaryOperator<Object> combine = a.combine();
        boolean counting = a == Aggregate.COUNT;
        return (values, state) -> {
            Object acc = state.orElse(null);
            for (Object v : values) {
                Object x = counting ? (Object) 1L : v;
                acc = acc == null ? x : combine.apply(acc, x);
            }
            return Optional.ofNullable(acc);
        };
    }
}
