package dev.sluice.receiver;

import dev.sluice.api.Receiver;
import dev.sluice.protocol.BlocksProcessed;
import dev.sluice.protocol.RateLimit;
import dev.sluice.protocol.ReceiverAssignment;
import dev.sluice.protocol.ReceiverCommand;
import dev.sluice.protocol.RunningSource;
import dev.sluice.protocol.SocketSource;
import dev.sluice.receiver.block.BlockGenerator;
import dev.sluice.receiver.block.BlockIds;
import dev.sluice.receiver.block.BlockReporter;
import dev.sluice.receiver.block.DurableCopy;
import dev.sluice.receiver.block.ReceivedBlockStore;
import dev.sluice.receiver.custom.ReceiverDefinitionException;
import dev.sluice.receiver.custom.ReceiverResolver;
import dev.sluice.receiver.custom.ReceiverSupervisor;
import dev.sluice.receiver.rate.SourceRateLimit;
import dev.sluice.receiver.rate.TokenBucket;
import dev.sluice.receiver.replica.ReplicaStore;
import dev.sluice.receiver.source.SocketTextSource;
import dev.sluice.receiver.wal.WriteAheadLog;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * The receiver streams this receiver runs, one per assigned (job, source node): a source
 * feeding a {@link BlockGenerator}. It carries out the coordinator's commands:
 * <ul>
 * <li>{@code assign} starts the stream, unless one for its (job, node) runs already (the
 * coordinator may repeat itself, for instance after a re-attach; a repeated assignment only
 * updates the static rate limit);</li>
 * <li>{@code rate} sets a source's backpressure rate limit (remembered if it arrives before
 * the assignment);</li>
 * <li>{@code processed} drops blocks from memory and from the write-ahead log, and the
 * replicas of them kept for peers.</li>
 * </ul>
 *
 * <p>A stream's blocks get a durable copy — in the write-ahead log, or as a replica on a peer,
 * as {@code sluice.receiver.durability} says — when its assignment asks for the write-ahead
 * log; an HTTP stream's always do, since a post is acknowledged only once its records are
 * durable. With durability {@code none}, no copy is made even then (a warning says so).
 */
public final class RunningStreams {

    private static final Logger LOG = Logger.getLogger(RunningStreams.class);
    /** As {@code httpStream} requires. */
    private static final Pattern HTTP_PATH = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Duration RECEIVER_STOP_WAIT = Duration.ofSeconds(5);

    /**
     * How streams are made.
     *
     * @param blockInterval    how often blocks are cut
     * @param maxLineLength    the longest socket line, in chars
     * @param maxPendingBlocks how many cut blocks of a stream may wait to be reported
     * @param maxBlockBytes    the most bytes of records a block holds; a fuller one is cut at once
     * @param restartDelay     how long a restarting custom receiver stays stopped
     */
    public record Settings(Duration blockInterval, int maxLineLength, int maxPendingBlocks, int maxBlockBytes,
                           Duration restartDelay) {

        /**
         * The block interval for a job with batches of {@code batchIntervalMs} (0 when not
         * known): the configured one, or half a batch if that is shorter (at least 10 ms), so
         * that short batches each get blocks of their own.
         */
        Duration blockIntervalFor(long batchIntervalMs) {
            if (batchIntervalMs <= 0) {
                return blockInterval;
            }
            Duration half = Duration.ofMillis(Math.max(10, batchIntervalMs / 2));
            return half.compareTo(blockInterval) < 0 ? half : blockInterval;
        }
    }

    private record Key(String job, int node) {
    }

    private final Settings settings;
    private final BlockIds ids;
    private final ReceivedBlockStore store;
    private final BlockReporter reporter;
    private final WriteAheadLog wal;
    private final DurableCopy durable;
    private final ReplicaStore replicas;
    private final BiFunction<String, Integer, StreamCounters> countersFor;
    private final ReceiverResolver receivers;
    private final Clock clock;
    private final Map<Key, ReceiverStream> streams = new HashMap<>();
    private final Map<String, ReceiverStream> byPath = new HashMap<>();
    /** The latest backpressure rate of every source, also of those not (yet) running here. */
    private final Map<Key, Double> rates = new HashMap<>();
    private boolean stopped;

