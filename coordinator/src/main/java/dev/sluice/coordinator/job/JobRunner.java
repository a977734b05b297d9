package dev.sluice.coordinator.job;

import dev.sluice.api.JobArgs;
import dev.sluice.engine.exec.BatchExecutor;
import dev.sluice.engine.exec.BatchListener;
import dev.sluice.engine.exec.BatchPipeline;
import dev.sluice.engine.exec.TaskLauncher;
import dev.sluice.engine.graph.InputSplit;
import dev.sluice.engine.graph.JobGraph;
import dev.sluice.engine.plan.ExecutionPlan;
import dev.sluice.engine.plan.StagePlanner;

import org.jboss.logging.MDC;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One running job: a cutter thread cuts a batch at every multiple of the batch interval,
 * and a processor thread hands the cut batches, in order, to a {@link BatchPipeline}, as
 * Spark's JobGenerator and JobScheduler do. Up to {@code concurrentBatches} batches run at
 * once; their outputs finish and they end in batch order. A batch that waits for a place
 * shows up as scheduling delay.
 *
 * <p>A job with a checkpoint directory of its own keeps a {@link BatchLog} there. Started
 * again on it after a coordinator restart, the job keeps its zero time, runs the batches
 * that were cut and did not end again with their original inputs, then cuts on from
 * where it stopped, every batch time in between included.
 */
