package dev.sluice.coordinator.job;

import dev.sluice.api.JobArgs;
import dev.sluice.coordinator.cluster.ReceiverRegistry;
import dev.sluice.engine.exec.TaskLauncher;
import dev.sluice.engine.graph.GraphBuilder;
import dev.sluice.engine.graph.JobGraph;
import dev.sluice.engine.exec.TaskSpec;
import dev.sluice.engine.graph.BatchLayout;
import dev.sluice.engine.graph.HttpSourceNode;
import dev.sluice.engine.graph.InputSplit;
import dev.sluice.engine.graph.ReceiverSourceNode;
import dev.sluice.engine.graph.SocketSourceNode;
import dev.sluice.engine.graph.SourceNode;
import dev.sluice.engine.job.JobCatalog;
import dev.sluice.engine.plan.StageRole;
import dev.sluice.protocol.CustomSource;
import dev.sluice.protocol.HttpSource;
import dev.sluice.protocol.JobDefinition;
import dev.sluice.protocol.ReceiverAssignment;
import dev.sluice.protocol.SocketSource;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.EnumSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/** The jobs this coordinator runs, by name. */
public final class Jobs implements AutoCloseable {

    /**
     * How receivers run the sources.
     *
     * @param maxRate       a static limit per receiver, records per second; 0 for none
     * @param writeAheadLog whether every receiver-based source logs its blocks before reporting them
     *                      (HTTP ingest always does)
     * @param initialRate   the rate each source starts at, records per second, until backpressure has
     *                      measured the job; 0 for none
     */
    public record ReceiverPolicy(double maxRate, boolean writeAheadLog, double initialRate) {
    }

    private final JobCatalog catalog;
    private final TaskLauncher launcher;
    private final ReceiverRegistry receivers;
    private final PrintStream out;
    private final int historySize;
    private final ReceiverPolicy policy;
    private final boolean stopOnBatchFailure;
    private final int concurrentBatches;
    private final BiConsumer<JobRunner, BatchRecord> onBatchDone;
    private final Consumer<JobDefinition> onDefined;
    private final Map<String, JobRunner> running = new ConcurrentHashMap<>();

    /**
     * @param concurrentBatches how many batches of a job may run at once
     * @param onDefined         called with each started job's definition, to send it to the workers
     */
    public Jobs(JobCatalog catalog, TaskLauncher launcher, ReceiverRegistry receivers, PrintStream out, int historySize,
                ReceiverPolicy policy, boolean stopOnBatchFailure, int concurrentBatches,
                BiConsumer<JobRunner, BatchRecord> onBatchDone, Consumer<JobDefinition> onDefined) {
        this.stopOnBatchFailure = stopOnBatchFailure;
        this.concurrentBatches = concurrentBatches;
        this.catalog = catalog;
        this.launcher = launcher;
        this.receivers = receivers;
        this.out = out;
        this.historySize = historySize;
        this.policy = policy;
        this.onBatchDone = onBatchDone;
        this.onDefined = onDefined;
    }

    /**
     * Defines and starts the job {@code name} with {@code args}.
     *
     * @throws dev.sluice.engine.job.UnknownJobException when no such job exists
     * @throws IllegalArgumentException when the job rejects its arguments
     * @throws IllegalStateException when a job of that name is running or stopping; a stopped one is replaced
     */
    public synchronized JobRunner start(String name, JobArgs args) {
        // Defined first, so that bad arguments are reported as such whatever runs.
        JobGraph graph = GraphBuilder.define(catalog.find(name), args, out);
        JobRunner existing = running.get(name);
        if (existing != null && existing.state() != JobRunner.State.STOPPED) {
            throw new IllegalStateException("job " + name + " is " + existing.state().name().toLowerCase(java.util.Locale.ROOT)
                    + ": stop it first");
        }
        if (existing != null) {
            existing.close();
            receivers.release(name);
        }
        JobRunner job = new JobRunner(name, args, graph, launcher, historySize, stopOnBatchFailure, concurrentBatches,
                onBatchDone);
        running.put(name, job);
        JobDefinition definition = definition(job);
        onDefined.accept(definition);
        for (SourceNode s : graph.sources()) {
            ReceiverAssignment.Builder a = ReceiverAssignment.newBuilder().setJob(name).setNode(s.id())
                    .setMaxRate(policy.maxRate()).setWriteAheadLog(policy.writeAheadLog())
                    .setBatchIntervalMs(graph.batchIntervalMs());
            if (s instanceof SocketSourceNode socket) {
                receivers.require(a.setSocket(SocketSource.newBuilder().setHost(socket.host()).setPort(socket.port())).build(),
                        false);
            } else if (s instanceof HttpSourceNode http) {
                // Every receiver takes posts, and acknowledges only what is in its write-ahead log.
                receivers.require(a.setHttp(HttpSource.newBuilder().setPath(http.path())).setWriteAheadLog(true).build(), true);
            } else if (s instanceof ReceiverSourceNode) {
                receivers.require(a.setCustom(CustomSource.newBuilder().setDefinition(definition)).build(), false);
            } else {
                continue;
            }
            if (policy.initialRate() > 0) {
                receivers.limit(name, s.id(), policy.initialRate());
            }
        }
        job.start();
        return job;
    }