    /**
     * Streams made with {@code settings} that store blocks in {@code store}, make a
     * {@code durable} copy of them when their assignment asks for the write-ahead log
     * ({@code null}: never) and report them with {@code reporter}; processed blocks also leave
     * {@code wal} and {@code replicas}. {@code countersFor} gives the counters of a (job, node),
     * {@code receivers} the receiver of a custom source.
     */
    public RunningStreams(Settings settings, BlockIds ids, ReceivedBlockStore store, BlockReporter reporter,
            WriteAheadLog wal, DurableCopy durable, ReplicaStore replicas,
            BiFunction<String, Integer, StreamCounters> countersFor, ReceiverResolver receivers, Clock clock) {
        this.settings = settings;
        this.ids = ids;
        this.store = store;
        this.reporter = reporter;
        this.wal = wal;
        this.durable = durable;
        this.replicas = replicas;
        this.countersFor = countersFor;
        this.receivers = receivers;
        this.clock = clock;
    }

    /** Carries out one command of the coordinator. */
    public void handle(ReceiverCommand command) {
        switch (command.getKindCase()) {
            case ASSIGN -> start(command.getAssign());
            case RATE -> rate(command.getRate());
            case PROCESSED -> processed(command.getProcessed());
            case UNASSIGN -> stopJob(command.getUnassign().getJob());
            default -> LOG.warnf("ignoring a command of a kind this receiver does not know (%s):"
                    + " the coordinator is newer than the receiver", command.getKindCase());
        }
    }

    /**
     * Starts the stream {@code assignment} describes, unless one for its (job, node) runs
     * already; returns whether it started one.
     */
    public boolean start(ReceiverAssignment assignment) {
        Key key = new Key(assignment.getJob(), assignment.getNode());
        Receiver<Object> receiver = null;
        if (assignment.getSourceCase() == ReceiverAssignment.SourceCase.CUSTOM) {
            if (alreadyRunning(key, assignment)) {
                return false;
            }
            // Defining the job runs user code: not while holding the lock HTTP requests look streams up with.
            try {
                receiver = receivers.resolve(key.job(), key.node(), assignment.getCustom().getDefinition());
            } catch (ReceiverDefinitionException e) {
                LOG.errorf("job %s node %d: not starting its custom receiver: %s", key.job(), key.node(),
                        e.getMessage());
                return false;
            }
        }
        synchronized (this) {
            if (alreadyRunning(key, assignment)) {
                return false;
            }
            Receiver<Object> custom = receiver;
            ReceiverStream stream = switch (assignment.getSourceCase()) {
                case SOCKET -> socket(key, assignment);
                case HTTP -> http(key, assignment);
                case CUSTOM -> custom(key, assignment, custom);
                default -> {
                    LOG.warnf("job %s node %d: source kind %s is not supported by this receiver; ignored",
                            key.job(), key.node(), assignment.getSourceCase());
                    yield null;
                }
            };
            if (stream == null) {
                return false;
            }
            streams.put(key, stream);
            LOG.infof("started %s for job %s node %d%s%s", stream.description(), key.job(), key.node(),
                    stream.generator().durable() ? ", copied to " + durable.describe() : "",
                    stream.rateLimit().effective() > 0
                            ? ", limited to " + stream.rateLimit().effective() + " records/s" : "");
            return true;
        }
    }

    /**
     * Whether the receiver is stopped or the stream of {@code key} runs already; a repeated
     * assignment still updates the static rate limit.
     */
    private synchronized boolean alreadyRunning(Key key, ReceiverAssignment assignment) {
        if (stopped) {
            return true;
        }
        ReceiverStream running = streams.get(key);
        if (running == null) {
            return false;
        }
        LOG.debugf("job %s node %d runs already", key.job(), key.node());
        running.rateLimit().maxRate(assignment.getMaxRate());
        return true;
    }

