package dev.sluice.worker.exec;

import com.google.protobuf.ByteString;
import dev.sluice.engine.cache.CacheStore;
import dev.sluice.engine.exec.FetchFailedException;
import dev.sluice.engine.exec.HeldTasks;
import dev.sluice.engine.exec.TaskCancelledException;
import dev.sluice.engine.exec.TaskRunner;
import dev.sluice.engine.exec.TaskSpec;
import dev.sluice.engine.graph.BatchLayout;
import dev.sluice.engine.shuffle.ShuffleStore;
import dev.sluice.protocol.ShuffleReady;
import dev.sluice.protocol.TaskAssignment;
import dev.sluice.protocol.TaskId;
import dev.sluice.protocol.TaskStatus;
import dev.sluice.protocol.convert.TaskMessages;
import dev.sluice.worker.data.DataFetcher;
import dev.sluice.worker.data.InputUnavailableException;
import dev.sluice.worker.data.RemoteTaskContext;

import org.jboss.logging.MDC;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Runs assigned tasks in the slot pool and reports each one's status. */
public final class TaskExecutor {

    private static final Logger LOG = Logger.getLogger(TaskExecutor.class.getName());

    private final DefinedJobs jobs;
    private final SlotPool slots;
    private final ShuffleStore shuffles;
    private final CacheStore caches;
    private final DataFetcher fetcher;
    private final String selfAddress;
    private final TaskMeters meters;
    // The thread running each attempt, so that a cancel can interrupt it; attempts
    // cancelled before they started are remembered until they would start.
    private final Map<TaskId, Thread> runningAttempts = new ConcurrentHashMap<>();
    private final Set<TaskId> cancelledEarly = ConcurrentHashMap.newKeySet();
    private final HeldTasks held = new HeldTasks();

    public TaskExecutor(DefinedJobs jobs, SlotPool slots, ShuffleStore shuffles, CacheStore caches, DataFetcher fetcher,
                        String selfAddress, TaskMeters meters) {
        this.meters = meters;
        this.jobs = jobs;
        this.slots = slots;
        this.shuffles = shuffles;
        this.caches = caches;
        this.fetcher = fetcher;
        this.selfAddress = selfAddress;
    }

    /**
     * Runs {@code assignment} in a slot, then hands its status to {@code report}; one placed
     * before the map outputs it reads exist (it names awaited shuffles) first waits for them.
     *
     * @param layout the layout the assignment names by id, or null when it carries its own
     *               (or names one this worker does not have: the task then fails saying so)
     */
    public void submit(TaskAssignment assignment, BatchLayout layout, long epoch, Consumer<TaskStatus> report) {
        if (assignment.getAwaitedShufflesCount() > 0) {
            hold(assignment, layout, epoch, report);
        } else {
            slots.submit(() -> report.accept(run(assignment, layout, epoch)));
        }
    }

    /**
     * Keeps an assignment placed before the map outputs it reads exist, taking no slot, until
     * {@link #shuffleReady} gave each shuffle it awaits; then runs it as {@link #submit} does.
     */
    private void hold(TaskAssignment assignment, BatchLayout layout, long epoch, Consumer<TaskStatus> report) {
        TaskSpec task;
        try {
            task = task(assignment, layout);
        } catch (IllegalArgumentException e) {
            // Not runnable whatever arrives: it fails now, saying why.
            slots.submit(() -> report.accept(run(assignment, layout, epoch)));
            return;
        }
        held.hold(task, Set.copyOf(assignment.getAwaitedShufflesList()),
                ready -> slots.submit(() -> report.accept(run(assignment, ready.layout(), epoch))));
    }

    /** Starts the held tasks that waited for the shuffle {@code ready} names last. */
    public void shuffleReady(ShuffleReady ready) {
        held.ready(ready.getJob(), ready.getBatchTimeMs(), ready.getStage(), ready.getShuffle().getShuffle(),
                ready.getShuffle().getMapOutputAddressesList());
    }

    /** Tasks held until their input is ready. */
    public int held() {
        return held.size();
    }

    /** Drops every held task: the coordinator that placed them no longer knows this worker by that registration. */
    public void registered() {
        held.clear();
    }

    /** Stops the attempt {@code id}: drops it if held, interrupts it if it runs, keeps it from starting if not. */
    public void cancel(TaskId id) {
        if (held.drop(id.getJob(), id.getBatchTimeMs(), id.getStage(), id.getPartition(), id.getAttempt())) {
            return;
        }
        // Atomic with the removal in run(), so a finished attempt's thread is never interrupted.
        Thread t = runningAttempts.computeIfPresent(id, (k, thread) -> {
            thread.interrupt();
            return thread;
        });
        if (t == null) {
            cancelledEarly.add(id);
        }
    }

