package dev.sluice.pipeline;

import java.util.Map;
import java.util.Set;

/**
 * The spec compiler's one rewrite: a word count written as split → pair → reduce (or split →
 * countByValue) runs as one {@link TokenCounts} pass over each partition's lines followed by
 * a sum, instead of a string, a pair and a boxed one per word. Only forms whose results are
 * the same record for record qualify.
 */
final class WordCountFusion {

    /** The regexes whose non-empty pieces are exactly the words {@link TokenCounts} finds. */
    private static final Set<String> WHITE_SPACE = Set.of("\\s+", "\\s");

    private WordCountFusion() {
    }

    /**
     * The text stream whose white-space-separated words {@code s} counts, when {@code s} is a
     * word count the compiler runs as one {@link TokenCounts} pass per partition: a
     * {@code countByValue} of a {@code \s+} split, or a {@code reduceByKey} ({@code sum} of ones,
     * or {@code count}) of {@code pair: {key: $0, value: <constant>}} pairs of one. Else null.
     * The streams in between stay defined for any other reader; this one skips them.
     */
    static String countedLines(Map<String, StreamSpec> streams, StreamSpec s) {
        StreamSpec words;
        if (s.operation() instanceof Operation.CountByValue) {
            words = streams.get(s.from());
        } else if (s.operation() instanceof Operation.ReduceByKey r) {
            StreamSpec pairs = streams.get(s.from());
            if (pairs == null || pairs.window() != null || !(pairs.operation() instanceof Operation.ToPair pair)
                    || !countsOnes(pair, r.aggregate())) {
                return null;
            }
            words = streams.get(pairs.from());
        } else {
            return null;
        }
        if (words == null || words.window() != null || !(words.operation() instanceof Operation.Split split)
                || split.regex().flags() != 0 || !WHITE_SPACE.contains(split.regex().pattern())) {
            return null;
        }
        return words.from();
    }

    /** Whether reducing {@code pair}'s values by {@code aggregate} counts each word once per occurrence. */
    private static boolean countsOnes(Operation.ToPair pair, Aggregate aggregate) {
        boolean wordKey = pair.key().field() == 0 && pair.key().type() == ValueType.TEXT;
        boolean constant = pair.value().field() < 0;
        return wordKey && constant && (aggregate == Aggregate.COUNT
                || aggregate == Aggregate.SUM && Long.valueOf(1).equals(pair.value().constant()));
    }
}
