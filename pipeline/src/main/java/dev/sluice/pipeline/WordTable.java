package dev.sluice.pipeline;

import dev.sluice.api.Pair;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Word → count over UTF-8 text, for {@link TokenCounts}. Words are what the regex {@code \s+}
 * splits apart: white space is space, tab, line feed, vertical tab, form feed and carriage
 * return, all single ASCII bytes that never occur inside a multi-byte UTF-8 character, so
 * text splits the same as bytes as it does as characters.
 *
 * <p>Most words are short: a word of up to 7 ASCII bytes other than NUL is its own key, its
 * bytes packed into a {@code long}, found eight bytes at a time and kept in a table of
 * primitives, with no comparison of bytes. Longer words, and words with non-ASCII bytes or
 * NUL, go to a second table keyed by their bytes. A non-ASCII word is keyed by its bytes
 * after decoding and encoding them again, so that malformed bytes count as the same word
 * as the replacement characters a decoder would make of them.
 */
final class WordTable {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final int MAX_SHORT = 7;

    // Short words: packed bytes (0 = free slot) → count.
    private long[] shortKeys = new long[1024];
    private long[] shortCounts = new long[1024];
    private int shortSize;

    // The others: bytes, their hash, their count.
    private byte[][] longWords = new byte[64][];
    private int[] longHashes = new int[64];
    private long[] longCounts = new long[64];
    private int longSize;

    /** Counts the words of {@code length} bytes of UTF-8 text from {@code offset}. */
    void addWords(byte[] text, int offset, int length) {
        int end = offset + length;
        int i = offset;
        while (i < end) {
            if (isSpace(text[i])) {
                i++;
                continue;
            }
            int shortLength = i + Long.BYTES <= text.length ? shortWordAt(text, i, end) : 0;
            if (shortLength > 0) {
                addShort(pack(text, i, shortLength));
                i += shortLength;
            } else {
                i = addWordAt(text, i, end);
            }
        }
    }

    /**
     * The length of the word at {@code i} when it is short (see the class comment) and its end
     * shows within the eight bytes from {@code i}, else 0. The eight bytes may run past
     * {@code end} but not past the array.
     */
    private static int shortWordAt(byte[] text, int i, int end) {
        long w = (long) LONGS.get(text, i);
        // A high bit in the lowest byte below 0x21, or in the lowest byte with its own high bit
        // set: the first byte that is not printable ASCII. Higher flags can be false; it cannot.
        long stops = ((w - 0x21 * ONES) & ~w & HIGHS) | (w & HIGHS);
        if (stops == 0) {
            return end - i < Long.BYTES ? end - i : 0;
        }
        int at = Long.numberOfTrailingZeros(stops) >>> 3;
        if (at >= end - i) {
            return end - i;
        }
        return isSpace(text[i + at]) ? at : 0;
    }

    /** The {@code length} bytes from {@code i}, packed little-endian into a long (0 above them). */
    private static long pack(byte[] text, int i, int length) {
        long w = (long) LONGS.get(text, i);
        return w & (-1L >>> (64 - 8 * length));
    }

