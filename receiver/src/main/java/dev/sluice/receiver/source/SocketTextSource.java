package dev.sluice.receiver.source;

import dev.sluice.protocol.client.Backoff;
import dev.sluice.receiver.StreamCounters;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Spark's socket text stream: connects as a TCP client to {@code host:port}, reads UTF-8
 * text and hands its lines (terminated by {@code \n} or {@code \r\n}, without the
 * terminator) to a consumer, on a thread of its own, as {@link Utf8Lines}: the bytes as
 * they came, a read's lines at a time, with no string built per line. When the connection ends or fails it
 * reconnects with backoff, logging once per outage rather than once per attempt.
 *
 * <p>A line longer than the limit (in chars), or not valid UTF-8, is rejected whole: it is skipped up to the next newline
 * and counted, never truncated into a record nobody sent. An unterminated last line is
 * delivered if the peer closes the connection cleanly (as {@code BufferedReader.readLine}
 * does) and dropped if the connection fails, since it may be cut short.
 */
public final class SocketTextSource {

    private static final Logger LOG = Logger.getLogger(SocketTextSource.class);
    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final int READ_BUFFER = 64 * 1024;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    /** Lines longer than this many bytes are rejected whatever the configured limit. */
    private static final int MAX_BUFFER = 64 * 1024 * 1024;

    private final String host;
    private final int port;
    private final String endpoint;
    private final int maxLineLength;
    private final Consumer<Utf8Lines> lines;
    private final StreamCounters counters;
    private final Thread thread;

    private volatile boolean running;
    private volatile Socket socket;

    // Confined to the source's thread.
    private final Backoff backoff = Backoff.standard();
    private boolean inOutage;
    private boolean everReceived;
    private final Utf8Lines batch = new Utf8Lines();
    private final CharsetDecoder strictUtf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    /**
     * A source reading from {@code host:port}, handing lines of at most {@code maxLineLength}
     * chars to {@code lines}. {@code name} names its thread. Nothing happens until
     * {@link #start()}.
     */
    public SocketTextSource(String name, String host, int port, int maxLineLength, Consumer<Utf8Lines> lines,
            StreamCounters counters) {
        if (maxLineLength < 1) {
            throw new IllegalArgumentException("max line length must be positive, got " + maxLineLength);
        }
        this.host = host;
        this.port = port;
        this.endpoint = host + ":" + port;
        this.maxLineLength = maxLineLength;
        this.lines = lines;
        this.counters = counters;
        this.thread = new Thread(this::run, "sluice-source-" + name);
        this.thread.setDaemon(true);
    }

    /** Starts connecting and reading on the source's thread. */
    public void start() {
        running = true;
        thread.start();
    }

    /** Stops reading and closes the connection; returns without waiting for the thread. */
    public void stop() {
        running = false;
        closeQuietly(socket);
        thread.interrupt();
    }

    /** Waits up to {@code millis} for the source's thread to end after {@link #stop()}. */
    public void join(long millis) throws InterruptedException {
        thread.join(millis);
    }

    private void run() {
        while (running) {
            String failure;
            try (Socket s = new Socket()) {
                socket = s;
                // stop() closes whatever socket it sees; re-checking after publishing ours closes the gap.
                if (!running) {
                    break;
                }
                s.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
                LOG.debugf("connected to %s", endpoint);
                readLines(s.getInputStream());
                failure = "the server closed the connection";
            } catch (IOException e) {
                failure = e.toString();
            } catch (RuntimeException e) {
                // A failing consumer must not kill the source thread; the connection is redone.
                failure = e.toString();
                LOG.errorf(e, "handling a line from %s failed", endpoint);
            } finally {
                socket = null;
            }
            if (!running) {
                break;
            }
            counters.sourceFailed();
            if (!inOutage) {
                LOG.warnf("socket source %s is down (%s); reconnecting with backoff", endpoint, failure);
                inOutage = true;
            } else {
                LOG.debugf("socket source %s still down: %s", endpoint, failure);
            }
            try {
                backoff.pause();
            } catch (InterruptedException e) {
                break;
            }
        }
        LOG.debugf("socket source %s stopped", endpoint);
    }

    /**
     * An outage ends when data flows again, not when a connect succeeds: a server that accepts
     * and closes at once keeps the source in one outage, logged once, with growing delays.
     */
    private void receiving() {
        backoff.reset();
        if (inOutage) {
            LOG.infof("socket source %s is receiving again", endpoint);
            inOutage = false;
        } else if (!everReceived) {
            LOG.infof("socket source %s is receiving", endpoint);
        }
        everReceived = true;
    }

