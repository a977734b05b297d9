package dev.sluice.receiver;

import dev.sluice.api.Receiver;
import dev.sluice.engine.codec.RecordCodec;
import dev.sluice.protocol.BlocksProcessed;
import dev.sluice.protocol.CustomSource;
import dev.sluice.protocol.HttpSource;
import dev.sluice.protocol.JobDefinition;
import dev.sluice.protocol.RateLimit;
import dev.sluice.protocol.ReceiverAssignment;
import dev.sluice.protocol.ReceiverCommand;
import dev.sluice.protocol.SocketSource;
import dev.sluice.protocol.Unassign;
import dev.sluice.receiver.block.Block;
import dev.sluice.receiver.block.BlockGenerator;
import dev.sluice.receiver.block.BlockIds;
import dev.sluice.receiver.block.BlockReporter;
import dev.sluice.receiver.block.ReceivedBlockStore;
import dev.sluice.receiver.custom.ReceiverDefinitionException;
import dev.sluice.receiver.replica.Replica;
import dev.sluice.receiver.replica.ReplicaStore;
import dev.sluice.receiver.wal.WalCopy;
import dev.sluice.receiver.wal.WriteAheadLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import static dev.sluice.receiver.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunningStreamsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path walDir;

    private final ReceivedBlockStore store = new ReceivedBlockStore(Duration.ofMinutes(2), Clock.systemUTC());
    private final ReplicaStore replicas = new ReplicaStore(Duration.ofMinutes(2), Clock.systemUTC());
    private final List<Block> reported = new CopyOnWriteArrayList<>();
    private final AtomicLong throttled = new AtomicLong();
    private final List<Receiver<Object>> customReceivers = new CopyOnWriteArrayList<>();
    private WriteAheadLog wal;
    private RunningStreams streams;
    private final List<ServerSocket> servers = new ArrayList<>();

    private RunningStreams streams() {
        wal = new WriteAheadLog(walDir);
        StreamCounters counters = new StreamCounters() {
            @Override
            public void blockCut(long records) {
            }

            @Override
            public void lineRejected() {
            }

            @Override
            public void throttled(long records, long nanos) {
                throttled.addAndGet(records);
            }
        };
        streams = new RunningStreams(new RunningStreams.Settings(Duration.ofMillis(20), 1024, 16, BlockGenerator.DEFAULT_MAX_BLOCK_BYTES, Duration.ofMillis(10)),
                new BlockIds("r", "run"), store, block -> {
                    reported.add(block);
                    return BlockReporter.Outcome.ACCEPTED;
                }, wal, new WalCopy(wal), replicas, (job, node) -> counters, (job, node, definition) -> {
                    if (!definition.getFingerprint().equals("good")) {
                        throw new ReceiverDefinitionException("wrong fingerprint");
                    }
                    Receiver<Object> r = new Receiver<>() {
                        @Override
                        public void onStart() {
                            store("custom " + job);
                        }

                        @Override
                        public void onStop() {
                        }
                    };
                    customReceivers.add(r);
                    return r;
                }, Clock.systemUTC());
        return streams;
    }

    @AfterEach
    void stop() throws IOException {
        if (streams != null) {
            streams.stopAll();
        }
        for (ServerSocket s : servers) {
            s.close();
        }
    }

    private static ReceiverAssignment socket(String job, int node, int port) {
        return ReceiverAssignment.newBuilder().setJob(job).setNode(node)
                .setSocket(SocketSource.newBuilder().setHost("localhost").setPort(port)).build();
    }

    private static ReceiverAssignment socket(String job, int node) {
        // Nothing listens there; the source just keeps retrying until stopped.
        return socket(job, node, 1);
    }

    private static ReceiverAssignment custom(String job, String fingerprint) {
        return ReceiverAssignment.newBuilder().setJob(job).setNode(0).setCustom(CustomSource.newBuilder()
                .setDefinition(JobDefinition.newBuilder().setJob(job).setFingerprint(fingerprint))).build();
    }

    private List<Object> reportedRecords(String job) {
        List<Object> out = new ArrayList<>();
        for (Block b : reported) {
            if (b.job().equals(job)) {
                out.addAll(RecordCodec.decode(b.data()));
            }
        }
        return out;
    }

    /** A text server that writes {@code text} to its first connection and keeps it open. */
    private int serve(String text) throws IOException {
        ServerSocket server = new ServerSocket(0);
        servers.add(server);
        Thread t = new Thread(() -> {
            try {
                Socket s = server.accept();
                OutputStream out = s.getOutputStream();
                out.write(text.getBytes(StandardCharsets.UTF_8));
                out.flush();
                server.accept();
            } catch (IOException e) {
                // Closed at the end of the test.
            }
        });
        t.setDaemon(true);
        t.start();
        return server.getLocalPort();
    }

    @Test
    void startsOneStreamPerJobAndNode() {
        RunningStreams streams = streams();
        assertTrue(streams.start(socket("a", 0)));
        assertFalse(streams.start(socket("a", 0)), "already running");
        assertTrue(streams.start(socket("a", 1)));
        assertTrue(streams.start(socket("b", 0)));
        assertEquals(3, streams.size());
        // What the next attach tells the coordinator, so that it leaves them here.
        assertEquals(List.of("a/0", "a/1", "b/0"), streams.running().stream()
                .map(r -> r.getJob() + "/" + r.getNode()).sorted().toList());
    }

    @Test
    void stopsTheSourcesOfAJobThatStopped() {
        RunningStreams streams = streams();
        streams.start(socket("a", 0));
        streams.start(socket("a", 1));
        streams.start(socket("b", 0));
        streams.handle(ReceiverCommand.newBuilder().setUnassign(Unassign.newBuilder().setJob("a")).build());
        assertEquals(List.of("b/0"), streams.running().stream().map(r -> r.getJob() + "/" + r.getNode()).toList());
        assertTrue(streams.start(socket("a", 0)), "a job started again runs its sources again");
    }

    @Test
    void ignoresAssignmentsWithoutASource() {
        RunningStreams streams = streams();
        assertFalse(streams.start(ReceiverAssignment.newBuilder().setJob("a").setNode(0).build()));
        assertEquals(0, streams.size());
    }

    @Test
    void startsNothingOnceStopped() {
        RunningStreams streams = streams();
        streams.stopAll();
        assertFalse(streams.start(socket("a", 0)));
    }

    @Test
    void logsSocketBlocksOnlyWhenTheAssignmentAsksForIt() throws IOException {
        RunningStreams streams = streams();
        streams.start(socket("plain", 0, serve("a\nb\n")));
        streams.start(socket("logged", 0, serve("c\nd\n")).toBuilder().setWriteAheadLog(true).build());
        await(WAIT, "both sockets' records", () -> reportedRecords("plain").size() == 2
                && reportedRecords("logged").size() == 2);
        for (Block b : reported) {
            assertEquals(b.job().equals("logged"), Files.exists(wal.fileOf(b.job(), 0, b.id())), b.toString());
        }
    }

    @Test
    void throttlesASocketSourceToItsRate() throws IOException {
        RunningStreams streams = streams();
        StringBuilder text = new StringBuilder();
        List<Object> sent = new ArrayList<>();
        for (int i = 0; i < 130; i++) {
            text.append("line ").append(i).append('\n');
            sent.add("line " + i);
        }
        // A second's worth (100) passes at once; the rest waits for tokens, about 0.3 s.
        streams.start(socket("s", 0, serve(text.toString())).toBuilder().setMaxRate(100).build());
        await(WAIT, "every line", () -> reportedRecords("s").size() == 130);
        assertEquals(sent, reportedRecords("s"));
        assertTrue(throttled.get() > 0, "lines waited for the rate limit");
    }

    @Test
    void remembersARateLimitThatArrivesBeforeTheAssignmentAndTakesTheSmallerOne() {
        RunningStreams streams = streams();
        streams.handle(ReceiverCommand.newBuilder()
                .setRate(RateLimit.newBuilder().setJob("a").setNode(0).setRecordsPerSecond(50)).build());
        streams.handle(ReceiverCommand.newBuilder().setAssign(socket("a", 0).toBuilder().setMaxRate(80)).build());
        ReceiverStream s = streams.stream("a", 0).orElseThrow();
        assertEquals(50, s.rateLimit().effective());
        streams.handle(ReceiverCommand.newBuilder()
                .setRate(RateLimit.newBuilder().setJob("a").setNode(0).setRecordsPerSecond(0)).build());
        assertEquals(80, s.rateLimit().effective(), "the static limit stays");
    }

    @Test
    void dropsProcessedBlocksFromMemoryAndTheLog() throws Exception {
        RunningStreams streams = streams();
        streams.start(ReceiverAssignment.newBuilder().setJob("h").setNode(3)
                .setHttp(HttpSource.newBuilder().setPath("p")).build());
        Block b = streams.http("p").orElseThrow().generator().addAll(List.of("x")).get();
        await(WAIT, "the report", () -> reported.size() == 1);
        assertTrue(Files.exists(wal.fileOf("h", 3, b.id())), "http sources are always logged");
        assertTrue(store.get(b.id()).isPresent());

        streams.handle(ReceiverCommand.newBuilder().setProcessed(BlocksProcessed.newBuilder().setJob("h").setNode(3)
                .addBlockIds(b.id()).addBlockIds("unknown")).build());
        assertFalse(Files.exists(wal.fileOf("h", 3, b.id())));
        assertTrue(store.get(b.id()).isEmpty());
    }

    @Test
    void dropsTheReplicasKeptForPeersOfProcessedBlocks() {
        RunningStreams streams = streams();
        Block peers = new Block("peer-3-run.1", "h", 3, RecordCodec.encode(List.of("y")), 1, 0);
        replicas.put(new Replica(peers, "peer:9095"));
        replicas.put(new Replica(new Block("peer-3-run.2", "h", 3, new byte[] {0}, 1, 0), "peer:9095"));
        streams.handle(ReceiverCommand.newBuilder().setProcessed(BlocksProcessed.newBuilder().setJob("h").setNode(3)
                .addBlockIds(peers.id())).build());
        assertTrue(replicas.get(peers.id()).isEmpty());
        assertTrue(replicas.get("peer-3-run.2").isPresent(), "not processed yet");
    }

    @Test
    void refusesASecondHttpSourceOnTheSamePath() {
        RunningStreams streams = streams();
        assertTrue(streams.start(ReceiverAssignment.newBuilder().setJob("one").setNode(0)
                .setHttp(HttpSource.newBuilder().setPath("shared")).build()));
        assertFalse(streams.start(ReceiverAssignment.newBuilder().setJob("two").setNode(0)
                .setHttp(HttpSource.newBuilder().setPath("shared")).build()));
        assertFalse(streams.start(ReceiverAssignment.newBuilder().setJob("three").setNode(0)
                .setHttp(HttpSource.newBuilder().setPath("../etc")).build()));
        assertEquals("one", streams.http("shared").orElseThrow().job());
    }

    @Test
    void runsCustomReceiversWhoseDefinitionChecksOut() {
        RunningStreams streams = streams();
        assertFalse(streams.start(custom("bad", "other")));
        assertTrue(streams.start(custom("good", "good")));
        assertFalse(streams.start(custom("good", "good")), "already running");
        await(WAIT, "the stored record", () -> reportedRecords("good").size() == 1);
        assertEquals(List.of("custom good"), reportedRecords("good"));
        assertEquals(1, customReceivers.size());
        assertTrue(streams.stream("bad", 0).isEmpty());
    }

    @Test
    void blocksAreAtMostHalfABatchLong() {
        RunningStreams.Settings settings = new RunningStreams.Settings(Duration.ofMillis(200), 100, 4, BlockGenerator.DEFAULT_MAX_BLOCK_BYTES, Duration.ofSeconds(1));
        assertEquals(Duration.ofMillis(200), settings.blockIntervalFor(1000));
        assertEquals(Duration.ofMillis(50), settings.blockIntervalFor(100));
        assertEquals(Duration.ofMillis(10), settings.blockIntervalFor(15));
        assertEquals(Duration.ofMillis(200), settings.blockIntervalFor(0));
    }
}
