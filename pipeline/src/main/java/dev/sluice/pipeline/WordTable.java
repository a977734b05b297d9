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
 * <p>Most words are short: a word of up to 15 ASCII bytes other than NUL is its own key, its
 * bytes packed into two {@code long}s, found eight bytes at a time and kept in a table of
 * primitives, with no comparison of bytes. Longer words, and words with non-ASCII bytes or
 * NUL, go to a second table keyed by their bytes. A non-ASCII word is keyed by its bytes
 * after decoding and encoding them again, so that malformed bytes count as the same word
 * as the replacement characters a decoder would make of them.
 */
final class WordTable {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final int MAX_SHORT = 15;

    // Short words: their first eight bytes and the rest, packed (first 0 = free slot) → count.
    private long[] heads = new long[1024];
    private long[] tails = new long[1024];
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
            int shortLength = i + 2 * Long.BYTES <= text.length ? shortWordAt(text, i, end) : 0;
            if (shortLength > 0) {
                addShort(pack(text, i, Math.min(shortLength, Long.BYTES)),
                        shortLength > Long.BYTES ? pack(text, i + Long.BYTES, shortLength - Long.BYTES) : 0);
                i += shortLength;
            } else {
                i = addWordAt(text, i, end);
            }
        }
    }

    /**
     * The length of the word at {@code i} when it is short (see the class comment) and its end
     * shows within the sixteen bytes from {@code i}, else 0. The bytes read may run past
     * {@code end} but not past the array.
     */
    private static int shortWordAt(byte[] text, int i, int end) {
        int first = wordEnd((long) LONGS.get(text, i));
        if (first < Long.BYTES) {
            return first >= end - i ? end - i : isSpace(text[i + first]) ? first : 0;
        }
        if (end - i <= Long.BYTES) {
            return end - i;
        }
        int second = wordEnd((long) LONGS.get(text, i + Long.BYTES));
        if (second == Long.BYTES) {
            return end - i < 2 * Long.BYTES ? end - i : 0;
        }
        int length = Long.BYTES + second;
        return length >= end - i ? end - i : isSpace(text[i + length]) ? length : 0;
    }

    /** The index of the first byte of {@code w} (little-endian) that is not printable ASCII, or 8. */
    private static int wordEnd(long w) {
        // A high bit in the lowest byte below 0x21, or in the lowest byte with its own high bit
        // set. Flags above the lowest can be false; it cannot.
        long stops = ((w - 0x21 * ONES) & ~w & HIGHS) | (w & HIGHS);
        return Long.numberOfTrailingZeros(stops) >>> 3;
    }

    /** The {@code length} (1 to 8) bytes from {@code i}, packed little-endian into a long (0 above them). */
    private static long pack(byte[] text, int i, int length) {
        long w = (long) LONGS.get(text, i);
        return length == Long.BYTES ? w : w & (-1L >>> (64 - 8 * length));
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
        // Decoding and encoding non-ASCII bytes never gives ASCII back: such words are long ones.
        if (length <= MAX_SHORT && !nul && ascii) {
            int head = Math.min(length, Long.BYTES);
            addShort(packSlowly(word, from, head), packSlowly(word, from + head, length - head));
        } else {
            addLong(word, from, length);
        }
        return i;
    }

    private static long packSlowly(byte[] bytes, int from, int length) {
        long key = 0;
        for (int k = length - 1; k >= 0; k--) {
            key = key << 8 | (bytes[from + k] & 0xFF);
        }
        return key;
    }

    /** Whether {@code b} is matched by the regex {@code \s}. */
    private static boolean isSpace(byte b) {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }

    private void addShort(long head, long tail) {
        int mask = heads.length - 1;
        int slot = mix(head * 0x9E3779B97F4A7C15L ^ tail) & mask;
        while (true) {
            long h = heads[slot];
            if (h == head && tails[slot] == tail) {
                shortCounts[slot]++;
                return;
            }
            if (h == 0) {
                heads[slot] = head;
                tails[slot] = tail;
                shortCounts[slot] = 1;
                if (++shortSize * 2 > heads.length) {
                    growShort();
                }
                return;
            }
            slot = (slot + 1) & mask;
        }
    }

    private void growShort() {
        long[] oldHeads = heads;
        long[] oldTails = tails;
        long[] oldCounts = shortCounts;
        heads = new long[oldHeads.length * 2];
        tails = new long[heads.length];
        shortCounts = new long[heads.length];
        shortSize = 0;
        for (int i = 0; i < oldHeads.length; i++) {
            if (oldHeads[i] != 0) {
                int mask = heads.length - 1;
                int slot = mix(oldHeads[i] * 0x9E3779B97F4A7C15L ^ oldTails[i]) & mask;
                while (heads[slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                heads[slot] = oldHeads[i];
                tails[slot] = oldTails[i];
                shortCounts[slot] = oldCounts[i];
                shortSize++;
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
                while (next < heads.length && heads[next] == 0) {
                    next++;
                }
                while (next >= heads.length && next - heads.length < longWords.length
                        && longWords[next - heads.length] == null) {
                    next++;
                }
            }

            @Override
            public boolean hasNext() {
                return next < heads.length + longWords.length;
            }

            @Override
            public Pair<String, Long> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Pair<String, Long> entry;
                if (next < heads.length) {
                    entry = Pair.of(unpack(heads[next], tails[next]), shortCounts[next]);
                } else {
                    int slot = next - heads.length;
                    entry = Pair.of(new String(longWords[slot], StandardCharsets.UTF_8), longCounts[slot]);
                }
                advance();
                return entry;
            }

            private String unpack(long head, long tail) {
                int n = unpackInto(head, 0);
                n = unpackInto(tail, n);
                return new String(unpacked, 0, n, StandardCharsets.ISO_8859_1);
            }

            private int unpackInto(long packed, int at) {
                int n = at;
                for (long k = packed; k != 0; k >>>= 8) {
                    unpacked[n++] = (byte) k;
                }
                return n;
            }
        };
    }
}