    /** Counts the word starting at {@code i} the general way; returns where it ends. */
    private int addWordAt(byte[] text, int i, int end) {
        int start = i;
        boolean ascii = true;
        boolean nul = false;
        byte b;
        while (i < end && !isSpace(b = text[i])) {
            ascii &= b >= 0;
            nul |= b == 0;
            i++;
        }
        byte[] word = ascii ? text : new String(text, start, i - start, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
        int from = ascii ? start : 0;
        int length = ascii ? i - start : word.length;
        if (length <= MAX_SHORT && !nul && isAscii(word, from, length)) {
            addShort(packSlowly(word, from, length));
        } else {
            addLong(word, from, length);
        }
        return i;
    }

    private static boolean isAscii(byte[] bytes, int from, int length) {
        for (int k = from; k < from + length; k++) {
            if (bytes[k] < 0) {
                return false;
            }
        }
        return true;
    }

    private static long packSlowly(byte[] bytes, int from, int length) {
        long key = 0;
        for (int k = length - 1; k >= 0; k--) {
            key = key << 8 | (bytes[from + k] & 0xFF);
        }
        return key;
    }

    /** Whether {@code b} is matched by the regex {@code \s}. */
    static boolean isSpace(byte b) {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }

    private void addShort(long key) {
        int mask = shortKeys.length - 1;
        int slot = mix(key) & mask;
        while (true) {
            long k = shortKeys[slot];
            if (k == key) {
                shortCounts[slot]++;
                return;
            }
            if (k == 0) {
                shortKeys[slot] = key;
                shortCounts[slot] = 1;
                if (++shortSize * 2 > shortKeys.length) {
                    growShort();
                }
                return;
            }
            slot = (slot + 1) & mask;
        }
    }

    private void growShort() {
        long[] oldKeys = shortKeys;
        long[] oldCounts = shortCounts;
        shortKeys = new long[oldKeys.length * 2];
        shortCounts = new long[shortKeys.length];
        int mask = shortKeys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                int slot = mix(oldKeys[i]) & mask;
                while (shortKeys[slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                shortKeys[slot] = oldKeys[i];
                shortCounts[slot] = oldCounts[i];
            }
        }
    }

    private void addLong(byte[] bytes, int from, int length) {
        int hash = 1;
        for (int k = from; k < from + length; k++) {
            hash = 31 * hash + bytes[k];
        }
        int mask = longWords.length - 1;
        int slot = mix(hash) & mask;
        while (true) {
            byte[] word = longWords[slot];
            if (word == null) {
                longWords[slot] = Arrays.copyOfRange(bytes, from, from + length);
                longHashes[slot] = hash;
                longCounts[slot] = 1;
                if (++longSize * 2 > longWords.length) {
                    growLong();
                }
                return;
            }
            if (longHashes[slot] == hash && Arrays.equals(word, 0, word.length, bytes, from, from + length)) {
                longCounts[slot]++;
                return;
            }
            slot = (slot + 1) & mask;
        }
    }

    private void growLong() {
        byte[][] oldWords = longWords;
        int[] oldHashes = longHashes;
        long[] oldCounts = longCounts;
        longWords = new byte[oldWords.length * 2][];
        longHashes = new int[longWords.length];
        longCounts = new long[longWords.length];
        int mask = longWords.length - 1;
        for (int i = 0; i < oldWords.length; i++) {
            if (oldWords[i] != null) {
                int slot = mix(oldHashes[i]) & mask;
                while (longWords[slot] != null) {
                    slot = (slot + 1) & mask;
                }
                longWords[slot] = oldWords[i];
                longHashes[slot] = oldHashes[i];
                longCounts[slot] = oldCounts[i];
            }
        }
    }

    /** Spreads a key's bits over the low ones, which alone pick the slot. */
    private static int mix(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    /** The words and their counts: short words first, each table in slot order. */
    Iterator<Pair<String, Long>> entries() {
        return new Iterator<>() {
            private int next = -1;
            private final byte[] unpacked = new byte[MAX_SHORT];

            {
                advance();
            }

            private void advance() {
                next++;
                while (next < shortKeys.length && shortKeys[next] == 0) {
                    next++;
                }
                while (next >= shortKeys.length && next - shortKeys.length < longWords.length
                        && longWords[next - shortKeys.length] == null) {
                    next++;
                }
            }

            @Override
            public boolean hasNext() {
                return next < shortKeys.length + longWords.length;
            }

            @Override
            public Pair<String, Long> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Pair<String, Long> entry;
                if (next < shortKeys.length) {
                    entry = Pair.of(unpack(shortKeys[next]), shortCounts[next]);
                } else {
                    int slot = next - shortKeys.length;
                    entry = Pair.of(new String(longWords[slot], StandardCharsets.UTF_8), longCounts[slot]);
                }
                advance();
                return entry;
            }

            private String unpack(long key) {
                int n = 0;
                for (long k = key; k != 0; k >>>= 8) {
                    unpacked[n++] = (byte) k;
                }
                return new String(unpacked, 0, n, StandardCharsets.ISO_8859_1);
            }
        };
    }
}
