package dev.sluice.coordinator.app;

import dev.sluice.api.JobArgs;
import dev.sluice.coordinator.cluster.ReceiverRegistry;
import dev.sluice.coordinator.cluster.Worker;
import dev.sluice.coordinator.cluster.WorkerRegistry;
import dev.sluice.coordinator.grpc.BlockReportCheck;
import dev.sluice.coordinator.grpc.ControlMessageCheck;
import dev.sluice.coordinator.job.BatchRecord;
import dev.sluice.coordinator.job.JobRunner;
import dev.sluice.coordinator.job.Jobs;
import dev.sluice.coordinator.job.ReceiverFeedback;
import dev.sluice.coordinator.scaling.AutoscalePolicy;
import dev.sluice.coordinator.scaling.Autoscaler;
import dev.sluice.coordinator.scaling.KubernetesPoolScaler;
import dev.sluice.coordinator.scaling.PoolScaler;
import dev.sluice.coordinator.scaling.WorkerPool;
import dev.sluice.coordinator.scaling.WorkerPools;
import dev.sluice.coordinator.scheduler.Speculation;
import dev.sluice.coordinator.scheduler.TaskScheduler;
import dev.sluice.engine.graph.BlockSourceNode;
import dev.sluice.engine.graph.SourceNode;
import dev.sluice.engine.job.JobCatalog;
import dev.sluice.protocol.CoordinatorMessage;
import dev.sluice.protocol.Drained;
import dev.sluice.protocol.JobDefinition;
import dev.sluice.protocol.PeerJoined;
import dev.sluice.protocol.PeerLost;
import dev.sluice.protocol.Registered;
import dev.sluice.protocol.check.RefusalCounter;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/** Wires the coordinator's plain-Java parts together and starts the configured job. */
@ApplicationScoped
public class CoordinatorRuntime {

    private static final Logger LOG = Logger.getLogger(CoordinatorRuntime.class.getName());
    private static final long DRAIN_CHECK_MS = 100;

