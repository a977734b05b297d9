package dev.sluice.bench.load;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * When each line left the generator: a series of (wall-clock ms, lines sent so far)
 * points, appended by the sending thread and read by the harness to time each line's way
 * through a system (lines leave in order, so line {@code n} left at the first point whose
 * count exceeds {@code n}).
 */
public final class SendLog {

    private long[] times = new long[1 << 14];
    private long[] counts = new long[1 << 14];
    private int size;

    /** Records that {@code totalLines} had been sent at {@code wallMs}; called by the one sending thread. */
    public synchronized void sent(long wallMs, long totalLines) {
        if (size > 0 && times[size - 1] == wallMs) {
            counts[size - 1] = totalLines;
            return;
        }
        if (size == times.length) {
            times = Arrays.copyOf(times, size * 2);
            counts = Arrays.copyOf(counts, size * 2);
        }
        times[size] = wallMs;
        counts[size] = totalLines;
        size++;
    }

    /** When the first lines were sent, or now if none were. */
    public synchronized long firstSendMs() {
        return size == 0 ? System.currentTimeMillis() : times[0];
    }

    /** When the last lines were sent, or now if none were. */
    public synchronized long lastSendMs() {
        return size == 0 ? System.currentTimeMillis() : times[size - 1];
    }

    /** Lines sent so far. */
    public synchronized long total() {
        return size == 0 ? 0 : counts[size - 1];
    }

    /** Lines sent by {@code wallMs} (inclusive). */
    public synchronized long sentBy(long wallMs) {
        int i = Arrays.binarySearch(times, 0, size, wallMs);
        if (i >= 0) {
            return counts[i];
        }
        int before = -i - 2;
        return before < 0 ? 0 : counts[before];
    }

    /** The wall-clock ms at which line {@code n} (0-based) was sent, or -1 if it was not (yet). */
    public synchronized long sentAt(long n) {
        int lo = 0;
        int hi = size - 1;
        if (size == 0 || counts[hi] <= n) {
            return -1;
        }
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (counts[mid] <= n) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return times[lo];
    }

    /** Writes the log as CSV lines {@code wallMs,linesSentSoFar}. */
    public synchronized void writeTo(Path file) throws IOException {
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(file))) {
            for (int i = 0; i < size; i++) {
                out.print(times[i]);
                out.print(',');
                out.println(counts[i]);
            }
        }
    }
}
