package dev.sluice.coordinator.scheduler;

import dev.sluice.coordinator.cluster.Worker;
import dev.sluice.coordinator.cluster.WorkerRegistry;
import dev.sluice.engine.exec.FetchFailedException;
import dev.sluice.engine.exec.TaskFailedException;
import dev.sluice.engine.exec.TaskLauncher;
import dev.sluice.engine.exec.TaskOutcome;
import dev.sluice.engine.exec.TaskSpec;
import dev.sluice.protocol.CoordinatorMessage;
import dev.sluice.protocol.TaskId;
import dev.sluice.protocol.TaskStatus;
import dev.sluice.protocol.convert.TaskMessages;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;

/**
 * Hands tasks to workers with free slots, least loaded first, so faster workers take
 * more tasks. A failed task is retried on another worker up to a limit; a task whose
 * input is unavailable for now (a receiver restarting, a peer gone) is retried with
 * backoff, with its inputs looked up again, for up to a time limit, without counting as
 * a failure; the running tasks of a lost worker go back to the queue. Status for an
 * attempt that is no longer current (reassigned, or from an old epoch) is ignored, so
 * nothing counts twice.
 */
public final class TaskScheduler implements TaskLauncher {

    private static final Logger LOG = Logger.getLogger(TaskScheduler.class.getName());
    private static final long MIN_WAIT_MS = 200;
    private static final long MAX_WAIT_MS = 5_000;

    /** A task waiting for a slot. */
    private record Pending(TaskSpec task, CompletableFuture<TaskOutcome> result, int failures, Set<String> failedOn,
                           long unavailableSinceMs, int unavailableTries) {

        Pending retry(TaskSpec next, int moreFailures, String failedWorker, boolean unavailable, long nowMs) {
            Set<String> avoid = new HashSet<>(failedOn);
            if (failedWorker != null) {
                avoid.add(failedWorker);
            }
            return new Pending(next, result, failures + moreFailures, avoid,
                    unavailable ? (unavailableSinceMs > 0 ? unavailableSinceMs : nowMs) : 0,
                    unavailable ? unavailableTries + 1 : 0);
        }
    }

    /** A task running on a worker. */
    private record Running(Pending pending, Worker worker) {
    }

    /** Identifies one attempt of one task. */
    private record AttemptKey(String job, long batchTimeMs, int stage, int partition, int attempt) {
        static AttemptKey of(TaskSpec t) {
            return new AttemptKey(t.job(), t.batchTimeMs(), t.stage(), t.partition(), t.attempt());
        }

        static AttemptKey of(TaskId id) {
            return new AttemptKey(id.getJob(), id.getBatchTimeMs(), id.getStage(), id.getPartition(), id.getAttempt());
        }
    }

    private final WorkerRegistry workers;
    private final int maxFailures;
    private final long inputWaitMs;
    private final UnaryOperator<TaskSpec> refresh;
    private final ScheduledExecutorService timer;
    private final Deque<Pending> queue = new ArrayDeque<>();
    private final Map<AttemptKey, Running> running = new HashMap<>();

    /**
     * @param maxFailures how many times a task may fail before its batch fails
     * @param inputWaitMs how long a task may wait for unavailable input before its batch fails
     * @param refresh     looks a retried task's inputs up again
     * @param timer       runs delayed retries
     */
    public TaskScheduler(WorkerRegistry workers, int maxFailures, long inputWaitMs, UnaryOperator<TaskSpec> refresh,
                         ScheduledExecutorService timer) {
        this.workers = workers;
        this.maxFailures = maxFailures;
        this.inputWaitMs = inputWaitMs;
        this.refresh = refresh;
        this.timer = timer;
        workers.onLost(this::requeueTasksOf);
    }

    @Override
    public CompletableFuture<TaskOutcome> launch(TaskSpec task) {
        CompletableFuture<TaskOutcome> result = new CompletableFuture<>();
        synchronized (this) {
            queue.addLast(new Pending(task, result, 0, Set.of(), 0, 0));
        }
        dispatch();
        return result;
    }

    /** Assigns queued tasks to free slots, as many as there are. */
    public synchronized void dispatch() {
        Iterator<Pending> it = queue.iterator();
        while (it.hasNext()) {
            Pending p = it.next();
            Worker w = pick(p.failedOn());
            if (w == null) {
                return;
            }
            it.remove();
            w.taskStarted();
            running.put(AttemptKey.of(p.task()), new Running(p, w));
            w.send(CoordinatorMessage.newBuilder().setAssign(TaskMessages.toAssignment(p.task())).build());
        }
    }