    /** Sets the backpressure rate limit of a source; remembered until the source is assigned. */
    public void rate(RateLimit limit) {
        Key key = new Key(limit.getJob(), limit.getNode());
        ReceiverStream stream;
        synchronized (this) {
            rates.put(key, limit.getRecordsPerSecond());
            stream = streams.get(key);
        }
        LOG.debugf("job %s node %d: rate limit %.1f records/s%s", key.job(), key.node(), limit.getRecordsPerSecond(),
                stream == null ? " (not running here)" : "");
        if (stream != null) {
            stream.rateLimit().backpressure(limit.getRecordsPerSecond());
        }
    }

    /**
     * Drops processed blocks from memory, the write-ahead log and the replicas kept for peers;
     * returns how many were held.
     */
    public int processed(BlocksProcessed processed) {
        int dropped = 0;
        for (String id : processed.getBlockIdsList()) {
            boolean inMemory = store.remove(id);
            boolean logged = wal != null && wal.delete(processed.getJob(), processed.getNode(), id);
            boolean replica = replicas != null && replicas.remove(id);
            if (inMemory || logged || replica) {
                dropped++;
            }
        }
        LOG.debugf("job %s node %d: %d of %d processed blocks were held here", processed.getJob(),
                processed.getNode(), dropped, processed.getBlockIdsCount());
        return dropped;
    }

    /** The HTTP stream that ingests {@code path}, if one is assigned to this receiver. */
    public synchronized Optional<ReceiverStream> http(String path) {
        return Optional.ofNullable(byPath.get(path));
    }

    /** The stream of {@code job}'s node {@code node}, if it runs here. */
    public synchronized Optional<ReceiverStream> stream(String job, int node) {
        return Optional.ofNullable(streams.get(new Key(job, node)));
    }

    /** Whether {@link #stopAll()} was called: the receiver is shutting down. */
    public synchronized boolean isStopped() {
        return stopped;
    }

    /** The (job, node) of every stream that runs, for the coordinator to leave them here. */
    public synchronized List<RunningSource> running() {
        return streams.keySet().stream()
                .map(k -> RunningSource.newBuilder().setJob(k.job()).setNode(k.node()).build())
                .toList();
    }

    /** How many streams run. */
    public synchronized int size() {
        return streams.size();
    }

    /** Stops the streams of {@code job} (it stopped); returns how many ran. Later assignments start them again. */
    public int stopJob(String job) {
        List<ReceiverStream> toStop = new ArrayList<>();
        synchronized (this) {
            streams.entrySet().removeIf(e -> {
                if (e.getKey().job().equals(job)) {
                    toStop.add(e.getValue());
                    return true;
                }
                return false;
            });
            byPath.values().removeIf(toStop::contains);
        }
        for (ReceiverStream s : toStop) {
            try {
                s.stop();
            } catch (RuntimeException e) {
                LOG.errorf(e, "stopping %s failed", s);
            }
        }
        if (!toStop.isEmpty()) {
            LOG.infof("job %s stopped: stopped its %d sources here", job, toStop.size());
        }
        return toStop.size();
    }

    /** Stops every stream; later assignments are ignored. */
    public void stopAll() {
        List<ReceiverStream> toStop;
        synchronized (this) {
            stopped = true;
            toStop = new ArrayList<>(streams.values());
            streams.clear();
            byPath.clear();
        }
        for (ReceiverStream s : toStop) {
            try {
                s.stop();
            } catch (RuntimeException e) {
                LOG.errorf(e, "stopping %s failed", s);
            }
        }
    }

