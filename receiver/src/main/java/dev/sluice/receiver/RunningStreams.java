package dev.sluice.receiver;

import dev.sluice.protocol.ReceiverAssignment;
import dev.sluice.protocol.SocketSource;
import dev.sluice.receiver.block.BlockGenerator;
import dev.sluice.receiver.block.BlockIds;
import dev.sluice.receiver.block.BlockReporter;
import dev.sluice.receiver.block.ReceivedBlockStore;
import dev.sluice.receiver.source.SocketTextSource;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The receiver streams this receiver runs, one per assigned (job, source node): a source
 * feeding a {@link BlockGenerator}. The coordinator may send the same assignment again (for
 * instance after a re-attach); a stream already running is left as it is.
 */
public final class RunningStreams {

    private static final Logger LOG = Logger.getLogger(RunningStreams.class);

    private record Key(String job, int node) {
    }

    private record Stream(SocketTextSource source, BlockGenerator generator) {
    }

    private final Duration blockInterval;
    private final int maxLineLength;
    private final BlockIds ids;
    private final ReceivedBlockStore store;
    private final BlockReporter reporter;
    private final BiFunction<String, Integer, StreamCounters> countersFor;
    private final Clock clock;
    private final Map<Key, Stream> streams = new HashMap<>();
    private boolean stopped;

    /**
     * Streams that cut blocks every {@code blockInterval}, reject lines longer than
     * {@code maxLineLength} chars, store blocks in {@code store} and report them with
     * {@code reporter}; {@code countersFor} gives the counters of a (job, node).
     */
    public RunningStreams(Duration blockInterval, int maxLineLength, BlockIds ids, ReceivedBlockStore store,
            BlockReporter reporter, BiFunction<String, Integer, StreamCounters> countersFor, Clock clock) {
        this.blockInterval = blockInterval;
        this.maxLineLength = maxLineLength;
        this.ids = ids;
        this.store = store;
        this.reporter = reporter;
        this.countersFor = countersFor;
        this.clock = clock;
    }

    /**
     * Starts the stream {@code assignment} describes, unless one for its (job, node) runs
     * already; returns whether it started one.
     */
    public synchronized boolean start(ReceiverAssignment assignment) {
        if (stopped) {
            return false;
        }
        Key key = new Key(assignment.getJob(), assignment.getNode());
        if (streams.containsKey(key)) {
            LOG.debugf("job %s node %d runs already", key.job(), key.node());
            return false;
        }
        if (assignment.getSourceCase() != ReceiverAssignment.SourceCase.SOCKET) {
            LOG.warnf("job %s node %d: source kind %s is not supported by this receiver; ignored",
                    key.job(), key.node(), assignment.getSourceCase());
            return false;
        }
        SocketSource socket = assignment.getSocket();
        StreamCounters counters = countersFor.apply(key.job(), key.node());
        BlockGenerator generator = new BlockGenerator(key.job(), key.node(), blockInterval, ids, store, reporter,
                counters, clock);
        SocketTextSource source = new SocketTextSource(key.job() + "-" + key.node(), socket.getHost(),
                socket.getPort(), maxLineLength, generator::add, counters);
        streams.put(key, new Stream(source, generator));
        generator.start();
        source.start();
        LOG.infof("started socket source %s:%d for job %s node %d", socket.getHost(), socket.getPort(), key.job(),
                key.node());
        return true;
    }

    /** How many streams run. */
    public synchronized int size() {
        return streams.size();
    }

    /** Stops every stream; later assignments are ignored. */
    public void stopAll() {
        List<Stream> toStop;
        synchronized (this) {
            stopped = true;
            toStop = new ArrayList<>(streams.values());
            streams.clear();
        }
        for (Stream s : toStop) {
            s.source().stop();
            s.generator().stop();
        }
    }
}