    /** The least loaded live worker with a free slot, avoiding those the task already failed on when possible. */
    private Worker pick(Set<String> avoid) {
        Worker best = null;
        Worker fallback = null;
        for (Worker w : workers.alive()) {
            if (w.freeSlots() <= 0) {
                continue;
            }
            if (avoid.contains(w.id())) {
                if (fallback == null || load(w) < load(fallback)) {
                    fallback = w;
                }
            } else if (best == null || load(w) < load(best)) {
                best = w;
            }
        }
        return best != null ? best : fallback;
    }

    private static double load(Worker w) {
        return (double) w.running() / w.slots();
    }

    /** Takes a status report from {@code worker}. */
    public void onStatus(Worker worker, TaskStatus status) {
        CompletableFuture<TaskOutcome> done = null;
        TaskOutcome outcome = null;
        RuntimeException failure = null;
        synchronized (this) {
            AttemptKey key = AttemptKey.of(status.getId());
            Running r = running.get(key);
            if (r == null || r.worker() != worker || status.getEpoch() != worker.epoch()) {
                LOG.fine(() -> "ignoring status of stale attempt " + key + " from worker " + worker.id());
                return;
            }
            running.remove(key);
            boolean ok = status.getState() == TaskStatus.State.SUCCEEDED;
            worker.taskEnded(ok);
            Pending p = r.pending();
            if (ok) {
                done = p.result();
                outcome = new TaskOutcome(worker.address(), status.getResult().toByteArray());
            } else if (status.getFailure() == TaskStatus.Failure.FETCH_FAILED) {
                // Not the task's fault and not for the scheduler to mend: the batch recomputes the lost output.
                done = p.result();
                failure = new FetchFailedException(status.getLostLocation(), "task " + p.task().name()
                        + " on worker " + worker.id() + ": " + status.getError());
            } else {
                String error = "on worker " + worker.id() + ": " + status.getError();
                failure = retryOrFail(p, worker, status.getFailure() == TaskStatus.Failure.INPUT_UNAVAILABLE, error);
                if (failure != null) {
                    done = p.result();
                }
            }
        }
        // Complete outside the lock: whoever waits may launch more tasks at once.
        if (done != null) {
            if (failure == null) {
                done.complete(outcome);
            } else {
                done.completeExceptionally(failure);
            }
        }
        dispatch();
    }

    /** Queues the next attempt of a failed task, or says why the task has failed for good. */
    private TaskFailedException retryOrFail(Pending p, Worker worker, boolean inputUnavailable, String error) {
        TaskSpec next = p.task().withAttempt(p.task().attempt() + 1);
        long now = System.currentTimeMillis();
        if (inputUnavailable) {
            Pending retry = p.retry(next, 0, null, true, now);
            if (now - retry.unavailableSinceMs() >= inputWaitMs) {
                return new TaskFailedException("task " + p.task().name() + " could not read its input for "
                        + (now - retry.unavailableSinceMs()) + " ms; last error " + error);
            }
            long wait = Math.min(MAX_WAIT_MS, MIN_WAIT_MS << Math.min(10, retry.unavailableTries() - 1));
            LOG.info(() -> "input of task " + p.task().name() + " unavailable (" + error + "); retrying in " + wait + " ms");
            timer.schedule(() -> requeue(retry), wait, TimeUnit.MILLISECONDS);
            return null;
        }
        int failures = p.failures() + 1;
        if (failures >= maxFailures) {
            return new TaskFailedException("task " + p.task().name() + " failed " + failures + " times; last error " + error);
        }
        queue.addFirst(p.retry(refresh.apply(next), 1, worker.id(), false, now));
        return null;
    }

    private void requeue(Pending p) {
        synchronized (this) {
            queue.addFirst(new Pending(refresh.apply(p.task()), p.result(), p.failures(), p.failedOn(),
                    p.unavailableSinceMs(), p.unavailableTries()));
        }
        dispatch();
    }

    private void requeueTasksOf(Worker worker) {
        synchronized (this) {
            List<AttemptKey> lost = new ArrayList<>();
            running.forEach((k, r) -> {
                if (r.worker() == worker) {
                    lost.add(k);
                }
            });
            for (AttemptKey k : lost) {
                Pending p = running.remove(k).pending();
                // A lost worker is not the task's fault: the retry does not count as a failure.
                queue.addFirst(p.retry(p.task().withAttempt(p.task().attempt() + 1), 0, null, false,
                        System.currentTimeMillis()));
            }
            if (!lost.isEmpty()) {
                LOG.warning(() -> lost.size() + " running tasks of worker " + worker.id() + " requeued");
            }
        }
        dispatch();
    }

    /** Tasks waiting for a slot. */
    public synchronized int queued() {
        return queue.size();
    }

    /** Tasks running on workers. */
    public synchronized int runningCount() {
        return running.size();
    }
}
