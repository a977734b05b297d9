package dev.sluice.bench.jmh;

import dev.sluice.api.Pair;
import dev.sluice.bench.load.Corpus;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmarks' data: text lines of the load generator's corpus ({@link Corpus}: 10 words a
 * line, drawn from a Zipf vocabulary of 10,000 words, seed 42), and what the word count makes
 * of them.
 */
final class Workload {

    /** The vocabulary of the published runs. */
    static final int VOCABULARY = 10_000;
    /** Lines in one partition (one block, one map task's input): 100,000 words. */
    static final int LINES = 10_000;
    /** Words in {@link #LINES} lines. */
    static final int WORDS = LINES * Corpus.WORDS_PER_LINE;

    private static final long SEED = 42;

    private Workload() {
    }

    /** {@code n} lines of the corpus, without their {@code '\n'}. */
    static List<String> lines(int n) {
        Corpus corpus = Corpus.generate(VOCABULARY, n, SEED);
        byte[] bytes = corpus.bytes();
        List<String> lines = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int start = corpus.lineStart(i);
            lines.add(new String(bytes, start, corpus.lineEnd(i) - 1 - start, StandardCharsets.US_ASCII));
        }
        return lines;
    }

    /** The words of {@code lines}, in order. */
    static List<String> words(List<String> lines) {
        List<String> words = new ArrayList<>(lines.size() * Corpus.WORDS_PER_LINE);
        for (String line : lines) {
            words.addAll(List.of(line.split(" ")));
        }
        return words;
    }

    /**
     * (word, 1L) for every word, each key a new String, as a flatMap's split makes them: its hash
     * code is not yet cached.
     */
    static List<Object> freshPairs(List<String> words) {
        List<Object> pairs = new ArrayList<>(words.size());
        for (String w : words) {
            pairs.add(Pair.of(new String(w.toCharArray()), 1L));
        }
        return pairs;
    }
}
