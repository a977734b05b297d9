package dev.sluice.pipeline;

import dev.sluice.api.Pair;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * Counts the white-space-separated words of a partition's lines in one pass, without
 * building a string, a pair or a boxed number per word: the map side of a word count that
 * the spec compiler puts in place of {@code flatMap: {split: "\\s+"}} → {@code pair: {key: $0,
 * value: 1}} → {@code reduceByKey: sum} (see {@link PipelineBuilder}). The reduce side then
 * sums the per-partition counts, so the result is the same, record for record.
 *
 * <p>White space is what the regex {@code \s} matches: space, tab, line feed, vertical tab,
 * form feed and carriage return. Words are kept in an open-addressing table keyed by the
 * word's characters, hashed while they are scanned; a word becomes a {@code String} once per
 * partition, the first time it is seen.
 */
final class TokenCounts implements Function<Iterator<String>, Iterator<Pair<String, Long>>> {

    @Override
    public Iterator<Pair<String, Long>> apply(Iterator<String> lines) {
        Table table = new Table();
        while (lines.hasNext()) {
            String line = lines.next();
            if (line != null) {
                table.addWords(line);
            }
        }
        return table.entries();
    }

    /** Whether {@code c} is matched by the regex {@code \s}. */
    static boolean isSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    /** Word → count, with linear probing over parallel arrays. */
    private static final class Table {
        private String[] words = new String[1024];
        private int[] hashes = new int[1024];
        private long[] counts = new long[1024];
        private int size;

        void addWords(String line) {
            int n = line.length();
            int i = 0;
            while (i < n) {
                while (i < n && isSpace(line.charAt(i))) {
                    i++;
                }
                if (i == n) {
                    return;
                }
                int start = i;
                int hash = 0;
                char c;
                while (i < n && !isSpace(c = line.charAt(i))) {
                    hash = 31 * hash + c;
                    i++;
                }
                add(line, start, i - start, hash);
            }
        }

        private void add(String line, int start, int length, int hash) {
            int mask = words.length - 1;
            int slot = mix(hash) & mask;
            while (true) {
                String word = words[slot];
                if (word == null) {
                    words[slot] = line.substring(start, start + length);
                    hashes[slot] = hash;
                    counts[slot] = 1;
                    if (++size * 2 > words.length) {
                        grow();
                    }
                    return;
                }
                if (hashes[slot] == hash && word.length() == length && line.regionMatches(start, word, 0, length)) {
                    counts[slot]++;
                    return;
                }
                slot = (slot + 1) & mask;
            }
        }

        private void grow() {
            String[] oldWords = words;
            int[] oldHashes = hashes;
            long[] oldCounts = counts;
            words = new String[oldWords.length * 2];
            hashes = new int[words.length];
            counts = new long[words.length];
            int mask = words.length - 1;
            for (int i = 0; i < oldWords.length; i++) {
                if (oldWords[i] != null) {
                    int slot = mix(oldHashes[i]) & mask;
                    while (words[slot] != null) {
                        slot = (slot + 1) & mask;
                    }
                    words[slot] = oldWords[i];
                    hashes[slot] = oldHashes[i];
                    counts[slot] = oldCounts[i];
                }
            }
        }

        /** Spreads the polynomial hash's low bits, which alone pick the slot. */
        private static int mix(int hash) {
            int h = hash * 0x9E3779B9;
            return h ^ (h >>> 16);
        }

        Iterator<Pair<String, Long>> entries() {
            return new Iterator<>() {
                private int next = advance(0);

                private int advance(int from) {
                    int i = from;
                    while (i < words.length && words[i] == null) {
                        i++;
                    }
                    return i;
                }

                @Override
                public boolean hasNext() {
                    return next < words.length;
                }

                @Override
                public Pair<String, Long> next() {
                    if (next >= words.length) {
                        throw new NoSuchElementException();
                    }
                    Pair<String, Long> p = Pair.of(words[next], counts[next]);
                    next = advance(next + 1);
                    return p;
                }
            };
        }
    }
}