public final class JobRunner implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(JobRunner.class.getName());

    /** Where a job is in its life. */
    public enum State { RUNNING, STOPPING, STOPPED }

    /** A cut batch and its inputs. */
    private record CutBatch(BatchRecord record, Map<Integer, List<InputSplit>> splits) {
    }

    private final String name;
    private final JobArgs args;
    private final JobGraph graph;
    private final ExecutionPlan plan;
    private final BatchExecutor executor;
    private final BatchPipeline pipeline;
    private final BatchInputs inputs;
    private final BatchHistory history;
    private final BiConsumer<JobRunner, BatchRecord> onBatchDone;
    private final long zeroTimeMs;
    private final long startedAtMs;
    private final BatchLog log;
    private final boolean stopOnBatchFailure;
    private long nextCutMs;
    private volatile long lastCutMs;
    private volatile long lastEndedMs;
    // When the last batch ended, on the wall clock: where the next batch's service time starts at the latest.
    private volatile long lastEndedAtMs = -1;
    // Leaving workers, with the last batch cut when they started to leave.
    private final Map<String, Long> leaving = new ConcurrentHashMap<>();
    private final BlockingQueue<CutBatch> cut = new LinkedBlockingQueue<>();
    private final Thread cutter;
    private final Thread processor;
    private volatile State state = State.RUNNING;

    /**
     * @param stopOnBatchFailure whether a failed batch stops the job (else it goes on with the next)
     * @param concurrentBatches  how many batches may run at once, at least 1
     * @param onBatchDone        called after each batch finishes, well or not, in batch order
     */
    public JobRunner(String name, JobArgs args, JobGraph graph, TaskLauncher launcher, int historySize,
                     boolean stopOnBatchFailure, int concurrentBatches, BiConsumer<JobRunner, BatchRecord> onBatchDone) {
        this.stopOnBatchFailure = stopOnBatchFailure;
        this.name = name;
        this.args = args;
        this.graph = graph;
        this.plan = StagePlanner.plan(graph);
        this.executor = new BatchExecutor(name, graph, plan, launcher);
        this.pipeline = new BatchPipeline(executor, concurrentBatches, "batch-" + name);
        this.history = new BatchHistory(historySize);
        this.onBatchDone = onBatchDone;
        this.startedAtMs = System.currentTimeMillis();
        long interval = graph.batchIntervalMs();
        // Batch times are zeroTime + k × interval, aligned to the interval on the wall clock.
        long freshZeroMs = startedAtMs / interval * interval;
        this.log = graph.recoverable()
                ? BatchLog.open(Path.of(graph.checkpointDirectory(), name, "coordinator"), graph.fingerprint(), interval,
                        freshZeroMs, executor.inputRetentionMs())
                : null;
        this.zeroTimeMs = log != null ? log.zeroTimeMs() : freshZeroMs;
        this.inputs = new BatchInputs(name, graph, zeroTimeMs);
        this.nextCutMs = zeroTimeMs + interval;
        if (log != null && log.saved() != null) {
            resume(log.saved());
        }
        this.cutter = new Thread(this::cutLoop, "batch-cutter-" + name);
        this.processor = new Thread(this::processLoop, "batch-processor-" + name);
        cutter.setDaemon(true);
        processor.setDaemon(true);
    }

    /** Takes up the job where the saved log says an earlier coordinator left it. */
    private void resume(BatchLog.Saved saved) {
        long lastEnded = saved.ended().isEmpty() ? zeroTimeMs : saved.ended().last();
        saved.cuts().forEach((time, splits) -> {
            inputs.recovered(time, splits);
            if (time > lastEnded - executor.inputRetentionMs()) {
                executor.remember(time, splits);
            }
        });
        saved.unfinished().forEach((time, splits) -> enqueue(time, splits));
        nextCutMs = saved.lastCutMs() + graph.batchIntervalMs();
        LOG.info(() -> "job " + name + " resumes from " + log + ": zero time " + zeroTimeMs + ", last batch ended "
                + lastEnded + ", running again " + saved.unfinished().keySet() + ", cutting on from " + nextCutMs);
    }

    private void enqueue(long time, Map<Integer, List<InputSplit>> splits) {
        Map<Integer, Long> records = new HashMap<>();
        splits.forEach((node, list) -> records.put(node, list.stream().mapToLong(InputSplit::records).sum()));
        BatchRecord record = new BatchRecord(time, records);
        history.add(record);
        lastCutMs = time;
        cut.add(new CutBatch(record, splits));
    }

    /** Starts cutting and processing batches. */
    public void start() {
        LOG.info(() -> "job " + name + " started: graph " + graph.fingerprint() + ", batch interval "
                + graph.batchIntervalMs() + " ms, zero time " + zeroTimeMs);
        cutter.start();
        processor.start();
    }

    private void cutLoop() {
        long interval = graph.batchIntervalMs();
        long next = nextCutMs;
        try {
            while (state == State.RUNNING) {
                long wait = next - System.currentTimeMillis();
                if (wait > 0) {
                    Thread.sleep(wait);
                    continue;
                }
                Map<Integer, List<InputSplit>> splits = inputs.cut(next);
                if (log != null) {
                    log.cut(next, splits);
                }
                enqueue(next, splits);
                next += interval;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "job " + name + " cannot cut batch " + next + ": " + e.getMessage(), e);
            stop();
        }
    }

    private void processLoop() {
        try {
            while (state == State.RUNNING || !cut.isEmpty()) {
                CutBatch batch = cut.poll(100, TimeUnit.MILLISECONDS);
                if (batch != null) {
                    pipeline.submit(batch.record().batchTimeMs(), zeroTimeMs, batch.splits(), new Bookkeeping(batch.record()));
                }
            }
            pipeline.awaitIdle();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopped();
    }

    private synchronized void stopped() {
        if (state != State.STOPPED) {
            state = State.STOPPED;
            inputs.close();
            LOG.info(() -> "job " + name + " stopped after batch " + lastEndedMs);
        }
    }

    /** Records a batch's start and end, and what follows from its end; ends come in batch order. */
    private final class Bookkeeping implements BatchListener {
        private final BatchRecord record;

        Bookkeeping(BatchRecord record) {
            this.record = record;
        }

        @Override
        public void started() {
            // Every log line of the batch names it (JSON logs carry these as fields).
            MDC.put("job", name);
            MDC.put("batch", Long.toString(record.batchTimeMs()));
            record.started(System.currentTimeMillis());
        }

        @Override
        public void ended(int tasks, RuntimeException failure) {
            try {
                if (failure == null) {
                    try {
                        inputs.completed(record.batchTimeMs());
                        record.succeeded(System.currentTimeMillis(), tasks, lastEndedAtMs);
                    } catch (RuntimeException e) {
                        failure = e;
                    }
                }
                if (failure != null) {
                    failed(failure);
                }
                if (log != null) {
                    log.end(record.batchTimeMs(), record.status() == BatchRecord.Status.SUCCEEDED);
                }
                lastEndedMs = record.batchTimeMs();
                lastEndedAtMs = record.endedAtMs();
                history.done(record);
                onBatchDone.accept(JobRunner.this, record);
            } finally {
                MDC.remove("job");
                MDC.remove("batch");
            }
        }

        private void failed(RuntimeException e) {
            record.failed(System.currentTimeMillis(), e.getMessage(), lastEndedAtMs);
            LOG.log(Level.WARNING, "job " + name + " batch " + record.batchTimeMs() + " failed: " + e.getMessage(), e);
            if (stopOnBatchFailure) {
                LOG.warning(() -> "job " + name + " stops: a batch failed and sluice.job.on-batch-failure is stop");
                stop();
            }
        }
    }

    public String name() {
        return name;
    }

    public JobArgs args() {
        return args;
    }

    public JobGraph graph() {
        return graph;
    }

    /** The job's stages. */
    public ExecutionPlan plan() {
        return plan;
    }

    public State state() {
        return state;
    }

    public long zeroTimeMs() {
        return zeroTimeMs;
    }

    public long startedAtMs() {
        return startedAtMs;
    }

    public BatchHistory history() {
        return history;
    }

    /** Where receivers' block reports for this job go. */
    public ReceivedBlockTracker blocks() {
        return inputs.blocks();
    }

    /**
     * Stops the job gracefully: no batch is cut any more, and the batches already cut run
     * to their end; then the job is {@link State#STOPPED}.
     */
    public synchronized void stop() {
        if (state == State.RUNNING) {
            state = State.STOPPING;
            cutter.interrupt();
            LOG.info(() -> "job " + name + " stopping: " + cut.size() + " batches cut and not yet run");
        }
    }

    /** Stops cutting batches and stops processing at once. */
    @Override
    public void close() {
        state = State.STOPPED;
        cutter.interrupt();
        processor.interrupt();
        pipeline.close();
        inputs.close();
        if (log != null) {
            log.close();
        }
    }

    /** The worker at {@code address} is leaving: what it keeps is copied off it from the next batch on. */
    public void workerLeaving(String address) {
        leaving.put(address, lastCutMs);
        executor.leaving(address);
    }

    /**
     * Whether this job no longer needs the leaving worker at {@code address}: a batch cut
     * after it started to leave has ended (so the shuffle output of earlier batches is no
     * longer read, and kept partitions were copied off at that batch's start), and nothing
     * kept is left on it.
     */
    public boolean released(String address) {
        Long since = leaving.get(address);
        return since == null || (lastEndedMs > since && !executor.holds(address));
    }

    /** How long after a batch its input must stay readable, for recomputing what it fed. */
    public long inputRetentionMs() {
        return executor.inputRetentionMs();
    }

    /** For each source node, how many times cutting its input failed. */
    public Map<Integer, Long> sourceErrors() {
        return inputs.sourceErrors();
    }
}
