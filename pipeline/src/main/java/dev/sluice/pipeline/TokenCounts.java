package dev.sluice.pipeline;

import dev.sluice.api.Pair;
import java.util.Arrays;
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
 * partition, when the counts are handed on.
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
        private char[][] words = new char[1024][];
        private int[] hashes = new int[1024];
        private long[] counts = new long[1024];
        private int size;
        /** The line being scanned, copied out of its string once: plain array reads from then on. */
        private char[] line = new char[256];

        void addWords(String text) {
            int n = text.length();
            if (n > line.length) {
                line = new char[Math.max(n, line.length * 2)];
            }
            char[] chars = line;
            text.getChars(0, n, chars, 0);
            int i = 0;
            while (i < n) {
                while (i < n && isSpace(chars[i])) {
                    i++;
                }
                if (i == n) {
                    return;
                }
                int start = i;
                int hash = 0;
                char c;
                while (i < n && !isSpace(c = chars[i])) {
                    hash = 31 * hash + c;
                    i++;
                }
                add(chars, start, i - start, hash);
            }
        }

        private void add(char[] chars, int start, int length, int hash) {
            int mask = words.length - 1;
            int slot = mix(hash) & mask;
            while (true) {
                char[] word = words[slot];
                if (word == null) {
                    words[slot] = Arrays.copyOfRange(chars, start, start + length);
                    hashes[slot] = hash;
                    counts[slot] = 1;
                    if (++size * 2 > words.length) {
                        grow();
                    }
                    return;
                }
                if (hashes[slot] == hash && sameChars(word, chars, start, length)) {
                    counts[slot]++;
                    return;
                }
                slot = (slot + 1) & mask;
            }
        }

        private static boolean sameChars(char[] word, char[] chars, int start, int length) {
            if (word.length != length) {
                return false;
            }
            for (int k = 0; k < length; k++) {
                if (word[k] != chars[start + k]) {
                    return false;
                }
            }
            return true;
        }

        private void grow() {
            char[][] oldWords = words;
            int[] oldHashes = hashes;
            long[] oldCounts = counts;
            words = new char[oldWords.length * 2][];
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
                    Pair<String, Long> p = Pair.of(new String(words[next]), counts[next]);
                    next = advance(next + 1);
                    return p;
                }
            };
        }
    }
}
