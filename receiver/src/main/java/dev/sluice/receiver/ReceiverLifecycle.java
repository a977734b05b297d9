package dev.sluice.receiver;

import dev.sluice.receiver.block.BlockIds;
import dev.sluice.receiver.block.ReceivedBlockStore;
import dev.sluice.receiver.coordinator.CoordinatorLink;
import dev.sluice.receiver.metrics.MeterStreamCounters;
import io.grpc.ManagedChannelBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Starts the receiver when the application starts: attaches to the coordinator, runs the
 * streams it assigns, and sweeps expired blocks; stops it all on shutdown.
 */
@ApplicationScoped
public class ReceiverLifecycle {

    private static final Logger LOG = Logger.getLogger(ReceiverLifecycle.class);

    private final ReceiverConfig config;
    private final String coordinatorAddress;
    private final ReceivedBlockStore store;
    private final MeterRegistry registry;
    private final Config rawConfig;

    private volatile ScheduledExecutorService scheduler;
    private volatile CoordinatorLink link;
    private volatile RunningStreams streams;
    private volatile String receiverId;

    /** Wires the receiver from its configuration and shared components. */
    @Inject
    public ReceiverLifecycle(ReceiverConfig config,
            @ConfigProperty(name = "sluice.coordinator.address") String coordinatorAddress,
            ReceivedBlockStore store, MeterRegistry registry, Config rawConfig) {
        this.config = config;
        this.coordinatorAddress = coordinatorAddress;
        this.store = store;
        this.registry = registry;
        this.rawConfig = rawConfig;
    }

    void onStart(@Observes StartupEvent event) {
        receiverId = config.id().filter(s -> !s.isBlank()).orElseGet(ReceiverLifecycle::defaultId);
        // Read now, not injected: once the gRPC server is up this resolves to the port it actually
        // bound, which differs from the configured one when that is 0.
        int grpcPort = rawConfig.getValue("quarkus.grpc.server.port", Integer.class);
        String address = config.advertisedHost() + ":" + grpcPort;

        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sluice-receiver-scheduler");
            t.setDaemon(true);
            return t;
        });
        long sweepMs = sweepPeriod(config.blockRetention()).toMillis();
        scheduler.scheduleWithFixedDelay(this::sweep, sweepMs, sweepMs, TimeUnit.MILLISECONDS);

        link = new CoordinatorLink(ManagedChannelBuilder.forTarget(coordinatorAddress).usePlaintext().build(),
                coordinatorAddress, receiverId, address, scheduler);
        streams = new RunningStreams(config.blockInterval(), config.maxLineLength(), BlockIds.startingNow(receiverId),
                store, link, (job, node) -> new MeterStreamCounters(registry, job, node), Clock.systemUTC());
        link.start(streams::start);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (streams != null) {
            streams.stopAll();
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
