package dev.sluice.pipeline;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What a stream of the spec does to its input: one operation per stream, named by its
 * key in the spec. A {@code window} may come with {@link ReduceByKey}, {@link CountByValue}
 * or {@link Count} (the windowed variants) or alone ({@link Window}).
 */
public sealed interface Operation {

    /** The key the operation is written under, e.g. {@code reduceByKey}. */
    String specKey();

    /** {@code flatMap: {split: REGEX}}: one record for every non-empty piece of the text between matches. */
    record Split(Pattern regex) implements Operation {
        @Override
        public String specKey() {
            return "flatMap";
        }
    }

    /** {@code map: lower} or {@code map: [trim, lower]}: the functions applied in order. */
    record MapText(List<TextFunction> functions) implements Operation {
        @Override
        public String specKey() {
            return "map";
        }
    }

    /**
     * {@code filter: {...}}: keeps the records for which every given condition holds.
     *
     * @param regex    the text (of a pair stream: the key) contains a match; {@code null} when not given
     * @param notRegex the text (or key) contains no match; {@code null} when not given
     * @param atLeast  the number (of a pair stream: the value) is at least this; {@code null} when not given
     * @param atMost   the number (or value) is at most this; {@code null} when not given
     */
    record Filter(Pattern regex, Pattern notRegex, Number atLeast, Number atMost) implements Operation {
        @Override
        public String specKey() {
            return "filter";
        }
    }

    /**
     * {@code pair: {key: ..., value: ..., split: REGEX}}: a text record becomes a key-value pair.
     *
     * @param split what separates the fields
     */
    record ToPair(Pattern split, Extractor key, Extractor value) implements Operation {
        @Override
        public String specKey() {
            return "pair";
        }
    }

    /** {@code countByValue: true}: (record, how often it occurs) per batch or window. */
    record CountByValue() implements Operation {
        @Override
        public String specKey() {
            return "countByValue";
        }
    }

    /** {@code count: true}: the number of records per batch or window. */
    record Count() implements Operation {
        @Override
        public String specKey() {
            return "count";
        }
    }

    /** {@code reduceByKey: sum|count|min|max}: per key, per batch or window. */
    record ReduceByKey(Aggregate aggregate) implements Operation {
        @Override
        public String specKey() {
            return "reduceByKey";
        }
    }

    /** {@code state: sum|count|min|max}: per key, a running value over all batches so far. */
    record State(Aggregate aggregate) implements Operation {
        @Override
        public String specKey() {
            return "state";
        }
    }

    /** {@code join: OTHER}: (key, (this value, other value)) for keys in both streams' batches. */
    record Join(String other) implements Operation {
        @Override
        public String specKey() {
            return "join";
        }
    }

    /** {@code union: [A, B, ...]}: the records of all the streams. */
    record Union(List<String> streams) implements Operation {
        @Override
        public String specKey() {
            return "union";
        }
    }

    /** {@code window: {...}} alone: the records of the window's batches. */
    record Window() implements Operation {
        @Override
        public String specKey() {
            return "window";
        }
    }
}
