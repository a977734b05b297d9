package dev.sluice.receiver.source;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The complete lines of one read from a socket, as slices of the reader's buffer: valid
 * UTF-8, without their terminators. Handed to the consumer for the length of one call and
 * reused after it, so that reading costs no object per line.
 */
public final class Utf8Lines {

    private byte[] bytes;
    private int[] offsets = new int[256];
    private int[] lengths = new int[256];
    private int count;

    /** The number of lines. */
    public int count() {
        return count;
    }

    /** The buffer the lines are slices of. */
    public byte[] bytes() {
        return bytes;
    }

    /** Where line {@code i} starts in {@link #bytes()}. */
    public int offset(int i) {
        return offsets[i];
    }

    /** Line {@code i}'s length in bytes. */
    public int length(int i) {
        return lengths[i];
    }

    /** Line {@code i} as a string (for tests and logs; the hot path copies the bytes). */
    public String line(int i) {
        return new String(bytes, offsets[i], lengths[i], StandardCharsets.UTF_8);
    }

    void reset(byte[] buffer) {
        bytes = buffer;
        count = 0;
    }

    void add(int offset, int length) {
        if (count == offsets.length) {
            offsets = Arrays.copyOf(offsets, count * 2);
            lengths = Arrays.copyOf(lengths, count * 2);
        }
        offsets[count] = offset;
        lengths[count] = length;
        count++;
    }
}
