package dev.sluice.receiver.block;

import dev.sluice.engine.codec.RecordCodec;
import dev.sluice.receiver.StreamCounters;
import dev.sluice.receiver.wal.WalCopy;
import dev.sluice.receiver.wal.WalFormat;
import dev.sluice.receiver.wal.WriteAheadLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static dev.sluice.receiver.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BlockGeneratorTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    /** So long that only the test's own cut() calls cut blocks. */
    private static final Duration NEVER = Duration.ofHours(1);

    private final ReceivedBlockStore store = new ReceivedBlockStore(Duration.ofMinutes(2), Clock.systemUTC());
    private final List<Block> accepted = new CopyOnWriteArrayList<>();
    private final List<String> attempts = new CopyOnWriteArrayList<>();
    /** Blocks reported while not in the store; asserted empty after each test. */
    private final List<String> reportedUnstored = new CopyOnWriteArrayList<>();
    private final AtomicLong countedRecords = new AtomicLong();
    private final AtomicLong countedBlocks = new AtomicLong();
    private BlockGenerator generator;

    private final StreamCounters counters = new StreamCounters() {
        @Override
        public void blockCut(long records) {
            countedRecords.addAndGet(records);
            countedBlocks.incrementAndGet();
        }

        @Override
        public void lineRejected() {
        }
    };

    @AfterEach
    void stop() {
        if (generator != null) {
            generator.stop();
        }
        assertEquals(List.of(), reportedUnstored, "blocks reported before they were stored");
    }

    private void checkStored(Block block) {
        if (store.get(block.id()).isEmpty()) {
            reportedUnstored.add(block.id());
        }
    }

    /** A reporter that accepts everything, checking first that the block is already stored. */
    private BlockReporter accepting() {
        return block -> {
            attempts.add(block.id());
            checkStored(block);
            accepted.add(block);
            return BlockReporter.Outcome.ACCEPTED;
        };
    }

    private BlockGenerator generator(Duration interval, BlockReporter reporter) {
        generator = new BlockGenerator("job", 3, interval, new BlockIds("r1", "run"), store, reporter, counters,
                Clock.systemUTC());
        generator.start();
        return generator;
    }

    private static List<Object> decode(List<Block> blocks) {
        List<Object> out = new ArrayList<>();
        for (Block b : blocks) {
            List<Object> records = RecordCodec.decode(b.data());
            assertEquals(b.records(), records.size(), "record count of " + b.id());
            out.addAll(records);
        }
        return out;
    }

    @Test
    void cutsTheBufferEveryInterval() {
        BlockGenerator g = generator(Duration.ofMillis(20), accepting());
        g.add("a");
        g.add("b");
        await(WAIT, "the first block", () -> accepted.size() >= 1);
        int afterFirst = accepted.size();
        g.add("c");
        await(WAIT, "a block holding c", () -> decode(accepted).size() == 3);

        assertEquals(List.of("a", "b", "c"), decode(accepted));
        assertTrue(accepted.size() > afterFirst, "c arrived after a cut, so it is in a later block");
        Block last = accepted.get(accepted.size() - 1);
        assertEquals("job", last.job());
        assertEquals(3, last.node());
        assertTrue(last.id().startsWith("r1-3-run."), last.id());
        assertEquals(3, countedRecords.get());
        assertEquals(accepted.size(), countedBlocks.get());
    }

    @Test
    void aBlockThatReachesTheSizeLimitIsCutAtOnce() {
        AtomicLong full = new AtomicLong();
        StreamCounters countingFull = new StreamCounters() {
            @Override
            public void blockCut(long records) {
                countedBlocks.incrementAndGet();
            }

            @Override
            public void lineRejected() {
            }

            @Override
            public void blockFull() {
                full.incrementAndGet();
            }
        };
        generator = new BlockGenerator("job", 3, NEVER, BlockGenerator.DEFAULT_MAX_PENDING_BLOCKS, 100, null,
                new BlockIds("r1", "run"), store, accepting(), countingFull, Clock.systemUTC());
        generator.start();
        List<Object> sent = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String record = "record-" + i + "-" + "x".repeat(i);
            generator.add(record);
            sent.add(record);
        }
        // No interval ends: every block was cut for its size, each holding at most 100 bytes and one record more.
        await(WAIT, "the full blocks", () -> accepted.size() == full.get() && full.get() > 0);
        assertTrue(full.get() >= 5, full.get() + " full blocks");
        for (Block b : accepted) {
            List<Object> records = RecordCodec.decode(b.data());
            int withoutLast = b.data().length - RecordCodec.encode(records.subList(records.size() - 1, records.size())).length;
            assertTrue(withoutLast < 100, b.id() + " held " + withoutLast + " bytes before its last record");
        }
        List<Object> cut = decode(accepted);
        assertEquals(sent.subList(0, cut.size()), cut, "full blocks hold the records in order");
    }

    @Test
    void cutsNothingFromAnEmptyBuffer() throws InterruptedException {
        BlockGenerator g = generator(NEVER, accepting());
        g.cut();
        g.add("x");
        g.cut();
        g.cut();
        await(WAIT, "one block", () -> accepted.size() == 1);
        assertEquals(1, countedBlocks.get());
        assertEquals(List.of("x"), decode(accepted));
    }

    @Test
    void reportsBlocksInTheOrderTheyWereCut() throws InterruptedException {
        BlockGenerator g = generator(NEVER, accepting());
        List<String> sent = new ArrayList<>();
        for (int block = 0; block < 20; block++) {
            for (int i = 0; i < 50; i++) {
                String line = "line " + block + "/" + i;
                sent.add(line);
                g.add(line);
            }
            g.cut();
        }
        await(WAIT, "20 blocks", () -> accepted.size() == 20);

        assertEquals(sent, decode(accepted));
        long previous = 0;
        for (Block b : accepted) {
            long seq = Long.parseLong(b.id().substring(b.id().lastIndexOf('.') + 1));
            assertTrue(seq > previous, "ids grow in cut order: " + b.id());
            previous = seq;
        }
    }

    @Test
    void losesNoRecordWhenReportingFailsThenSucceeds() throws InterruptedException {
        AtomicInteger calls = new AtomicInteger();
        BlockReporter flaky = block -> {
            int n = calls.incrementAndGet();
            attempts.add(block.id());
            checkStored(block);
            if (n <= 2) {
                throw new IllegalStateException("coordinator unreachable");
            }
            if (n == 3) {
                throw new IllegalStateException("not accepted: coordinator recovering");
            }
            accepted.add(block);
            return BlockReporter.Outcome.ACCEPTED;
        };
        BlockGenerator g = generator(NEVER, flaky);
        List<String> sent = new ArrayList<>();
        for (int block = 0; block < 3; block++) {
            for (int i = 0; i < 10; i++) {
                String line = block + ":" + i;
                sent.add(line);
                g.add(line);
            }
            g.cut();
        }
        await(WAIT, "all three blocks accepted", () -> accepted.size() == 3);

        assertEquals(sent, decode(accepted));
        String first = accepted.get(0).id();
        assertEquals(List.of(first, first, first, first), attempts.subList(0, 4),
                "the first block is retried until accepted before any later block is reported");
        assertEquals(6, attempts.size());
    }

    @Test
    void slowsTheSourceDownInsteadOfDroppingWhenReportsKeepFailing() throws InterruptedException {
        AtomicBoolean coordinatorUp = new AtomicBoolean(false);
        BlockReporter reporter = block -> {
            checkStored(block);
            if (!coordinatorUp.get()) {
                throw new IllegalStateException("coordinator down");
            }
            accepted.add(block);
            return BlockReporter.Outcome.ACCEPTED;
        };
        BlockGenerator g = generator(NEVER, reporter);
        List<String> sent = new ArrayList<>();
        // One block is being retried by the pusher; MAX_PENDING_BLOCKS more fill the queue.
        for (int i = 0; i <= BlockGenerator.DEFAULT_MAX_PENDING_BLOCKS; i++) {
            sent.add("r" + i);
            g.add("r" + i);
            g.cut();
            if (i == 0) {
                await(WAIT, "the pusher to take the first block", () -> g.pendingBlocks() == 0);
            }
        }
        assertEquals(BlockGenerator.DEFAULT_MAX_PENDING_BLOCKS, g.pendingBlocks());

        sent.add("overflow");
        g.add("overflow");
        Thread cutter = new Thread(() -> {
            try {
                g.cut();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        cutter.start();
        Thread adder = new Thread(() -> g.add("held back"));
        await(WAIT, "the cut to wait for room", () -> cutter.getState() == Thread.State.WAITING);
        adder.start();
        await(WAIT, "the add to wait for the cut", () -> adder.getState() == Thread.State.BLOCKED);
        assertTrue(accepted.isEmpty());
        assertFalse(sent.contains("held back"));

        coordinatorUp.set(true);
        cutter.join(WAIT.toMillis());
        adder.join(WAIT.toMillis());
        sent.add("held back");
        g.cut();
        await(WAIT, "every record reported", () -> decode(accepted).size() == sent.size());
        assertEquals(sent, decode(accepted));
    }

    @TempDir
    Path walDir;

    private BlockGenerator logged(WriteAheadLog wal, BlockReporter reporter) {
        generator = new BlockGenerator("job", 3, NEVER, BlockGenerator.DEFAULT_MAX_PENDING_BLOCKS,
                BlockGenerator.DEFAULT_MAX_BLOCK_BYTES, new WalCopy(wal),
                new BlockIds("r1", "run"), store, reporter, counters, Clock.systemUTC());
        generator.start();
        return generator;
    }

    @Test
    void writesEveryBlockToTheLogBeforeReportingIt() throws Exception {
        WriteAheadLog wal = new WriteAheadLog(walDir);
        List<String> unlogged = new CopyOnWriteArrayList<>();
        BlockGenerator g = logged(wal, block -> {
            if (!Files.exists(wal.fileOf(block.job(), block.node(), block.id()))) {
                unlogged.add(block.id());
            }
            accepted.add(block);
            return BlockReporter.Outcome.ACCEPTED;
        });
        g.add("a");
        g.add("b");
        g.cut();
        await(WAIT, "the block", () -> accepted.size() == 1);
        assertEquals(List.of(), unlogged, "reported before they were logged");
        Block b = accepted.get(0);
        Block fromLog = WalFormat.decode(Files.readAllBytes(wal.fileOf("job", 3, b.id())));
        assertEquals(List.of("a", "b"), RecordCodec.decode(fromLog.data()));
        assertEquals(2, fromLog.records());
        assertEquals(b.receivedAtMs(), fromLog.receivedAtMs());
    }

    @Test
    void completesAddAllOnceItsBlockIsLoggedWithEveryRecordInOneBlock() throws Exception {
        WriteAheadLog wal = new WriteAheadLog(walDir);
        BlockGenerator g = logged(wal, accepting());
        g.add("before");
        CompletableFuture<Block> first = g.addAll(List.of("p1", "p2", "p3"));
        CompletableFuture<Block> second = g.addAll(List.of("q1"));
        assertFalse(first.isDone(), "nothing is acknowledged before the cut");
        g.cut();
        Block block = first.get(10, TimeUnit.SECONDS);
        assertEquals(block, second.get(10, TimeUnit.SECONDS), "requests since the last cut share its block");
        assertTrue(Files.exists(wal.fileOf("job", 3, block.id())));
        assertEquals(List.of("before", "p1", "p2", "p3", "q1"), RecordCodec.decode(block.data()));

        CompletableFuture<Block> later = g.addAll(List.of("r"));
        g.cut();
        assertFalse(later.get(10, TimeUnit.SECONDS).id().equals(block.id()), "a later request is in a later block");
    }

    @Test
    void failsTheWaitingRequestsAndDropsTheBlockWhenTheLogCannotBeWritten() throws Exception {
        Path notADirectory = Files.writeString(walDir.resolve("file"), "x");
        WriteAheadLog wal = new WriteAheadLog(notADirectory.resolve("wal"));
        BlockGenerator g = logged(wal, accepting());
        CompletableFuture<Block> request = g.addAll(List.of("a", "b"));
        g.cut();
        ExecutionException e = assertThrows(ExecutionException.class, () -> request.get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof IOException, e.toString());
        Thread.sleep(50);
        assertTrue(accepted.isEmpty(), "an unlogged block of unacknowledged records is not reported");
    }

    @Test
    void dropsABlockTheCoordinatorSaysIsAlreadyProcessed() throws Exception {
        WriteAheadLog wal = new WriteAheadLog(walDir);
        List<Block> reported = new CopyOnWriteArrayList<>();
        BlockGenerator g = logged(wal, block -> {
            reported.add(block);
            return BlockReporter.Outcome.ALREADY_PROCESSED;
        });
        g.add("x");
        g.cut();
        await(WAIT, "the report", () -> reported.size() == 1);
        Block b = reported.get(0);
        await(WAIT, "the block to be dropped", () -> store.get(b.id()).isEmpty()
                && !Files.exists(wal.fileOf("job", 3, b.id())));
        assertEquals(0, wal.size());
    }

    @Test
    void refusesARecordTheCodecCannotEncodeWithoutDamagingTheBlock() throws Exception {
        BlockGenerator g = generator(NEVER, accepting());
        g.add(7L);
        assertThrows(IllegalArgumentException.class, () -> g.add(new Object()));
        assertThrows(IllegalArgumentException.class, () -> g.add(List.of("fine", new Object())));
        g.add(Map.of("k", 1));
        g.cut();
        await(WAIT, "the block", () -> accepted.size() == 1);
        assertEquals(List.of(7L, Map.of("k", 1)), decode(accepted));
    }

    @Test
    void logsWhatIsBufferedWhenStoppedSoThatItIsReplayedLater() throws Exception {
        WriteAheadLog wal = new WriteAheadLog(walDir);
        BlockGenerator g = logged(wal, accepting());
        CompletableFuture<Block> request = g.addAll(List.of("late"));
        g.stop();
        Block b = request.get(10, TimeUnit.SECONDS);
        List<Block> recovered = new WriteAheadLog(walDir).recover();
        assertEquals(1, recovered.size());
        assertEquals(b.id(), recovered.get(0).id());
        assertEquals(List.of("late"), RecordCodec.decode(recovered.get(0).data()));
        assertThrows(IllegalStateException.class, () -> g.add("after stop"));
        assertTrue(g.addAll(List.of("after stop")).isCompletedExceptionally());
    }

    /** A copy that, like a replica, counts only once the block is reported too; it can be made to fail. */
    private static final class Replicas implements DurableCopy {
        final List<String> copied = new CopyOnWriteArrayList<>();
        final AtomicBoolean failing = new AtomicBoolean();
        final AtomicInteger failures = new AtomicInteger();

        @Override
        public void make(Block block) throws IOException {
            if (failing.get()) {
                failures.incrementAndGet();
                throw new IOException("no live peer receiver");
            }
            copied.add(block.id());
        }

        @Override
        public boolean survivesUnreported() {
            return false;
        }

        @Override
        public void drop(Block block) {
        }

        @Override
        public void countFailure(StreamCounters counters) {
            counters.replicationFailed();
        }

        @Override
        public String describe() {
            return "test replicas";
        }
    }

    private BlockGenerator replicated(Replicas replicas, BlockReporter reporter) {
        generator = new BlockGenerator("job", 3, NEVER, BlockGenerator.DEFAULT_MAX_PENDING_BLOCKS,
                BlockGenerator.DEFAULT_MAX_BLOCK_BYTES, replicas,
                new BlockIds("r1", "run"), store, reporter, counters, Clock.systemUTC());
        generator.start();
        return generator;
    }

    @Test
    void acknowledgesAReplicatedBlockOnlyOnceItIsReported() throws Exception {
        Replicas replicas = new Replicas();
        CompletableFuture<Void> coordinatorUp = new CompletableFuture<>();
        List<String> uncopied = new CopyOnWriteArrayList<>();
        BlockGenerator g = replicated(replicas, block -> {
            if (!replicas.copied.contains(block.id())) {
                uncopied.add(block.id());
            }
            coordinatorUp.join();
            accepted.add(block);
            return BlockReporter.Outcome.ACCEPTED;
        });
        CompletableFuture<Block> request = g.addAll(List.of("a", "b"));
        g.cut();
        await(WAIT, "the replica", () -> replicas.copied.size() == 1);
        Thread.sleep(100);
        assertFalse(request.isDone(), "a replica the coordinator does not know of is no reason to acknowledge");
        coordinatorUp.complete(null);
        Block block = request.get(10, TimeUnit.SECONDS);
        assertEquals(List.of(block), accepted);
        assertEquals(List.of(), uncopied, "reported before a replica was made");
    }

    @Test
    void refusesTheWaitingRequestsWhenNoReplicaCanBeMade() throws Exception {
        Replicas replicas = new Replicas();
        replicas.failing.set(true);
        BlockGenerator g = replicated(replicas, accepting());
        CompletableFuture<Block> request = g.addAll(List.of("a"));
        g.cut();
        ExecutionException e = assertThrows(ExecutionException.class, () -> request.get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("no live peer receiver"), e.toString());
        Thread.sleep(50);
        assertEquals(List.of(), accepted);
        assertEquals(0, store.size(), "a block that was not acknowledged is not kept either");
    }

    @Test
    void holdsASourcesBlockUntilAReplicaCanBeMade() throws Exception {
        Replicas replicas = new Replicas();
        replicas.failing.set(true);
        BlockGenerator g = replicated(replicas, accepting());
        g.add("line");
        Thread cutter = new Thread(() -> {
            try {
                g.cut();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        cutter.start();
        await(WAIT, "a few attempts", () -> replicas.failures.get() >= 2);
        assertEquals(List.of(), accepted);
        replicas.failing.set(false);
        cutter.join(10_000);
        await(WAIT, "the block", () -> accepted.size() == 1);
        assertEquals(List.of("line"), decode(accepted));
    }

    @Test
    void refusesWhatIsBufferedWhenStoppedIfOnlyAReportCouldMakeItDurable() throws Exception {
        Replicas replicas = new Replicas();
        BlockGenerator g = replicated(replicas, accepting());
        CompletableFuture<Block> request = g.addAll(List.of("late"));
        g.stop();
        ExecutionException e = assertThrows(ExecutionException.class, () -> request.get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof IllegalStateException, e.toString());
        assertEquals(List.of(), replicas.copied, "no replica that nobody will ever report");
    }
}