    /** Forgets cancels of attempts of batches that are done: they will not start any more. */
    public void batchDone(String job, long batchTimeMs) {
        held.batchDone(job, batchTimeMs);
        cancelledEarly.removeIf(id -> id.getJob().equals(job) && id.getBatchTimeMs() <= batchTimeMs);
    }

    private TaskStatus run(TaskAssignment assignment, BatchLayout layout, long epoch) {
        TaskId id = assignment.getId();
        runningAttempts.put(id, Thread.currentThread());
        // Every log line of the task names it (and JSON logs carry these as fields).
        MDC.put("job", id.getJob());
        MDC.put("batch", Long.toString(id.getBatchTimeMs()));
        MDC.put("stage", Integer.toString(id.getStage()));
        MDC.put("task", id.getPartition() + "." + id.getAttempt());
        long started = System.nanoTime();
        TaskStatus status = null;
        try {
            if (cancelledEarly.remove(id)) {
                throw new TaskCancelledException("task was cancelled before it started: another attempt won");
            }
            status = attempt(assignment, layout, epoch);
        } catch (TaskCancelledException e) {
            status = cancelled(assignment, epoch, e.getMessage());
        } catch (RuntimeException e) {
            if (!Thread.currentThread().isInterrupted()) {
                throw e;
            }
            // Interrupted in a fetch or a write: the cancel, not a failure of the task.
            status = cancelled(assignment, epoch, e.toString());
        } finally {
            runningAttempts.remove(id);
            Thread.interrupted();
            MDC.remove("job");
            MDC.remove("batch");
            MDC.remove("stage");
            MDC.remove("task");
        }
        meters.ended(status, System.nanoTime() - started);
        return status;
    }

    /** The task {@code assignment} describes, reading {@code layout} when given, else the one it carries. */
    private static TaskSpec task(TaskAssignment assignment, BatchLayout layout) {
        if (layout != null) {
            return TaskMessages.fromAssignment(assignment, layout);
        }
        if (assignment.getLayoutId() == 0) {
            return TaskMessages.fromAssignment(assignment);
        }
        throw new IllegalArgumentException("the assignment names layout " + assignment.getLayoutId()
                + ", which the coordinator did not send on this stream or which belongs to a batch already done");
    }

    private TaskStatus cancelled(TaskAssignment assignment, long epoch, String why) {
        LOG.fine(() -> "task " + assignment.getId() + " cancelled: " + why);
        return TaskStatus.newBuilder().setId(assignment.getId()).setEpoch(epoch).setState(TaskStatus.State.FAILED)
                .setFailure(TaskStatus.Failure.CANCELLED).setError(why).setFreeSlots(slots.freeOnceDone()).build();
    }

    private TaskStatus attempt(TaskAssignment assignment, BatchLayout layout, long epoch) {
        TaskStatus.Builder status = TaskStatus.newBuilder().setId(assignment.getId()).setEpoch(epoch);
        try {
            TaskSpec task = task(assignment, layout);
            TaskRunner runner = jobs.runner(task.job());
            RemoteTaskContext ctx = new RemoteTaskContext(task.job(), task.layout(), selfAddress, shuffles, caches, fetcher,
                    runner.graph().checkpointDirectory());
            byte[] result = runner.run(task, ctx);
            status.setState(TaskStatus.State.SUCCEEDED).setResult(ByteString.copyFrom(result));
        } catch (FetchFailedException e) {
            LOG.info(() -> "task " + assignment.getId().getJob() + "@" + assignment.getId().getBatchTimeMs()
                    + " stage " + assignment.getId().getStage() + " partition " + assignment.getId().getPartition()
                    + " lost its input: " + e.getMessage());
            status.setState(TaskStatus.State.FAILED).setFailure(TaskStatus.Failure.FETCH_FAILED)
                    .setLostLocation(e.location()).setError(e.getMessage());
        } catch (InputUnavailableException e) {
            LOG.info(() -> "task " + assignment.getId().getJob() + "@" + assignment.getId().getBatchTimeMs()
                    + " stage " + assignment.getId().getStage() + " partition " + assignment.getId().getPartition()
                    + " waits for its input: " + e.getMessage());
            status.setState(TaskStatus.State.FAILED).setFailure(TaskStatus.Failure.INPUT_UNAVAILABLE)
                    .setError(e.getMessage());
        } catch (TaskCancelledException e) {
            throw e;
        } catch (RuntimeException | LinkageError e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new TaskCancelledException(String.valueOf(e));
            }
            LOG.log(Level.WARNING, "task " + assignment.getId().getJob() + "@" + assignment.getId().getBatchTimeMs()
                    + " stage " + assignment.getId().getStage() + " partition " + assignment.getId().getPartition()
                    + " failed: " + e, e);
            status.setState(TaskStatus.State.FAILED).setFailure(TaskStatus.Failure.TASK_ERROR)
                    .setError(String.valueOf(e.getMessage() == null ? e : e.getMessage()));
        }
        return status.setFreeSlots(slots.freeOnceDone()).build();
    }
}
