package dev.sluice.receiver;

import dev.sluice.protocol.BlockAck;
import dev.sluice.protocol.BlockReport;
import dev.sluice.protocol.BlockTrackerGrpc;
import dev.sluice.protocol.ReceiverAssignment;
import dev.sluice.protocol.ReceiverHello;
import dev.sluice.protocol.SocketSource;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The coordinator's side of the receiver contract, for tests: a grpc-java {@code BlockTracker}
 * server that answers every Attach with the same socket assignment (twice, as a coordinator
 * may repeat itself) and records the block reports it accepts, after turning the very first
 * one down. The assignment points at a text server that writes {@link #lines()} to the
 * first connection, in bursts, and then holds every connection open.
 */
public class FakeCoordinator implements QuarkusTestResourceLifecycleManager {

    /** The job and node of the assignment. */
    public static final String JOB = "wordcount";
    /** The node of the assignment. */
    public static final int NODE = 2;
    /** Longer than the receiver's limit (1 MiB chars): must be rejected, not truncated. */
    static final int TOO_LONG = (1 << 20) + 1;

    private final List<String> lines = buildLines();
    private final List<BlockReport> accepted = new CopyOnWriteArrayList<>();
    private final List<ReceiverHello> hellos = new CopyOnWriteArrayList<>();
    private final AtomicInteger reportCalls = new AtomicInteger();
    private final AtomicInteger textConnections = new AtomicInteger();
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private Server server;
    private ServerSocket textServer;

    @Override
    public Map<String, String> start() {
        try {
            textServer = new ServerSocket(0);
            Thread t = new Thread(this::serveText, "fake-text-server");
            t.setDaemon(true);
            t.start();
            server = ServerBuilder.forPort(0).addService(new Tracker()).build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "sluice.coordinator.address", "localhost:" + server.getPort(),
                "sluice.receiver.id", "test-receiver",
                "sluice.receiver.block-interval", "50ms");
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(this, new TestInjector.MatchesType(FakeCoordinator.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.shutdownNow();
        }
        try {
            if (textServer != null) {
                textServer.close();
            }
            for (Socket s : held) {
                s.close();
            }
        } catch (IOException ignored) {
            // Shutting down: nothing to do about it.
        }
    }

    /** The lines the text server sends, in order; the over-long one is not among them. */
    public List<String> lines() {
        return lines;
    }

    /** The block reports accepted so far, in arrival order. */
    public List<BlockReport> accepted() {
        return accepted;
    }

    /** Every Attach hello received. */
    public List<ReceiverHello> hellos() {
        return hellos;
    }

    /** How many ReportBlock calls arrived, the rejected first one included. */
    public int reportCalls() {
        return reportCalls.get();
    }

    /** How many connections the text server accepted. */
    public int textConnections() {
        return textConnections.get();
    }

    private static List<String> buildLines() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            lines.add(i % 97 == 0 ? "" : "line " + i + " héllo ✓");
        }
        // 900k chars is under the 1 MiB-char limit but 1.8 MB of UTF-8: its block spans several chunks.
        lines.add(1000, "é".repeat(900_000));
        return lines;
    }

    private void serveText() {
        try {
            boolean first = true;
            while (true) {
                Socket s = textServer.accept();
                textConnections.incrementAndGet();
                held.add(s);
                if (first) {
                    first = false;
                    write(s.getOutputStream());
                }
            }
        } catch (IOException | InterruptedException e) {
            // The server socket was closed at the end of the tests.
        }
    }

    private void write(OutputStream out) throws IOException, InterruptedException {
        int bursts = 8;
        int perBurst = lines.size() / bursts + 1;
        for (int i = 0; i < lines.size(); i++) {
            // Mixed terminators, as a real peer might send.
            out.write((lines.get(i) + (i % 2 == 0 ? "\n" : "\r\n")).getBytes(StandardCharsets.UTF_8));
            if (i == 10) {
                out.write(("x".repeat(TOO_LONG) + "\n").getBytes(StandardCharsets.UTF_8));
            }
            if (i % perBurst == perBurst - 1) {
                out.flush();
                Thread.sleep(30);
            }
        }
        out.flush();
    }

    private final class Tracker extends BlockTrackerGrpc.BlockTrackerImplBase {
        @Override
        public void attach(ReceiverHello request, StreamObserver<ReceiverAssignment> responseObserver) {
            hellos.add(request);
            ReceiverAssignment assignment = ReceiverAssignment.newBuilder()
                    .setJob(JOB)
                    .setNode(NODE)
                    .setSocket(SocketSource.newBuilder().setHost("localhost").setPort(textServer.getLocalPort()))
                    .build();
            responseObserver.onNext(assignment);
            responseObserver.onNext(assignment);
            // The stream stays open: that is what keeps the receiver attached.
        }

        @Override
        public void reportBlock(BlockReport request, StreamObserver<BlockAck> responseObserver) {
            if (reportCalls.incrementAndGet() == 1) {
                responseObserver.onNext(BlockAck.newBuilder().setAccepted(false).setError("not ready yet").build());
            } else {
                accepted.add(request);
                responseObserver.onNext(BlockAck.newBuilder().setAccepted(true).build());
            }
            responseObserver.onCompleted();
        }
    }
}
