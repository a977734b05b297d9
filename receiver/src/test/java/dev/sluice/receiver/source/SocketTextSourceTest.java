package dev.sluice.receiver.source;

import dev.sluice.receiver.StreamCounters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.sluice.receiver.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SocketTextSourceTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<String> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger rejected = new AtomicInteger();
    private final CountDownLatch done = new CountDownLatch(1);
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private ServerSocket server;
    private Thread serverThread;
    private SocketTextSource source;

    private final StreamCounters counters = new StreamCounters() {
        @Override
        public void blockCut(long records) {
        }

        @Override
        public void lineRejected() {
            rejected.incrementAndGet();
        }
    };

    @AfterEach
    void tearDown() throws Exception {
        done.countDown();
        if (source != null) {
            source.stop();
            source.join(WAIT.toMillis());
        }
        for (Socket s : held) {
            s.close();
        }
        if (server != null) {
            server.close();
        }
        if (serverThread != null) {
            serverThread.join(WAIT.toMillis());
        }
    }

    /**
     * Serves one connection per payload: writes it, then closes the connection, or with a
     * null payload keeps the connection open until the test ends.
     */
    private void serve(String... payloads) throws IOException {
        byte[][] bytes = new byte[payloads.length][];
        for (int i = 0; i < payloads.length; i++) {
            bytes[i] = payloads[i] == null ? null : payloads[i].getBytes(StandardCharsets.UTF_8);
        }
        serveBytes(bytes);
    }

    private void serveBytes(byte[]... payloads) throws IOException {
        server = new ServerSocket(0);
        serverThread = new Thread(() -> {
            try {
                for (byte[] payload : payloads) {
                    Socket s = server.accept();
                    if (payload == null) {
                        held.add(s);
                        continue;
                    }
                    try (s; OutputStream out = s.getOutputStream()) {
                        out.write(payload);
                        out.flush();
                    }
                }
                done.await();
            } catch (IOException | InterruptedException e) {
                // The test closed the server.
            }
        }, "test-text-server");
        serverThread.start();
    }

    private void startSource(int maxLineLength) {
        source = new SocketTextSource("test", "localhost", server.getLocalPort(), maxLineLength, lines -> {
            for (int i = 0; i < lines.count(); i++) {
                received.add(lines.line(i));
            }
        },
                counters);
        source.start();
    }

    @Test
    void readsLinesAndReconnectsAfterTheServerClosesTheConnection() throws IOException {
        serve("one\ntwo\r\nhéllo wörld ✓\n\nthree\n", "four\nfive", null);
        startSource(1024);

        List<String> expected = List.of("one", "two", "héllo wörld ✓", "", "three", "four", "five");
        await(WAIT, "the lines of both connections", () -> received.size() >= expected.size());
        assertEquals(expected, received);
        await(WAIT, "a third connection, held open", () -> held.size() == 1);
        assertEquals(expected, received);
        assertEquals(0, rejected.get());
    }

    @Test
    void rejectsOverLongLinesWholeAndCountsThem() throws IOException {
        StringBuilder payload = new StringBuilder();
        List<String> expected = new ArrayList<>();
        payload.append("short\n");
        expected.add("short");
        payload.append("x".repeat(25)).append('\n');
        payload.append("exactlyten\r\n");
        expected.add("exactlyten");
        payload.append("y".repeat(11)).append("\r\n");
        payload.append("after\n");
        expected.add("after");
        // Longer than the reader's buffer, so the line is rejected before its end is seen.
        payload.append("z".repeat(50_000)).append('\n');
        payload.append("end\n");
        expected.add("end");
        serve(payload.toString(), null);
        startSource(10);

        await(WAIT, "the accepted lines", () -> received.size() >= expected.size());
        assertEquals(expected, received);
        assertEquals(3, rejected.get());
    }

    @Test
    void rejectsLinesOfInvalidUtf8WholeAndCountsThem() throws IOException {
        byte[] good = "before\n".getBytes(StandardCharsets.UTF_8);
        byte[] bad = {'b', 'a', (byte) 0xC3, (byte) 0x28, 'd', '\n'};
        byte[] truncated = {(byte) 0xE2, (byte) 0x82, '\n'};
        byte[] after = "after ✓\n".getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[good.length + bad.length + truncated.length + after.length];
        int at = 0;
        for (byte[] part : List.of(good, bad, truncated, after)) {
            System.arraycopy(part, 0, payload, at, part.length);
            at += part.length;
        }
        serveBytes(payload, null);
        startSource(1024);

        await(WAIT, "the valid lines", () -> received.size() >= 2);
        assertEquals(List.of("before", "after ✓"), received);
        assertEquals(2, rejected.get());
    }

    @Test
    void linesThatStraddleReadsArriveWholeAndInOrder() throws IOException {
        StringBuilder payload = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 40_000; i++) {
            // Lengths vary so that line ends fall everywhere in the reader's buffer; some carry "\r\n".
            String line = "line " + i + " " + "é".repeat(i % 7) + "x".repeat(i % 53);
            expected.add(line);
            payload.append(line).append(i % 5 == 0 ? "\r\n" : "\n");
        }
        serve(payload.toString(), null);
        startSource(100);

        await(WAIT, "every line", () -> received.size() >= expected.size());
        assertEquals(expected, received);
        assertEquals(0, rejected.get());
    }

    @Test
    void theWordAtATimeScansAgreeWithPlainLoops() {
        java.util.Random random = new java.util.Random(3);
        for (int round = 0; round < 2000; round++) {
            byte[] buf = new byte[random.nextInt(40)];
            for (int i = 0; i < buf.length; i++) {
                int pick = random.nextInt(10);
                buf[i] = (byte) (pick == 0 ? '\n' : pick == 1 ? 0x80 + random.nextInt(128) : pick == 2 ? 0x0B : 'a' + pick);
            }
            int from = buf.length == 0 ? 0 : random.nextInt(buf.length);
            int to = from + random.nextInt(buf.length - from + 1);
            int newline = -1;
            boolean high = false;
            for (int i = from; i < to; i++) {
                if (newline < 0 && buf[i] == '\n') {
                    newline = i;
                }
                high |= buf[i] < 0;
            }
            assertEquals(newline, SocketTextSource.nextNewline(buf, from, to), java.util.Arrays.toString(buf));
            assertEquals(high, SocketTextSource.highBits(buf, from, to) != 0, java.util.Arrays.toString(buf));
        }
    }
}