    private ReceiverStream socket(Key key, ReceiverAssignment assignment) {
        SocketSource socket = assignment.getSocket();
        ReceiverStream stream = newStream(key, assignment, ReceiverStream.Kind.SOCKET,
                "socket source " + socket.getHost() + ":" + socket.getPort(), assignment.getWriteAheadLog(), null);
        TokenBucket bucket = stream.rateLimit().bucket();
        StreamCounters counters = stream.counters();
        BlockGenerator generator = stream.generator();
        SocketTextSource source = new SocketTextSource(key.job() + "-" + key.node(), socket.getHost(),
                socket.getPort(), settings.maxLineLength(), lines -> {
                    // Waiting here stops the reading, and TCP flow control slows the sender down.
                    for (int from = 0, n = lines.count(); from < n; ) {
                        int to = (int) Math.min(n, from + bucket.pacingStep());
                        throttle(bucket, counters, to - from);
                        generator.addLines(lines, from, to);
                        from = to;
                    }
                }, counters);
        stream.onStop(source::stop);
        generator.start();
        source.start();
        return stream;
    }

    private ReceiverStream http(Key key, ReceiverAssignment assignment) {
        String path = assignment.getHttp().getPath();
        if (!HTTP_PATH.matcher(path).matches()) {
            LOG.errorf("job %s node %d: the http source path '%s' is not 1 to 64 letters, digits, '-' or '_';"
                    + " not started", key.job(), key.node(), path);
            return null;
        }
        ReceiverStream owner = byPath.get(path);
        if (owner != null) {
            LOG.errorf("job %s node %d: the http source path '%s' is taken by job %s node %d on this receiver;"
                    + " not started", key.job(), key.node(), path, owner.job(), owner.node());
            return null;
        }
        if (!assignment.getWriteAheadLog()) {
            LOG.infof("job %s node %d: http sources always get a durable copy, although the assignment"
                    + " does not ask for the write-ahead log", key.job(), key.node());
        }
        ReceiverStream stream = newStream(key, assignment, ReceiverStream.Kind.HTTP,
                "http source /api/ingest/" + path, true, path);
        byPath.put(path, stream);
        stream.generator().start();
        return stream;
    }

    private ReceiverStream custom(Key key, ReceiverAssignment assignment, Receiver<Object> receiver) {
        ReceiverStream stream = newStream(key, assignment, ReceiverStream.Kind.CUSTOM,
                "custom receiver " + receiver.getClass().getName(), assignment.getWriteAheadLog(), null);
        ReceiverSupervisor supervisor = new ReceiverSupervisor("job " + key.job() + " node " + key.node(), receiver,
                stream.generator()::add, stream.rateLimit().bucket(), stream.counters(), settings.restartDelay());
        stream.onStop(() -> {
            supervisor.stop("the receiver process is shutting down", null);
            try {
                if (!supervisor.awaitStopped(RECEIVER_STOP_WAIT)) {
                    LOG.warnf("the custom receiver of job %s node %d did not stop within %s", key.job(), key.node(),
                            RECEIVER_STOP_WAIT);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        stream.generator().start();
        supervisor.start();
        return stream;
    }

    private ReceiverStream newStream(Key key, ReceiverAssignment assignment, ReceiverStream.Kind kind,
            String description, boolean wantsCopy, String path) {
        StreamCounters counters = countersFor.apply(key.job(), key.node());
        SourceRateLimit rateLimit = new SourceRateLimit(new TokenBucket(), assignment.getMaxRate(),
                rates.getOrDefault(key, 0.0), counters::rateLimit);
        if (wantsCopy && durable == null) {
            LOG.warnf("job %s node %d asks for durable blocks (write-ahead log), but sluice.receiver.durability"
                    + " is none: its blocks get no copy, and what this receiver holds is lost if it dies",
                    key.job(), key.node());
        }
        BlockGenerator generator = new BlockGenerator(key.job(), key.node(),
                settings.blockIntervalFor(assignment.getBatchIntervalMs()),
                settings.maxPendingBlocks(), settings.maxBlockBytes(), wantsCopy ? durable : null, ids, store, reporter,
                counters, clock);
        return new ReceiverStream(key.job(), key.node(), kind, description, generator, rateLimit, counters, path);
    }

    private static void throttle(TokenBucket bucket, StreamCounters counters, int records) {
        try {
            long waited = bucket.acquire(records);
            if (waited > 0) {
                counters.throttled(records, waited);
            }
        } catch (InterruptedException e) {
            // The source is stopping; the line is kept all the same.
            Thread.currentThread().interrupt();
        }
    }
}
