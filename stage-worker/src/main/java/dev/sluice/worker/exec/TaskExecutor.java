package dev.sluice.worker.exec;

import com.google.protobuf.ByteString;
import dev.sluice.engine.cache.CacheStore;
import dev.sluice.engine.exec.FetchFailedException;
import dev.sluice.engine.exec.TaskCancelledException;
import dev.sluice.engine.exec.TaskRunner;
import dev.sluice.engine.exec.TaskSpec;
import dev.sluice.engine.graph.BatchLayout;
import dev.sluice.engine.shuffle.ShuffleStore;
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
     * Runs {@code assignment} in a slot, then hands its status to {@code report}.
     *
     * @param layout the layout the assignment names by id, or null when it carries its own
     *               (or names one this worker does not have: the task then fails saying so)
     */
    public void submit(TaskAssignment assignment, BatchLayout layout, long epoch, Consumer<TaskStatus> report) {
        slots.submit(() -> report.accept(run(assignment, layout, epoch)));
    }

    /** Stops the attempt {@code id}: interrupts it if it runs, keeps it from starting if not. */
    public void cancel(TaskId id) {
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

    private static BatchLayout named(TaskAssignment assignment, BatchLayout layout) {
        if (layout == null) {
            throw new IllegalArgumentException("the assignment names layout " + assignment.getLayoutId()
                    + ", which the coordinator did not send on this stream or which belongs to a batch already done");
        }
        return layout;
    }

    private TaskStatus cancelled(TaskAssignment assignment, long epoch, String why) {
        LOG.fine(() -> "task " + assignment.getId() + " cancelled: " + why);
        return TaskStatus.newBuilder().setId(assignment.getId()).setEpoch(epoch).setState(TaskStatus.State.FAILED)
                .setFailure(TaskStatus.Failure.CANCELLED).setError(why).setFreeSlots(slots.free() + 1).build();
    }

    private TaskStatus attempt(TaskAssignment assignment, BatchLayout layout, long epoch) {
        TaskStatus.Builder status = TaskStatus.newBuilder().setId(assignment.getId()).setEpoch(epoch);
        try {
            TaskSpec task = assignment.getLayoutId() == 0 ? TaskMessages.fromAssignment(assignment)
                    : TaskMessages.fromAssignment(assignment, named(assignment, layout));
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
        // The slot is still counted busy here; report what will be free once it returns.
        return status.setFreeSlots(slots.free() + 1).build();
    }
}
