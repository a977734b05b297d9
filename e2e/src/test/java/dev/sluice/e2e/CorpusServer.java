package dev.sluice.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP server that sends a fixed list of lines (or raw chunks of bytes), once, to the first
 * client that connects, at a steady rate, then keeps the connection open so the receiver does
 * not reconnect and ask again.
 */
final class CorpusServer implements AutoCloseable {

    private final ServerSocket server;
    private final Thread thread;
    private final AtomicInteger sent = new AtomicInteger();

    CorpusServer(List<String> lines, int linesPerSecond) throws IOException {
        this(linesPerSecond, lines.stream().map(l -> (l + "\n").getBytes(StandardCharsets.UTF_8)).toList());
    }

    /** Sends {@code chunks} as they are, {@code chunksPerSecond} of them a second. */
    CorpusServer(int chunksPerSecond, List<byte[]> chunks) throws IOException {
        server = new ServerSocket(0);
        thread = new Thread(() -> serve(chunks, chunksPerSecond), "corpus-server");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Lines (or chunks) written to the client so far. */
    int sent() {
        return sent.get();
    }

    private void serve(List<byte[]> chunks, int chunksPerSecond) {
        try (Socket client = server.accept()) {
            OutputStream out = client.getOutputStream();
            long start = System.nanoTime();
            for (byte[] chunk : chunks) {
                out.write(chunk);
                int n = sent.incrementAndGet();
                long due = start + n * 1_000_000_000L / chunksPerSecond;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    out.flush();
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
            out.flush();
            Thread.sleep(Long.MAX_VALUE);
        } catch (IOException | InterruptedException e) {
            // Closed by the test.
        }
    }

    @Override
    public void close() throws IOException {
        thread.interrupt();
        server.close();
    }
}
