package dev.sluice.receiver;

import dev.sluice.receiver.block.Block;
import dev.sluice.receiver.block.BlockIds;
import dev.sluice.receiver.block.ReceivedBlockStore;
import dev.sluice.receiver.coordinator.CoordinatorLink;
import dev.sluice.receiver.custom.JobReceivers;
import dev.sluice.receiver.ingest.HttpIngest;
import dev.sluice.receiver.metrics.MeterStreamCounters;
import dev.sluice.receiver.wal.WalReplayer;
import dev.sluice.receiver.wal.WriteAheadLog;
import io.grpc.ManagedChannelBuilder;
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
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Starts the receiver when the application starts: recovers the write-ahead log and replays
 * its blocks, attaches to the coordinator, carries out the commands it sends (streams to run,
 * rate limits, processed blocks), and sweeps expired blocks; stops it all on shutdown.
 */
@ApplicationScoped
public class ReceiverLifecycle {

    private static final Logger LOG = Logger.getLogger(ReceiverLifecycle.class);

    private final ReceiverConfig config;
    private final String coordinatorAddress;
    private final ReceivedBlockStore store;
    private final WriteAheadLog wal;
    private final MeterRegistry registry;
    private final Config rawConfig;

    private volatile ScheduledExecutorService scheduler;
    private volatile CoordinatorLink link;
    private volatile RunningStreams streams;
    private volatile WalReplayer replayer;
    private volatile HttpIngest ingest;
    private volatile String receiverId;

    /** Wires the receiver from its configuration and shared components. */
    @Inject
    public ReceiverLifecycle(ReceiverConfig config,
            @ConfigProperty(name = "sluice.coordinator.address") String coordinatorAddress,
            ReceivedBlockStore store, WriteAheadLog wal, MeterRegistry registry, Config rawConfig) {
        this.config = config;
        this.coordinatorAddress = coordinatorAddress;
        this.store = store;
        this.wal = wal;
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

        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sluice-receiver-scheduler");
            t.setDaemon(true);
            return t;
        });
        long sweepMs = sweepPeriod(config.blockRetention()).toMillis();
        scheduler.scheduleWithFixedDelay(this::sweep, sweepMs, sweepMs, TimeUnit.MILLISECONDS);

        link = new CoordinatorLink(ManagedChannelBuilder.forTarget(coordinatorAddress).usePlaintext().build(),
                coordinatorAddress, receiverId, address, scheduler);

        // Recovered before any stream can write to the log, replayed while the receiver attaches.
        List<Block> logged = wal.recover();
        replayer = new WalReplayer(logged, wal, store, link);
        FunctionCounter.builder("sluice.receiver.wal.replayed", replayer, WalReplayer::replayed)
                .description("Logged blocks of a previous run reported again")
                .register(registry);

        RunningStreams.Settings settings = new RunningStreams.Settings(config.blockInterval(), config.maxLineLength(),
                config.maxPendingBlocks(), config.restartDelay());
        streams = new RunningStreams(settings, BlockIds.startingNow(receiverId), store, link, wal,
                (job, node) -> new MeterStreamCounters(registry, job, node), new JobReceivers(), Clock.systemUTC());
        ingest = new HttpIngest(streams, receiverId, config.http().maxBody().asLongValue(), config.maxLineLength());
        LOG.infof("receiver %s: write-ahead log in %s", receiverId, wal.root());
        replayer.start();
        link.start(streams::handle);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (streams != null) {
            streams.stopAll();
        }
        if (replayer != null) {
            replayer.stop();
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