    private final WorkerRegistry workers = new WorkerRegistry();
    private final List<BiConsumer<JobRunner, BatchRecord>> batchListeners = new CopyOnWriteArrayList<>();
    private final ReceiverRegistry receivers = new ReceiverRegistry();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "coordinator-timer");
        t.setDaemon(true);
        return t;
    });
    // Calls to the Kubernetes API may take seconds: the autoscaler gets its own thread, off the batch path.
    private final ExecutorService scaling = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "coordinator-autoscaler");
        t.setDaemon(true);
        return t;
    });
    private WorkerPools pools = WorkerPools.none();
    private PoolScaler scaler;
    private Autoscaler autoscaler;
    private TaskScheduler scheduler;
    private Jobs jobs;
    private ReceiverFeedback feedback;
    private CoordinatorMetrics metrics;
    private long heartbeatMs;
    private ControlMessageCheck controlCheck;
    private BlockReportCheck blockReportCheck;

    void onStart(@Observes StartupEvent event, CoordinatorConfig config, MeterRegistry registry,
                 Instance<KubernetesClient> kubernetes) {
        heartbeatMs = config.heartbeat().interval().toMillis();
        scheduler = new TaskScheduler(workers, config.task().maxFailures(), config.task().inputWait().toMillis(),
                task -> jobs.withCurrentInputs(task), task -> jobs.stageRoles(task), task -> jobs.preferredLocation(task), timer,
                speculation(config.speculation()), config.scheduler().groupSize());
        feedback = new ReceiverFeedback(receivers, config.backpressure().enabled());
        metrics = new CoordinatorMetrics(registry, workers, scheduler, feedback);
        jobs = new Jobs(JobCatalog.load(), scheduler, receivers, System.out, config.batchHistory(),
                new Jobs.ReceiverPolicy(config.receiver().maxRate(), config.receiver().writeAheadLog(),
                        config.backpressure().initialRate()),
                config.job().onBatchFailure() == CoordinatorConfig.OnBatchFailure.STOP, concurrentBatches(config.job()),
                this::batchDone, this::broadcast);
        long skewMs = config.cluster().maxClockSkew().toMillis();
        controlCheck = new ControlMessageCheck(name -> jobs.find(name).map(j -> new ControlMessageCheck.JobShape(
                j.zeroTimeMs(), j.graph().batchIntervalMs(), j.plan().stages().size())),
                config.scheduler().maxSlotsPerWorker(), skewMs, System::currentTimeMillis);
        blockReportCheck = new BlockReportCheck(name -> jobs.find(name).map(j -> j.graph().sources().stream()
                .filter(BlockSourceNode.class::isInstance).map(SourceNode::id).collect(Collectors.toSet())),
                skewMs, System::currentTimeMillis);
        workers.onLost(this::tellPeersLost);
        long timeoutMs = heartbeatMs * config.heartbeat().misses();
        timer.scheduleAtFixedRate(() -> workers.expire(System.currentTimeMillis(), timeoutMs),
                heartbeatMs, heartbeatMs, TimeUnit.MILLISECONDS);
        startScaling(config.autoscale(), kubernetes);
        config.job().name().ifPresent(name -> jobs.start(name, JobArgs.of(config.job().args())));
    }

    /** Counts refused inputs in {@code sluice_refused_total{boundary,reason}}. */
    @Produces
    @Singleton
    RefusalCounter refusals(MeterRegistry registry) {
        return (boundary, reason) -> registry.counter(RefusalCounter.METER, RefusalCounter.tags(boundary, reason)).increment();
    }

    private static int concurrentBatches(CoordinatorConfig.Job job) {
        if (job.concurrentBatches() < 1) {
            throw new IllegalArgumentException("sluice.job.concurrent-batches must be at least 1, got " + job.concurrentBatches());
        }
        return job.concurrentBatches();
    }

    private static Speculation speculation(CoordinatorConfig.SpeculationSettings s) {
        return s.enabled() ? new Speculation(true, s.quantile(), s.multiplier(), s.minimum().toMillis()) : Speculation.off();
    }

    /**
     * Reads the pools; creates the scaler only where there is a Kubernetes API to talk to (a
     * namespace is configured, or the coordinator runs in a pod), and the autoscaler when it is
     * enabled and there are pools.
     */
    private void startScaling(CoordinatorConfig.Autoscale config, Instance<KubernetesClient> kubernetes) {
        pools = new WorkerPools(config.pools().entrySet().stream()
                .map(e -> new WorkerPool(e.getKey(), e.getValue().deployment(), e.getValue().stages(),
                        e.getValue().min(), e.getValue().max()))
                .toList());
        boolean inCluster = System.getenv("KUBERNETES_SERVICE_HOST") != null;
        if (config.namespace().isEmpty() && !inCluster) {
            return;
        }
        KubernetesClient client = kubernetes.get();
        String namespace = config.namespace().orElseGet(client::getNamespace);
        if (namespace == null || namespace.isBlank()) {
            LOG.warning("worker pools cannot be scaled: the coordinator runs in a cluster but its namespace is unknown; "
                    + "set sluice.autoscale.namespace");
            return;
        }
        scaler = new KubernetesPoolScaler(client, namespace);
        if (config.enabled() && !pools.all().isEmpty()) {
            autoscaler = new Autoscaler(pools.all(), scaler, new AutoscalePolicy(config.high(), config.low(),
                    config.cooldownOut().toMillis(), config.cooldownIn().toMillis(), config.batches()),
                    System::currentTimeMillis);
            onScalingThread(autoscaler::enforceBounds);
            LOG.info(() -> "autoscaling worker pools " + pools.names() + " in namespace " + namespace);
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        timer.shutdownNow();
        scaling.shutdownNow();
        if (jobs != null) {
            jobs.close();
        }
    }

    /**
     * Tells a registering worker, before it can be given a task, its epoch and the jobs defined
     * so far: a task that reached it first would run under no epoch (its status then ignored,
     * its batch waiting for good) or for a job it does not know.
     *
     * @return the definitions it was sent
     */
    public List<JobDefinition> welcome(Worker worker) {
        worker.send(CoordinatorMessage.newBuilder().setRegistered(Registered.newBuilder()
                .setEpoch(worker.epoch()).setHeartbeatIntervalMs(heartbeatMs)).build());
        List<JobDefinition> definitions = jobs.definitions();
        for (JobDefinition d : definitions) {
            worker.send(CoordinatorMessage.newBuilder().setDefineJob(d).build());
        }
        return definitions;
    }

    /**
     * Accepts a worker that was {@linkplain #welcome welcomed} with {@code told} and can now be
     * given tasks: sends it the jobs defined since (their broadcast may have missed it), tells
     * its peers, then gives it work.
     */
    public void workerJoined(Worker worker, List<JobDefinition> told) {
        for (JobDefinition d : jobs.definitions()) {
            if (!told.contains(d)) {
                worker.send(CoordinatorMessage.newBuilder().setDefineJob(d).build());
            }
        }
        CoordinatorMessage joined = CoordinatorMessage.newBuilder()
                .setPeerJoined(PeerJoined.newBuilder().setAddress(worker.address())).build();
        workers.alive().stream().filter(w -> w != worker).forEach(w -> w.send(joined));
        scheduler.dispatch();
    }

    /**
     * A worker asked to leave (scale-down): it gets no new task; once it runs none and no
     * job needs what it holds any more, it is told it may stop.
     */
    public void workerDraining(Worker worker) {
        worker.drain();
        workers.changed();
        jobs.list().forEach(job -> job.workerLeaving(worker.address()));
        LOG.info(() -> "worker " + worker.id() + " is draining: " + worker.running() + " tasks running");
        timer.schedule(() -> checkDrained(worker), DRAIN_CHECK_MS, TimeUnit.MILLISECONDS);
    }

    private void checkDrained(Worker worker) {
        if (!worker.alive()) {
            return;
        }
        if (worker.running() + worker.placed() == 0 && jobs.list().stream().allMatch(job -> job.released(worker.address()))) {
            LOG.info(() -> "worker " + worker.id() + " is drained: it may stop");
            worker.send(CoordinatorMessage.newBuilder().setDrained(Drained.getDefaultInstance()).build());
            return;
        }
        timer.schedule(() -> checkDrained(worker), DRAIN_CHECK_MS, TimeUnit.MILLISECONDS);
    }

    /** Calls {@code listener} after each batch of any job ends, with its stages recorded. */
    public void onBatchDone(BiConsumer<JobRunner, BatchRecord> listener) {
        batchListeners.add(listener);
    }

    /** Tells every other worker to stop waiting on fetches from a lost one. */
    private void tellPeersLost(Worker lost) {
        CoordinatorMessage m = CoordinatorMessage.newBuilder()
                .setPeerLost(PeerLost.newBuilder().setAddress(lost.address())).build();
        workers.alive().stream().filter(w -> w != lost).forEach(w -> w.send(m));
    }

    private void broadcast(JobDefinition definition) {
        CoordinatorMessage m = CoordinatorMessage.newBuilder().setDefineJob(definition).build();
        workers.alive().forEach(w -> w.send(m));
    }

    private void batchDone(JobRunner job, BatchRecord batch) {
        batch.stages(scheduler.takeStageStats(job.name(), batch.batchTimeMs()));
        batchListeners.forEach(l -> l.accept(job, batch));
        metrics.batchDone(job, batch);
        feedback.batchDone(job, batch);
        // Failed batches say little about capacity (a bug, a lost input): only completed ones count.
        if (autoscaler != null && batch.status() == BatchRecord.Status.SUCCEEDED) {
            long intervalMs = job.graph().batchIntervalMs();
            long serviceMs = batch.serviceTimeMs();
            onScalingThread(() -> autoscaler.batchDone(intervalMs, serviceMs));
        }
        workers.alive().forEach(w -> w.batchDone(job.name(), batch.batchTimeMs()));
    }

    public WorkerRegistry workers() {
        return workers;
    }

    public ReceiverRegistry receivers() {
        return receivers;
    }

    public TaskScheduler scheduler() {
        return scheduler;
    }

    public Jobs jobs() {
        return jobs;
    }

    /** The rules for what workers send on their control streams. */
    public ControlMessageCheck controlCheck() {
        return controlCheck;
    }

    /** The rules for what receivers send. */
    public BlockReportCheck blockReportCheck() {
        return blockReportCheck;
    }

    public ReceiverFeedback feedback() {
        return feedback;
    }

    /** The worker pools the coordinator may scale (none unless configured). */
    public WorkerPools pools() {
        return pools;
    }

    /** Scales pools through the Kubernetes API; empty where there is none (a local run). */
    public Optional<PoolScaler> scaler() {
        return Optional.ofNullable(scaler);
    }

    /** Scales pools by itself; empty when off or without a scaler. */
    public Optional<Autoscaler> autoscaler() {
        return Optional.ofNullable(autoscaler);
    }

    /** Runs {@code task} on the autoscaler's thread, after what is queued there. */
    public void onScalingThread(Runnable task) {
        try {
            scaling.execute(task);
        } catch (RejectedExecutionException e) {
            // Shutting down: a batch that completes now changes nothing anyway.
        }
    }
}