    /**
     * {@code task} with its receiver blocks at their current addresses: a receiver that
     * restarted elsewhere reported its logged blocks again.
     */
    public TaskSpec withCurrentInputs(TaskSpec task) {
        JobRunner job = running.get(task.job());
        if (job == null) {
            return task;
        }
        Map<Integer, List<InputSplit>> splits = new HashMap<>();
        task.layout().splits().forEach((node, list) -> splits.put(node, list.stream().map(split -> {
            if (split instanceof InputSplit.Block b) {
                InputSplit.Block now = job.blocks().current(b.blockId());
                return now == null ? split : now;
            }
            return split;
        }).toList()));
        BatchLayout layout = task.layout().withSplits(splits);
        return task.withLayout(layout);
    }

    /**
     * Where most of what {@code task} reads of kept batches lives (its partition of the
     * state or window batches its stage reads), or {@code null}: running it there reads
     * locally instead of fetching.
     */
    public String preferredLocation(TaskSpec task) {
        JobRunner job = running.get(task.job());
        if (job == null) {
            return null;
        }
        BatchLayout layout = task.layout();
        Map<String, Integer> votes = new HashMap<>();
        for (BatchLayout.CachedBatch read : job.plan().stage(task.stage()).keptReads(task.batchTimeMs(), layout.zeroTimeMs())) {
            List<String> at = layout.cached().get(read);
            if (at != null && task.partition() < at.size()) {
                votes.merge(at.get(task.partition()), 1, Integer::sum);
            }
        }
        return votes.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
    }

    /** What the stage of {@code task} does, for choosing the workers that may run it. */
    public Set<StageRole> stageRoles(TaskSpec task) {
        JobRunner job = running.get(task.job());
        return job == null ? EnumSet.allOf(StageRole.class) : job.plan().stage(task.stage()).roles();
    }

    /**
     * Stops the job {@code name} gracefully: it cuts no more batches and finishes those cut;
     * its receiver sources stop.
     *
     * @return the job, or empty when there is none of that name
     */
    public Optional<JobRunner> stop(String name) {
        JobRunner job = running.get(name);
        if (job != null) {
            job.stop();
            // Nothing received from now on would be cut into a batch.
            receivers.release(name);
        }
        return Optional.ofNullable(job);
    }

    /** The names of the jobs this coordinator can run. */
    public List<String> catalogNames() {
        return catalog.names().stream().sorted().toList();
    }

    /** The job named {@code name}, if this coordinator runs it. */
    public Optional<JobRunner> find(String name) {
        return Optional.ofNullable(running.get(name));
    }

    /** All jobs, sorted by name. */
    public List<JobRunner> list() {
        List<JobRunner> jobs = new ArrayList<>(running.values());
        jobs.sort(java.util.Comparator.comparing(JobRunner::name));
        return jobs;
    }

    /** The definitions a newly joined worker needs. */
    public List<JobDefinition> definitions() {
        return list().stream().map(Jobs::definition).toList();
    }

    private static JobDefinition definition(JobRunner job) {
        return JobDefinition.newBuilder().setJob(job.name()).putAllArgs(job.args().asMap())
                .setFingerprint(job.graph().fingerprint()).build();
    }

    @Override
    public void close() {
        running.values().forEach(JobRunner::close);
        running.keySet().forEach(receivers::release);
    }
}
