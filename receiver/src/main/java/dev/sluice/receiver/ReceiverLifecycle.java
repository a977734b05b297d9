package dev.sluice.receiver;

import dev.sluice.protocol.ReceiverCommand;
import dev.sluice.receiver.block.Block;
import dev.sluice.receiver.block.BlockIds;
import dev.sluice.receiver.block.DurableCopy;
import dev.sluice.receiver.block.ReceivedBlockStore;
import dev.sluice.receiver.coordinator.CoordinatorLink;
import dev.sluice.receiver.coordinator.ReattachReporter;
import dev.sluice.receiver.custom.JobReceivers;
import dev.sluice.receiver.ingest.HttpIngest;
import dev.sluice.receiver.metrics.MeterStreamCounters;
import dev.sluice.receiver.replica.PeerReplicator;
import dev.sluice.receiver.replica.ReplicaKeeper;
import dev.sluice.receiver.replica.ReplicaStore;
import dev.sluice.receiver.wal.WalCopy;
import dev.sluice.receiver.wal.WalReplayer;
import dev.sluice.receiver.wal.WriteAheadLog;
import dev.sluice.protocol.auth.ClusterToken;
import dev.sluice.protocol.client.ChannelPool;
import dev.sluice.protocol.tls.ClusterTls;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.MemorySize;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Starts the receiver when the application starts: recovers the write-ahead log and replays
 * its blocks, attaches to the coordinator, carries out the commands it sends (streams to run,
 * rate limits, processed blocks, peers for replicas), reports again what it holds whenever it
 * re-attaches, and sweeps expired blocks and replicas; stops it all on shutdown.
 */
@ApplicationScoped
public class ReceiverLifecycle {

    private static final Logger LOG = Logger.getLogger(ReceiverLifecycle.class);
    // A block is one byte array: stay well inside what an array and a replica can hold.
    private static final long MAX_BLOCK_BYTES = 1L << 30;

    private final ReceiverConfig config;
    private final String coordinatorAddress;
    private final ReceivedBlockStore store;
    private final WriteAheadLog wal;
    private final ReplicaStore replicas;
    private final MeterRegistry registry;
    private final Config rawConfig;

    private volatile ScheduledExecutorService scheduler;
    private volatile CoordinatorLink link;
    private volatile RunningStreams streams;
    private volatile WalReplayer replayer;
    private volatile HttpIngest ingest;
    private volatile PeerReplicator replicator;
    private volatile ReplicaKeeper replicaKeeper;
    private volatile ReattachReporter reattach;
    private volatile String receiverId;

    /** Wires the receiver from its configuration and shared components. */
    @Inject
    public ReceiverLifecycle(ReceiverConfig config,
            @ConfigProperty(name = "sluice.coordinator.address") String coordinatorAddress,
            ReceivedBlockStore store, WriteAheadLog wal, ReplicaStore replicas, MeterRegistry registry,
            Config rawConfig) {
        this.config = config;
        this.coordinatorAddress = coordinatorAddress;
        this.store = store;
        this.wal = wal;
        this.replicas = replicas;
        this.registry = registry;
        this.rawConfig = rawConfig;
    }

