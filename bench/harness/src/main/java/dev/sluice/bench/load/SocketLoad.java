package dev.sluice.bench.load;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * A TCP server that writes the corpus to the client that connects, on schedule — what
 * {@code nc -lk} is to Spark's socket word count, at a controlled rate. One client at a
 * time; if it goes away the next one continues the same sequence and ramp, so a reconnect
 * loses nothing from the log's point of view (lines written to a dead connection may be lost,
 * and are counted as sent, as with any socket source).
 */
public final class SocketLoad implements AutoCloseable {

    private final ServerSocket server;
    private final LineSender sender;
    private final Thread thread;
    private volatile long durationMs;
    private volatile long untilMs = Long.MAX_VALUE;
    private volatile OutputStream out;

    /** Listens on {@code port} of the loopback interface (0 picks a free one). */
    public SocketLoad(int port, Corpus corpus, RateSchedule schedule, SendLog log) throws IOException {
        this.server = new ServerSocket(port, 4, InetAddress.getLoopbackAddress());
        // accept() gives up now and then, so the deadline is re-checked without a client.
        this.server.setSoTimeout(200);
        this.sender = new LineSender(corpus, schedule, log) {
            @Override
            protected void send(byte[] bytes, int offset, int length) throws IOException {
                out.write(bytes, offset, length);
            }
        };
        this.thread = new Thread(this::serve, "load-socket-" + server.getLocalPort());
        this.thread.setDaemon(true);
    }

    /** The port clients connect to. */
    public int port() {
        return server.getLocalPort();
    }

    /** Starts serving; sending stops {@code durationMs} after the first client connects. */
    public void start(long durationMs) {
        this.durationMs = durationMs;
        thread.start();
    }

    /** Lines sent so far. */
    public long sent() {
        return sender.sent();
    }

    /** Waits until sending has ended (the duration is over or the server closed). */
    public void join() throws InterruptedException {
        thread.join();
    }

    private void serve() {
        while (!server.isClosed() && System.currentTimeMillis() < untilMs) {
            try (Socket client = accept()) {
                if (client == null) {
                    continue;
                }
                client.setTcpNoDelay(true);
                if (untilMs == Long.MAX_VALUE) {
                    untilMs = System.currentTimeMillis() + durationMs;
                }
                out = client.getOutputStream();
                sender.sendUntil(untilMs);
            } catch (IOException e) {
                if (server.isClosed()) {
                    return;
                }
                System.err.println("load: client connection ended: " + e.getMessage());
            }
        }
    }

    /** The next client, or null after a short wait without one, so the deadline is re-checked. */
    private Socket accept() throws IOException {
        try {
            return server.accept();
        } catch (SocketTimeoutException e) {
            return null;
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        thread.interrupt();
    }
}
