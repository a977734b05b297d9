package dev.sluice.bench.load;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The pacing loop both transports share: every millisecond or so it works out how many lines
 * the {@link RateSchedule} says are due, hands them to the transport as runs of whole corpus
 * lines (wrapping around the corpus) and logs them in the {@link SendLog} once the
 * transport has taken them.
 */
abstract class LineSender {

    /** The most bytes handed over in one piece, so the log's timestamps stay fine-grained. */
    private static final int MAX_CHUNK_BYTES = 256 * 1024;

    private final Corpus corpus;
    private final RateSchedule schedule;
    private final SendLog log;
    private int nextLine;
    private long sent;
    private long startMs = -1;

    LineSender(Corpus corpus, RateSchedule schedule, SendLog log) {
        this.corpus = corpus;
        this.schedule = schedule;
        this.log = log;
    }

    /** Hands {@code length} bytes of whole lines, starting at {@code offset} of the corpus, to the transport. */
    protected abstract void send(byte[] bytes, int offset, int length) throws IOException;

    /** Lines sent so far. */
    final long sent() {
        return sent;
    }

    /**
     * Sends on schedule until {@code untilMs} (wall clock) or until the transport fails. The
     * schedule's clock starts at the first call, so a reconnect continues the same ramp.
     */
    final void sendUntil(long untilMs) throws IOException {
        if (startMs < 0) {
            startMs = System.currentTimeMillis();
        }
        while (true) {
            long now = System.currentTimeMillis();
            if (now >= untilMs || Thread.currentThread().isInterrupted()) {
                return;
            }
            long due = schedule.linesDueBy(now - startMs) - sent;
            if (due <= 0) {
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(500));
                continue;
            }
            sendLines(due);
        }
    }

    /** Sends up to {@code due} lines as one contiguous run of the corpus, at most one chunk. */
    private void sendLines(long due) throws IOException {
        int first = nextLine;
        int start = corpus.lineStart(first);
        int last = first;
        long limit = Math.min(due, corpus.lines() - first);
        while (last + 1 < first + limit && corpus.lineEnd(last + 1) - start <= MAX_CHUNK_BYTES) {
            last++;
        }
        send(corpus.bytes(), start, corpus.lineEnd(last) - start);
        int count = last - first + 1;
        sent += count;
        nextLine = last + 1 == corpus.lines() ? 0 : last + 1;
        log.sent(System.currentTimeMillis(), sent);
    }
}
