package dev.sluice.receiver;

import dev.sluice.engine.codec.RecordCodec;
import dev.sluice.protocol.BlockAck;
import dev.sluice.protocol.BlockReport;
import dev.sluice.protocol.BlockTrackerGrpc;
import dev.sluice.protocol.BlocksProcessed;
import dev.sluice.protocol.CustomSource;
import dev.sluice.protocol.HttpSource;
import dev.sluice.protocol.JobDefinition;
import dev.sluice.protocol.RateLimit;
import dev.sluice.protocol.ReceiverAssignment;
import dev.sluice.protocol.ReceiverCommand;
import dev.sluice.protocol.ReceiverHello;
import dev.sluice.protocol.SocketSource;
import dev.sluice.receiver.block.Block;
import dev.sluice.receiver.testjobs.SequenceReceiverJob;
import dev.sluice.receiver.wal.WriteAheadLog;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The coordinator's side of the receiver contract, for tests: a grpc-java {@code BlockTracker}
 * server. Every Attach is answered with the assignments below (the socket one twice, as a
 * coordinator may repeat itself), and the stream stays open so tests can {@link #send} more
 * commands. Block reports are recorded; the very first one is turned down, and reports of
 * the blocks in {@link #PROCESSED_BLOCKS} are answered {@code already_processed}.
 *
 * <ul>
 * <li>job {@link #JOB} node {@link #NODE}: a socket source, write-ahead logged, pointing at a
 * text server that writes {@link #lines()} to the first connection, in bursts, and then holds
 * every connection open;</li>
 * <li>job {@link #HTTP_JOB}: http sources {@link #HTTP_PATH} (node {@link #HTTP_NODE}) and
 * {@link #LIMITED_PATH} (node {@link #LIMITED_NODE});</li>
 * <li>once a test calls {@link #assignCustom} with the fingerprint of the test job's graph: job
 * {@link SequenceReceiverJob#NAME}'s custom receiver with that fingerprint, and job
 * {@link #MISMATCHED_JOB}: the same receiver with a wrong one, which must not start. (The
 * fingerprint comes from the test, not from here: this resource runs in a class loader of its
 * own, where defining a job would mix the engine classes of two loaders.)</li>
 * </ul>
 *
 * Before the receiver starts, its write-ahead log directory is seeded with blocks of a
 * previous run (job {@link #REPLAY_JOB}): {@link #REPLAYED_KEPT} and {@link #REPLAYED_DONE}
 * (which the coordinator says is processed), and two corrupt files, one truncated and one
 * with a flipped byte.
 */
public class FakeCoordinator implements QuarkusTestResourceLifecycleManager {

    /** The job of the socket assignment. */
    public static final String JOB = "wordcount";
    /** The node of the socket assignment. */
    public static final int NODE = 2;
    /** Longer than the receiver's limit (1 MiB chars): must be rejected, not truncated. */
    static final int TOO_LONG = (1 << 20) + 1;

    public static final String HTTP_JOB = "ingest-test";
    public static final int HTTP_NODE = 0;
    public static final String HTTP_PATH = "events";
    public static final int LIMITED_NODE = 1;
    public static final String LIMITED_PATH = "limited";

    public static final String MISMATCHED_JOB = "mismatched";
    public static final Map<String, String> CUSTOM_ARGS = Map.of("count", "300", "restart-at", "120");

    public static final String REPLAY_JOB = "replayed";
    public static final int REPLAY_NODE = 4;
    public static final Block REPLAYED_KEPT = new Block("old-receiver-4-run0.7", REPLAY_JOB, REPLAY_NODE,
            RecordCodec.encode(List.of("kept 1", "kept 2", "kept ✓")), 3, 1_000);
    public static final Block REPLAYED_DONE = new Block("old-receiver-4-run0.8", REPLAY_JOB, REPLAY_NODE,
            RecordCodec.encode(List.of("done")), 1, 2_000);
    public static final Block TRUNCATED = new Block("old-receiver-4-run0.9", REPLAY_JOB, REPLAY_NODE,
            RecordCodec.encode(List.of("cut short")), 1, 3_000);
    public static final Block FLIPPED = new Block("old-receiver-4-run0.10", REPLAY_JOB, REPLAY_NODE,
            RecordCodec.encode(List.of("damaged")), 1, 4_000);
    /** Reports of these are answered {@code already_processed}. */
    static final Set<String> PROCESSED_BLOCKS = Set.of(REPLAYED_DONE.id());

    private final List<String> lines = buildLines();
    private final List<BlockReport> accepted = new CopyOnWriteArrayList<>();
    private final List<BlockReport> alreadyProcessed = new CopyOnWriteArrayList<>();
    private final List<ReceiverHello> hellos = new CopyOnWriteArrayList<>();
    private final List<StreamObserver<ReceiverCommand>> attached = new CopyOnWriteArrayList<>();
    private final AtomicInteger reportCalls = new AtomicInteger();
    private final AtomicInteger textConnections = new AtomicInteger();
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private Server server;
    private ServerSocket textServer;
    private Path walDir;
    private final List<ReceiverAssignment> extra = new CopyOnWriteArrayList<>();

    @Override
    public Map<String, String> start() {
        try {
            walDir = Files.createTempDirectory("sluice-receiver-test-wal");
            seedWriteAheadLog();
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
                "sluice.receiver.block-interval", "50ms",
                "sluice.receiver.restart-delay", "200ms",
                "sluice.receiver.wal.dir", walDir.toString());
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

    /** Writes a previous run's log, with the receiver's own writer, and damages two of its files. */
    private void seedWriteAheadLog() throws IOException {
        WriteAheadLog wal = new WriteAheadLog(walDir);
        for (Block b : List.of(REPLAYED_KEPT, REPLAYED_DONE, TRUNCATED, FLIPPED)) {
            wal.write(b);
        }
        Path truncated = wal.fileOf(REPLAY_JOB, REPLAY_NODE, TRUNCATED.id());
        byte[] bytes = Files.readAllBytes(truncated);
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 4));
        Path flipped = wal.fileOf(REPLAY_JOB, REPLAY_NODE, FLIPPED.id());
        bytes = Files.readAllBytes(flipped);
        bytes[bytes.length - 2] ^= 0x20;
        Files.write(flipped, bytes);
    }

    /** The receiver's write-ahead log directory. */
    public Path walDir() {
        return walDir;
    }

    /** The log file of a block, in the receiver's write-ahead log directory. */
    public Path walFile(String job, int node, String blockId) {
        return new WriteAheadLog(walDir).fileOf(job, node, blockId);
    }

    /**
     * Assigns the test job's custom receiver with {@code fingerprint}, and the same receiver with
     * a wrong fingerprint as job {@link #MISMATCHED_JOB}, now and on every later attach. The
     * receiver ignores the repeats.
     */
    public synchronized void assignCustom(String fingerprint) {
        JobDefinition definition = JobDefinition.newBuilder().setJob(SequenceReceiverJob.NAME).putAllArgs(CUSTOM_ARGS)
                .setFingerprint(fingerprint).build();
        List<ReceiverAssignment> custom = List.of(
                ReceiverAssignment.newBuilder().setJob(SequenceReceiverJob.NAME).setNode(SequenceReceiverJob.NODE)
                        .setCustom(CustomSource.newBuilder().setDefinition(definition)).build(),
                ReceiverAssignment.newBuilder().setJob(MISMATCHED_JOB).setNode(SequenceReceiverJob.NODE)
                        .setCustom(CustomSource.newBuilder().setDefinition(definition.toBuilder()
                                .setFingerprint("0000000000000000"))).build());
        if (extra.isEmpty()) {
            extra.addAll(custom);
        }
        for (ReceiverAssignment a : custom) {
            send(ReceiverCommand.newBuilder().setAssign(a).build());
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

    /** The block reports accepted so far of {@code job}'s node {@code node}, in arrival order. */
    public List<BlockReport> accepted(String job, int node) {
        return accepted.stream().filter(r -> r.getJob().equals(job) && r.getNode() == node).toList();
    }

    /** The reports answered {@code already_processed}. */
    public List<BlockReport> alreadyProcessed() {
        return alreadyProcessed;
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

    /** Sends {@code command} down every open Attach stream. */
    public void send(ReceiverCommand command) {
        for (StreamObserver<ReceiverCommand> o : attached) {
            synchronized (o) {
                o.onNext(command);
            }
        }
    }

    /** Sends a rate limit. */
    public void rate(String job, int node, double recordsPerSecond) {
        send(ReceiverCommand.newBuilder().setRate(RateLimit.newBuilder().setJob(job).setNode(node)
                .setRecordsPerSecond(recordsPerSecond)).build());
    }

    /** Says blocks are processed. */
    public void processed(String job, int node, String... blockIds) {
        send(ReceiverCommand.newBuilder().setProcessed(BlocksProcessed.newBuilder().setJob(job).setNode(node)
                .addAllBlockIds(List.of(blockIds))).build());
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

    private List<ReceiverAssignment> assignments() {
        List<ReceiverAssignment> out = new ArrayList<>();
        ReceiverAssignment socket = ReceiverAssignment.newBuilder()
                .setJob(JOB)
                .setNode(NODE)
                .setSocket(SocketSource.newBuilder().setHost("localhost").setPort(textServer.getLocalPort()))
                .setWriteAheadLog(true)
                .build();
        out.add(socket);
        out.add(socket);
        out.add(ReceiverAssignment.newBuilder().setJob(HTTP_JOB).setNode(HTTP_NODE)
                .setHttp(HttpSource.newBuilder().setPath(HTTP_PATH)).setWriteAheadLog(true).build());
        out.add(ReceiverAssignment.newBuilder().setJob(HTTP_JOB).setNode(LIMITED_NODE)
                .setHttp(HttpSource.newBuilder().setPath(LIMITED_PATH)).setWriteAheadLog(true).build());
        out.addAll(extra);
        return out;
    }

    private final class Tracker extends BlockTrackerGrpc.BlockTrackerImplBase {
        @Override
        public void attach(ReceiverHello request, StreamObserver<ReceiverCommand> responseObserver) {
            // Under the lock assignCustom takes, so that no assignment is missed or sent twice.
            synchronized (FakeCoordinator.this) {
                hellos.add(request);
                synchronized (responseObserver) {
                    for (ReceiverAssignment a : assignments()) {
                        responseObserver.onNext(ReceiverCommand.newBuilder().setAssign(a).build());
                    }
                }
                // The stream stays open: that is what keeps the receiver attached.
                attached.add(responseObserver);
            }
        }

        @Override
        public void reportBlock(BlockReport request, StreamObserver<BlockAck> responseObserver) {
            if (reportCalls.incrementAndGet() == 1) {
                responseObserver.onNext(BlockAck.newBuilder().setAccepted(false).setError("not ready yet").build());
            } else if (PROCESSED_BLOCKS.contains(request.getBlock().getBlockId())) {
                alreadyProcessed.add(request);
                responseObserver.onNext(BlockAck.newBuilder().setAccepted(true).setAlreadyProcessed(true).build());
            } else {
                accepted.add(request);
                responseObserver.onNext(BlockAck.newBuilder().setAccepted(true).build());
            }
            responseObserver.onCompleted();
        }
    }
}