    /**
     * Reads lines until end of stream, handing each read's complete lines over together.
     * Throws if the connection fails.
     */
    private void readLines(InputStream in) throws IOException {
        // A line of maxLineLength chars takes at most 3 bytes a char in UTF-8, plus "\r\n".
        long longestBytes = 3L * maxLineLength + 2;
        byte[] buf = new byte[(int) Math.min(Math.max(READ_BUFFER, longestBytes), MAX_BUFFER)];
        int filled = 0;
        // Set while a line too long to keep is being skipped up to its '\n'.
        boolean skipping = false;
        boolean first = true;
        // The high bits of the partial line carried over to the next read.
        long carriedHighBits = 0;
        int n;
        while ((n = in.read(buf, filled, buf.length - filled)) != -1) {
            if (first) {
                receiving();
                first = false;
            }
            int end = filled + n;
            // Lines are checked for non-ASCII bytes one by one only if the read had any.
            boolean ascii = (carriedHighBits | highBits(buf, filled, end)) == 0;
            int start = 0;
            batch.reset(buf);
            for (int i = nextNewline(buf, filled, end); i >= 0; i = nextNewline(buf, i + 1, end)) {
                if (skipping) {
                    skipping = false;
                } else {
                    take(buf, start, i - start, ascii);
                }
                start = i + 1;
            }
            deliverBatch();
            int rest = end - start;
            if (skipping || rest >= buf.length || rest > longestBytes) {
                // No room to keep the partial line, or more than the limit allows: reject it whole.
                if (!skipping) {
                    reject();
                }
                skipping = true;
                filled = 0;
            } else {
                System.arraycopy(buf, start, buf, 0, rest);
                filled = rest;
            }
            carriedHighBits = highBits(buf, 0, filled);
        }
        if (!skipping && filled > 0) {
            batch.reset(buf);
            take(buf, 0, filled, false);
            deliverBatch();
        }
    }

    /**
     * Adds a complete line (without its '\n') to the batch, or rejects it.
     *
     * @param ascii true when the line is known to be ASCII
     */
    private void take(byte[] buf, int offset, int length, boolean ascii) {
        if (length > 0 && buf[offset + length - 1] == '\r') {
            length--;
        }
        int chars = length;
        if (!ascii && highBits(buf, offset, offset + length) != 0) {
            chars = utf8Chars(buf, offset, length);
            if (chars < 0) {
                counters.lineRejected();
                LOG.warnf("rejected a line of invalid UTF-8 from socket source %s", endpoint);
                return;
            }
        }
        if (chars > maxLineLength) {
            reject();
            return;
        }
        batch.add(offset, length);
    }

    private void deliverBatch() {
        if (batch.count() > 0) {
            lines.accept(batch);
        }
    }

    /**
     * The index of the first '\n' in {@code buf[from, to)}, or -1. Eight bytes at a time: a
     * byte of {@code w ^ NEWLINES} is zero exactly where {@code w} has a newline, and the
     * lowest byte the zero-byte test flags is always a true zero.
     */
    static int nextNewline(byte[] buf, int from, int to) {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long x = (long) LONGS.get(buf, i) ^ NEWLINES;
            long zeros = (x - ONES) & ~x & HIGHS;
            if (zeros != 0) {
                return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (buf[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Non-zero when a byte of {@code buf[from, to)} has its high bit set: the bytes are not all ASCII. */
    static long highBits(byte[] buf, int from, int to) {
        long acc = 0;
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            acc |= (long) LONGS.get(buf, i);
        }
        for (; i < to; i++) {
            acc |= buf[i];
        }
        return acc & HIGHS;
    }

    /** The line's length in chars, or -1 when it is not valid UTF-8. */
    private int utf8Chars(byte[] buf, int offset, int length) {
        try {
            return strictUtf8.decode(ByteBuffer.wrap(buf, offset, length)).length();
        } catch (CharacterCodingException e) {
            return -1;
        }
    }

    private void reject() {
        counters.lineRejected();
        LOG.debugf("rejected a line longer than %s chars from %s", maxLineLength, endpoint);
    }

    private static void closeQuietly(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // Closing only unblocks the reader; a failure to close changes nothing.
            }
        }
    }
}
