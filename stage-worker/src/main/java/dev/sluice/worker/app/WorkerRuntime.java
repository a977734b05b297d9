package dev.sluice.worker.app;

import dev.sluice.engine.cache.CacheStore;
import dev.sluice.engine.job.JobCatalog;
import dev.sluice.engine.plan.StageSelector;
import dev.sluice.engine.shuffle.ShuffleStore;
import dev.sluice.protocol.auth.ClusterToken;
import dev.sluice.protocol.check.RefusalCounter;
import dev.sluice.protocol.client.ChannelPool;
import dev.sluice.protocol.tls.ClusterTls;
import dev.sluice.worker.control.ControlLink;
import dev.sluice.worker.control.WorkerIdentity;
import dev.sluice.worker.data.DataFetcher;
import dev.sluice.worker.exec.DefinedJobs;
import dev.sluice.worker.exec.SlotPool;
import dev.sluice.worker.exec.TaskExecutor;
import dev.sluice.worker.exec.TaskMeters;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.lang.management.ManagementFactory;
import java.util.Optional;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Wires the worker's plain-Java parts together and connects to the coordinator at startup. */
@ApplicationScoped
public class WorkerRuntime {

    private final ShuffleStore shuffles = new ShuffleStore();
    private final CacheStore caches = new CacheStore();
    private ChannelPool channels;
    private SlotPool slots;
    private ControlLink link;
    private String address;

    @Produces
    @Singleton
    ShuffleStore shuffleStore() {
        return shuffles;
    }

    @Produces
    @Singleton
    CacheStore cacheStore() {
        return caches;
    }

    /** Counts refused inputs in {@code sluice_refused_total{boundary,reason}}. */
    @Produces
    @Singleton
    RefusalCounter refusals(MeterRegistry registry) {
        return (boundary, reason) -> registry.counter(RefusalCounter.METER, RefusalCounter.tags(boundary, reason)).increment();
    }

    void onStart(@Observes StartupEvent event, WorkerConfig config, MeterRegistry registry,
                 @ConfigProperty(name = "quarkus.grpc.server.port") int grpcPort,
                 @ConfigProperty(name = "sluice.cluster.token") Optional<String> token, Config rawConfig) {
        channels = new ChannelPool(ClusterToken.of(token), ClusterTls.from(rawConfig));
        String self = config.worker().advertisedHost() + ":" + grpcPort;
        address = self;
        String id = config.worker().id().orElseGet(WorkerRuntime::defaultId);
        slots = new SlotPool(config.worker().slots().orElse(Runtime.getRuntime().availableProcessors()));
        DefinedJobs jobs = new DefinedJobs(JobCatalog.load(), System.out, shuffles, caches);
        DataFetcher fetcher = new DataFetcher(channels);
        TaskExecutor executor = new TaskExecutor(jobs, slots, shuffles, caches, fetcher, self, new TaskMeters(registry));
        registry.gauge("sluice_worker_tasks_held", executor, TaskExecutor::held);
        // A bad selector stops the worker at start, naming the setting.
        StageSelector stages = StageSelector.parse(config.worker().stages());
        link = new ControlLink(config.coordinator().address(), new WorkerIdentity(id, self, config.worker().pool(), stages),
                channels, jobs, slots, executor, fetcher);
        link.start();
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        if (link != null) {
            link.close();
        }
        if (slots != null) {
            slots.close();
        }
        channels.close();
    }

    /** Whether the coordinator has accepted this worker. */
    /** Asks the coordinator to let this worker leave; completes once nothing here is needed. */
    public java.util.concurrent.CompletableFuture<Void> drain() {
        if (link == null) {
            throw new IllegalStateException("the worker has not started");
        }
        return link.drain();
    }

    public boolean registered() {
        return link != null && link.registered();
    }

    /** {@code host:port} where peers reach this worker. */
    public String address() {
        return address;
    }

    /** The number of map outputs this worker holds. */
    public int shuffleOutputs() {
        return shuffles.size();
    }

    /** The number of kept partitions this worker holds. */
    public int keptPartitions() {
        return caches.size();
    }

    private static String defaultId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "worker";
        }
        return host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
    }
}
