package dev.sluice.receiver.ingest;

import dev.sluice.engine.codec.RecordCodec;
import dev.sluice.protocol.HttpSource;
import dev.sluice.protocol.RateLimit;
import dev.sluice.protocol.ReceiverAssignment;
import dev.sluice.protocol.ReceiverCommand;
import dev.sluice.receiver.RunningStreams;
import dev.sluice.receiver.StreamCounters;
import dev.sluice.receiver.block.Block;
import dev.sluice.receiver.block.BlockGenerator;
import dev.sluice.receiver.block.BlockIds;
import dev.sluice.receiver.block.BlockReporter;
import dev.sluice.receiver.block.ReceivedBlockStore;
import dev.sluice.receiver.custom.ReceiverDefinitionException;
import dev.sluice.receiver.wal.WalCopy;
import dev.sluice.receiver.wal.WalFormat;
import dev.sluice.receiver.wal.WriteAheadLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.sluice.receiver.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpIngestTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path walDir;

    private final ReceivedBlockStore store = new ReceivedBlockStore(Duration.ofMinutes(2), Clock.systemUTC());
    private final List<Block> reported = new CopyOnWriteArrayList<>();
    private final AtomicBoolean coordinatorUp = new AtomicBoolean(true);
    private final AtomicInteger reportAttempts = new AtomicInteger();
    private WriteAheadLog wal;
    private RunningStreams streams;
    private HttpIngest ingest;

    @BeforeEach
    void assignAnHttpSource() {
        wal = new WriteAheadLog(walDir);
        BlockReporter reporter = block -> {
            reportAttempts.incrementAndGet();
            if (!coordinatorUp.get()) {
                throw new IllegalStateException("coordinator down");
            }
            reported.add(block);
            return BlockReporter.Outcome.ACCEPTED;
        };
        streams = new RunningStreams(new RunningStreams.Settings(Duration.ofMillis(20), 50, 2, BlockGenerator.DEFAULT_MAX_BLOCK_BYTES, Duration.ofMillis(10)),
                new BlockIds("r", "run"), store, reporter, wal, new WalCopy(wal), null, (job, node) -> StreamCounters.NONE,
                (job, node, definition) -> {
                    throw new ReceiverDefinitionException("none");
                }, Clock.systemUTC());
        streams.handle(ReceiverCommand.newBuilder().setAssign(ReceiverAssignment.newBuilder().setJob("j").setNode(1)
                .setHttp(HttpSource.newBuilder().setPath("events")).setWriteAheadLog(true)).build());
        ingest = new HttpIngest(streams, "r", 1000, 50);
    }

    @AfterEach
    void stop() {
        streams.stopAll();
    }

    private HttpIngest.Outcome post(String path, byte[] body) throws Exception {
        return ingest.ingest(path, body).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private HttpIngest.Outcome post(String body) throws Exception {
        return post("events", body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void acceptsOnceTheBlockHoldingTheRecordsIsLogged() throws Exception {
        HttpIngest.Accepted a = assertInstanceOf(HttpIngest.Accepted.class, post("one\r\ntwo\n"));
        assertEquals(2, a.records());
        Path file = wal.fileOf("j", 1, a.blockId());
        assertTrue(Files.exists(file), "logged before the answer");
        Block logged = WalFormat.decode(Files.readAllBytes(file));
        assertEquals(List.of("one", "two"), RecordCodec.decode(logged.data()));
        await(WAIT, "the report", () -> reported.stream().anyMatch(b -> b.id().equals(a.blockId())));
    }

    @Test
    void refusesUnknownPathsLargeBodiesLongLinesAndInvalidUtf8StoringNothing() throws Exception {
        HttpIngest.Refused notFound = assertInstanceOf(HttpIngest.Refused.class, post("nope", new byte[] {'a'}));
        assertEquals(404, notFound.status());
        assertTrue(notFound.detail().contains("'nope'"), notFound.detail());

        HttpIngest.Refused large = assertInstanceOf(HttpIngest.Refused.class, post("events", new byte[1001]));
        assertEquals(413, large.status());
        HttpIngest.Refused longLine = assertInstanceOf(HttpIngest.Refused.class, post("ok\n" + "x".repeat(51)));
        assertEquals(413, longLine.status());
        assertTrue(longLine.detail().contains("line 2"), longLine.detail());
        HttpIngest.Refused bad = assertInstanceOf(HttpIngest.Refused.class,
                post("events", new byte[] {'o', 'k', '\n', (byte) 0xFF}));
        assertEquals(400, bad.status());
        assertTrue(bad.detail().contains("byte offset 3"), bad.detail());

        HttpIngest.Accepted later = assertInstanceOf(HttpIngest.Accepted.class, post("only"));
        await(WAIT, "the report", () -> reported.size() == 1);
        assertEquals(List.of("only"), RecordCodec.decode(reported.get(0).data()), "nothing of the refused posts");
        assertEquals(later.blockId(), reported.get(0).id());
        assertEquals(1, wal.size());
    }

    @Test
    void answersAnEmptyBodyWithNoBlock() throws Exception {
        assertEquals(new HttpIngest.Accepted(0, null), post(""));
    }

    @Test
    void refusesWhatTheRateLimitDoesNotAdmit() throws Exception {
        streams.handle(ReceiverCommand.newBuilder()
                .setRate(RateLimit.newBuilder().setJob("j").setNode(1).setRecordsPerSecond(10)).build());
        assertInstanceOf(HttpIngest.Accepted.class, post("a\nb\nc\nd\ne"));
        String hundred = String.join("\n", java.util.Collections.nCopies(100, "x"));
        HttpIngest.Refused refused = assertInstanceOf(HttpIngest.Refused.class, post(hundred));
        assertEquals(503, refused.status());
        assertTrue(refused.retryAfterSeconds() >= 1);
        assertTrue(refused.detail().contains("smaller"), refused.detail());

        streams.handle(ReceiverCommand.newBuilder()
                .setRate(RateLimit.newBuilder().setJob("j").setNode(1).setRecordsPerSecond(0)).build());
        assertInstanceOf(HttpIngest.Accepted.class, post(hundred));
    }

    @Test
    void refusesWhileTooManyBlocksWaitToBeReported() throws Exception {
        coordinatorUp.set(false);
        // The pusher holds the first block, retrying; two more fill the queue of two.
        BlockGenerator generator = streams.http("events").orElseThrow().generator();
        assertInstanceOf(HttpIngest.Accepted.class, post("1"));
        await(WAIT, "the pusher to try the first block", () -> reportAttempts.get() > 0);
        assertInstanceOf(HttpIngest.Accepted.class, post("2"));
        // A post is answered once its block is logged, just before the block is queued.
        await(WAIT, "the second block queued", () -> generator.pendingBlocks() == 1);
        assertInstanceOf(HttpIngest.Accepted.class, post("3"));
        await(WAIT, "the third block queued", () -> generator.pendingBlocks() == 2);
        HttpIngest.Refused refused = assertInstanceOf(HttpIngest.Refused.class, post("4"));
        assertEquals(503, refused.status());
        assertEquals(1, refused.retryAfterSeconds());

        coordinatorUp.set(true);
        await(WAIT, "the waiting blocks reported", () -> reported.size() == 3);
        assertInstanceOf(HttpIngest.Accepted.class, post("4"));
    }
}