    void onStart(@Observes StartupEvent event) {
        receiverId = receiverId(config);
        // Read now, not injected: once the gRPC server is up this resolves to the port it actually
        // bound, which differs from the configured one when that is 0.
        int grpcPort = rawConfig.getValue("quarkus.grpc.server.port", Integer.class);
        String address = config.advertisedHost() + ":" + grpcPort;
        checkBodyLimits();
        Optional<ClusterToken> token = ClusterToken.of(rawConfig.getOptionalValue("sluice.cluster.token", String.class));
        Optional<ClusterTls> tls = ClusterTls.from(rawConfig);

        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sluice-receiver-scheduler");
            t.setDaemon(true);
            return t;
        });
        long sweepMs = sweepPeriod(config.blockRetention()).toMillis();
        scheduler.scheduleWithFixedDelay(this::sweep, sweepMs, sweepMs, TimeUnit.MILLISECONDS);

        link = new CoordinatorLink(ChannelPool.open(coordinatorAddress, token, tls, 4 * 1024 * 1024),
                coordinatorAddress, receiverId, address, scheduler);

        // Recovered before any stream can write to the log, replayed while the receiver attaches.
        List<Block> logged = wal.recover();
        replayer = new WalReplayer(logged, wal, store, link);
        FunctionCounter.builder("sluice.receiver.wal.replayed", replayer, WalReplayer::replayed)
                .description("Logged blocks of a previous run reported again")
                .register(registry);

        replicaKeeper = new ReplicaKeeper(replicas, link);
        DurableCopy durable = switch (config.durability()) {
            case WAL -> new WalCopy(wal);
            case REPLICATE -> replicator = new PeerReplicator(address, config.replication().timeout(), token, tls);
            case NONE -> null;
        };
        long maxBlockBytes = config.maxBlockBytes().asLongValue();
        if (maxBlockBytes < 1 || maxBlockBytes > MAX_BLOCK_BYTES) {
            throw new IllegalArgumentException("sluice.receiver.max-block-bytes must be from 1 byte to 1G, got "
                    + maxBlockBytes + " bytes");
        }
        RunningStreams.Settings settings = new RunningStreams.Settings(config.blockInterval(), config.maxLineLength(),
                config.maxPendingBlocks(), (int) maxBlockBytes, config.restartDelay());
        streams = new RunningStreams(settings, BlockIds.startingNow(receiverId), store, link, wal, durable, replicas,
                (job, node) -> new MeterStreamCounters(registry, job, node), new JobReceivers(), Clock.systemUTC());
        ingest = new HttpIngest(streams, receiverId, config.http().maxBody().asLongValue(), config.maxLineLength());
        reattach = new ReattachReporter(store, wal, replicas, link, link);
        LOG.infof("receiver %s: durability %s%s; write-ahead log of earlier runs in %s", receiverId,
                config.durability().name().toLowerCase(Locale.ROOT),
                durable == null ? " (no copies)" : " (copies in " + durable.describe() + ")", wal.root());
        replayer.start();
        link.start(this::handle, streams::running, reattach::reattached);
    }

    /** Carries out one command of the coordinator. */
    private void handle(ReceiverCommand command) {
        if (command.getKindCase() != ReceiverCommand.KindCase.PEERS) {
            streams.handle(command);
        } else if (replicator != null) {
            replicator.peers(command.getPeers().getAddressesList());
        } else {
            LOG.debugf("peers %s: not used, durability is %s", command.getPeers().getAddressesList(),
                    config.durability());
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        if (streams != null) {
            streams.stopAll();
        }
        if (replayer != null) {
            replayer.stop();
        }
        if (reattach != null) {
            reattach.stop();
        }
        if (replicator != null) {
            replicator.close();
        }
        if (link != null) {
            link.close();
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    /** Whether the receiver is attached to the coordinator. */
    public boolean attached() {
        CoordinatorLink l = link;
        return l != null && l.isAttached();
    }

    /** This receiver's id, once started. */
    public String receiverId() {
        return receiverId;
    }

    /** The address blocks are reported at, once started. */
    public String address() {
        CoordinatorLink l = link;
        return l == null ? null : l.address();
    }

    /** How many streams run. */
    public int runningStreams() {
        RunningStreams s = streams;
        return s == null ? 0 : s.size();
    }

    /** The streams, once started; {@code null} before. */
    public RunningStreams streams() {
        return streams;
    }

    /** HTTP ingest, once started; {@code null} before. */
    public HttpIngest ingest() {
        return ingest;
    }

    /** Where replicas peers send are kept, once started; {@code null} before. */
    public ReplicaKeeper replicaKeeper() {
        return replicaKeeper;
    }

    /** The replicas this receiver stores its blocks as, in replicate mode once started; otherwise {@code null}. */
    public PeerReplicator replicator() {
        return replicator;
    }

    /** What reports held blocks again after a re-attach, once started; {@code null} before. */
    public ReattachReporter reattachReporter() {
        return reattach;
    }

    /** The replay of the write-ahead log, once started; {@code null} before. */
    public WalReplayer replayer() {
        return replayer;
    }

    /** This receiver's id: {@code sluice.receiver.id}, or hostname + "-" + pid when not set. */
    public static String receiverId(ReceiverConfig config) {
        return config.id().filter(s -> !s.isBlank()).orElseGet(ReceiverLifecycle::defaultId);
    }

    private void checkBodyLimits() {
        long ours = config.http().maxBody().asLongValue();
        Optional<MemorySize> server = rawConfig.getOptionalValue("quarkus.http.limits.max-body-size", MemorySize.class);
        if (server.isPresent() && server.get().asLongValue() <= ours) {
            LOG.warnf("quarkus.http.limits.max-body-size (%d bytes) is not above sluice.receiver.http.max-body"
                    + " (%d bytes): the HTTP server refuses large posts before ingest can explain why",
                    server.get().asLongValue(), ours);
        }
    }

    private void sweep() {
        try {
            int dropped = store.sweep();
            if (dropped > 0) {
                LOG.debugf("dropped %d blocks past their retention", dropped);
            }
            int droppedReplicas = replicas.sweep();
            if (droppedReplicas > 0) {
                LOG.debugf("dropped %d replicas past their retention", droppedReplicas);
            }
        } catch (RuntimeException e) {
            // A thrown exception would cancel the schedule.
            LOG.error("sweeping expired blocks failed", e);
        }
    }

    /** Often enough that a block outlives its retention by a small fraction of it at most. */
    static Duration sweepPeriod(Duration retention) {
        Duration quarter = retention.dividedBy(4);
        Duration min = Duration.ofMillis(100);
        Duration max = Duration.ofSeconds(10);
        return quarter.compareTo(min) < 0 ? min : quarter.compareTo(max) > 0 ? max : quarter;
    }

    private static String defaultId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = System.getenv().getOrDefault("HOSTNAME", "receiver");
        }
        return host + "-" + ProcessHandle.current().pid();
    }
}
