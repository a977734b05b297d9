package dev.sluice.receiver.source;

import dev.sluice.protocol.client.Backoff;
import dev.sluice.receiver.StreamCounters;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Spark's socket text stream: connects as a TCP client to {@code host:port}, reads UTF-8
 * text and hands every line (terminated by {@code \n} or {@code \r\n}, without the
 * terminator) to a consumer, on a thread of its own. When the connection ends or fails it
 * reconnects with backoff, logging once per outage rather than once per attempt.
 *
 * <p>A line longer than the limit is rejected whole: it is skipped up to the next newline
 * and counted, never truncated into a record nobody sent. An unterminated last line is
 * delivered if the peer closes the connection cleanly (as {@code BufferedReader.readLine}
 * does) and dropped if the connection fails, since it may be cut short.
 */
public final class SocketTextSource {

    private static final Logger LOG = Logger.getLogger(SocketTextSource.class);
    private static final int CONNECT_TIMEOUT_MS = 5_000;

    private final String host;
    private final int port;
    private final String endpoint;
    private final int maxLineLength;
    private final Consumer<String> lines;
    private final StreamCounters counters;
    private final Thread thread;

    private volatile boolean running;
    private volatile Socket socket;

    // Confined to the source's thread.
    private final Backoff backoff = Backoff.standard();
    private boolean inOutage;
    private boolean everReceived;

    /**
     * A source reading from {@code host:port}, handing lines of at most {@code maxLineLength}
     * chars to {@code lines}. {@code name} names its thread. Nothing happens until
     * {@link #start()}.
     */
    public SocketTextSource(String name, String host, int port, int maxLineLength, Consumer<String> lines,
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
                readLines(new InputStreamReader(s.getInputStream(), utf8WithMarker()));
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

    /** Reads lines until end of stream. Throws if the connection fails. */
    private void readLines(Reader in) throws IOException {
        char[] buf = new char[8192];
        // Room for the limit plus a trailing '\r' that is only known to be one at the '\n'.
        int hardLimit = maxLineLength + 1;
        StringBuilder line = new StringBuilder();
        boolean skipping = false;
        boolean first = true;
        int n;
        while ((n = in.read(buf)) != -1) {
            if (first) {
                receiving();
                first = false;
            }
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (buf[i] != '\n') {
                    continue;
                }
                if (skipping) {
                    skipping = false;
                } else {
                    line.append(buf, start, i - start);
                    deliver(line);
                }
                line.setLength(0);
                start = i + 1;
            }
            if (!skipping) {
                line.append(buf, start, n - start);
                if (line.length() > hardLimit) {
                    reject();
                    line.setLength(0);
                    skipping = true;
                }
            }
        }
        if (!skipping && !line.isEmpty()) {
            deliver(line);
        }
    }

    private void deliver(StringBuilder line) {
        int len = line.length();
        if (len > 0 && line.charAt(len - 1) == '\r') {
            len--;
        }
        if (len > maxLineLength) {
            reject();
            return;
        }
        if (line.indexOf(MALFORMED) >= 0) {
            counters.lineRejected();
            LOG.warnf("rejected a line of invalid UTF-8 from socket source %s", endpoint);
            return;
        }
        lines.accept(line.substring(0, len));
    }

    // A noncharacter that valid UTF-8 text does not carry marks bytes that were not UTF-8.
    private static final String MALFORMED = "\uFFFF";

    /** A UTF-8 decoder that puts {@link #MALFORMED} where the input is not UTF-8, so such lines are rejected whole. */
    private static CharsetDecoder utf8WithMarker() {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE)
                .replaceWith(MALFORMED);
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
