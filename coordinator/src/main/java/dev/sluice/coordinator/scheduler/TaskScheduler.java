package dev.sluice.coordinator.scheduler;

import dev.sluice.coordinator.cluster.Worker;
import dev.sluice.coordinator.cluster.WorkerRegistry;
import dev.sluice.engine.exec.FetchFailedException;
import dev.sluice.engine.exec.TaskFailedException;
import dev.sluice.engine.exec.TaskLauncher;
import dev.sluice.engine.exec.TaskOutcome;
import dev.sluice.engine.exec.TaskSpec;
import dev.sluice.engine.graph.BatchLayout;
import dev.sluice.engine.plan.StageRole;
import dev.sluice.protocol.CancelTask;
import dev.sluice.protocol.CoordinatorMessage;
import dev.sluice.protocol.TaskId;
import dev.sluice.protocol.TaskStatus;
import dev.sluice.protocol.convert.TaskMessages;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;

/**
 * Hands tasks to workers with free slots, least loaded first, so faster workers take
 * more tasks. A failed task is retried on another worker up to a limit; a task whose
 * input is unavailable for now (a receiver restarting, a peer gone) is retried with
 * backoff, with its inputs looked up again, for up to a time limit, without counting as
 * a failure; the running tasks of a lost worker go back to the queue; a straggler gets a
 * copy on another worker and the first result wins (see {@link Speculation}). Status for an
 * attempt that is no longer current (reassigned, or from an old epoch) is ignored, so
 * nothing counts twice.
 *
 * <p>The attempts of a task are those of one {@link #launch}: the executor may launch the same
 * batch, stage and partition again while a loser of an earlier launch still runs (a kept batch
 * recomputed after a restart, a lost map output run again). Such an attempt neither stands in
 * for the new launch's attempts nor is cancelled by their win, and no two running attempts
 * share an id, since a worker reports by id.
 */
public final class TaskScheduler implements TaskLauncher {

    private static final Logger LOG = Logger.getLogger(TaskScheduler.class.getName());
    private static final long MIN_WAIT_MS = 200;
    private static final long SPECULATION_CHECK_MS = 100;
    // Attempt numbers of copies start here, clear of the retries' numbers.
    private static final int SPECULATIVE_ATTEMPTS = 500;
    private static final long MAX_WAIT_MS = 5_000;

    /**
     * A task waiting for a slot, or, while some shuffles it {@code awaits} are not ready, for
     * a worker to be placed on.
     */
    private record Pending(TaskSpec task, CompletableFuture<TaskOutcome> result, int failures, Set<String> failedOn,
                           long unavailableSinceMs, int unavailableTries, boolean speculative, Set<Integer> awaits) {

        Pending retry(TaskSpec next, int moreFailures, String failedWorker, boolean unavailable, long nowMs) {
            Set<String> avoid = new HashSet<>(failedOn);
            if (failedWorker != null) {
                avoid.add(failedWorker);
            }
            return new Pending(next, result, failures + moreFailures, avoid,
                    unavailable ? (unavailableSinceMs > 0 ? unavailableSinceMs : nowMs) : 0,
                    unavailable ? unavailableTries + 1 : 0, false, awaits);
        }

        Pending withTask(TaskSpec next) {
            return new Pending(next, result, failures, failedOn, unavailableSinceMs, unavailableTries, speculative, awaits);
        }
    }

    /**
     * A task on a worker: running since {@code startedMs}, or, while {@code awaiting} is not
     * empty, placed there and waiting for those shuffles (since {@code startedMs}).
     */
    private record Running(Pending pending, Worker worker, long startedMs, Set<Integer> awaiting) {
        boolean placed() {
            return !awaiting.isEmpty();
        }
    }

    /** Identifies a task, whatever the attempt. */
    private record TaskKey(String job, long batchTimeMs, int stage, int partition) {
        static TaskKey of(TaskSpec t) {
            return new TaskKey(t.job(), t.batchTimeMs(), t.stage(), t.partition());
        }

        StageKey stageKey() {
            return new StageKey(job, batchTimeMs, stage);
        }
    }

    /** Identifies one stage of one batch. */
    private record StageKey(String job, long batchTimeMs, int stage) {
    }

    /** Counts of one stage of one batch, for {@link StageStats}. */
    private static final class StageCounts {
        int tasks;
        int attempts;
        int failed;
        int speculative;
        final long firstLaunchMs = System.currentTimeMillis();
        long lastEndMs = -1;
    }

    /** How many of a stage's tasks were launched, and how long the finished ones took. */
    private static final class StageProgress {
        int launched;
        final List<Long> finishedMs = new ArrayList<>();
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
    private final Speculation speculation;
    // Retries and copies go first; new tasks in batch order (see enqueue).
    private final LinkedList<Pending> queue = new LinkedList<>();
    // Tasks to place ahead of their input, waiting for a worker to take them.
    private final LinkedList<Pending> unplaced = new LinkedList<>();
    // For each stage with tasks placed ahead, the map outputs of the shuffles that are ready.
    private final Map<StageKey, Map<Integer, List<String>>> readyShuffles = new HashMap<>();
    private final Map<AttemptKey, Running> running = new HashMap<>();
    // The attempts in running of each launch, by its future: a stage started as a group has all
    // its tasks running at once, so finding a task's other attempts must not scan them all.
    private final Map<CompletableFuture<TaskOutcome>, Set<AttemptKey>> attemptsOf = new HashMap<>();
    private final Map<StageKey, StageProgress> progress = new HashMap<>();
    private final Map<StageKey, StageCounts> counts = new HashMap<>();
    private final AtomicLong speculativeLaunches = new AtomicLong();
    private final AtomicLong placedAhead = new AtomicLong();
    private final AtomicLong groupedStages = new AtomicLong();
    private final GroupPlans plans;
    private final AtomicLong speculativeWins = new AtomicLong();
    private final AtomicLong cancelled = new AtomicLong();
    private final Function<TaskSpec, Set<StageRole>> roles;
    private final Function<TaskSpec, String> preferred;

    /**
     * @param maxFailures how many times a task may fail before its batch fails
     * @param inputWaitMs how long a task may wait for unavailable input before its batch fails
     * @param refresh     looks a retried task's inputs up again
     * @param timer       runs delayed retries and the straggler check
     */
    public TaskScheduler(WorkerRegistry workers, int maxFailures, long inputWaitMs, UnaryOperator<TaskSpec> refresh,
                         ScheduledExecutorService timer, Speculation speculation) {
        this(workers, maxFailures, inputWaitMs, refresh, task -> EnumSet.allOf(StageRole.class), task -> null, timer,
                speculation, 1);
    }

    /**
     * @param roles     what a task's stage does, so that it goes only to workers whose pool runs such stages
     * @param preferred the address of the worker that holds most of what a task reads, or null: it
     *                  gets the task when it has a free slot
     * @param groupSize how many consecutive batches of a job start their stages under the same
     *                  placement, one message per worker (see {@link GroupPlans}); 1: every task
     *                  goes to a free slot on its own
     */
    public TaskScheduler(WorkerRegistry workers, int maxFailures, long inputWaitMs, UnaryOperator<TaskSpec> refresh,
                         Function<TaskSpec, Set<StageRole>> roles, Function<TaskSpec, String> preferred,
                         ScheduledExecutorService timer, Speculation speculation, int groupSize) {
        this.plans = new GroupPlans(groupSize);
        this.roles = roles;
        this.preferred = preferred;
        this.workers = workers;
        this.maxFailures = maxFailures;
        this.inputWaitMs = inputWaitMs;
        this.refresh = refresh;
        this.timer = timer;
        this.speculation = speculation;
        workers.onLost(this::requeueTasksOf);
        workers.onChange(() -> {
            synchronized (this) {
                plans.clear();
            }
        });
        if (speculation.enabled()) {
            timer.scheduleWithFixedDelay(this::speculate, SPECULATION_CHECK_MS, SPECULATION_CHECK_MS, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public CompletableFuture<TaskOutcome> launch(TaskSpec task) {
        CompletableFuture<TaskOutcome> result = new CompletableFuture<>();
        synchronized (this) {
            enqueue(new Pending(task, result, 0, Set.of(), 0, 0, false, Set.of()));
            progress.computeIfAbsent(TaskKey.of(task).stageKey(), k -> new StageProgress()).launched++;
            counts(task).tasks++;
        }
        dispatch();
        return result;
    }

    @Override
    public boolean preplaces() {
        return true;
    }

    /**
     * Starts the stage under its group placement when it can: the stage's partitions 0..n-1,
     * one attempt number free for all, one layout, no task preferring another worker than its placed one. Each
     * worker of the placement then gets one message and queues its share itself; else the
     * tasks go one by one.
     */
    @Override
    public List<CompletableFuture<TaskOutcome>> launchStage(List<TaskSpec> tasks, Set<Integer> awaited) {
        List<CompletableFuture<TaskOutcome>> futures;
        synchronized (this) {
            futures = startAsGroup(tasks, awaited);
        }
        return futures != null ? futures : TaskLauncher.super.launchStage(tasks, awaited);
    }

    private List<CompletableFuture<TaskOutcome>> startAsGroup(List<TaskSpec> tasks, Set<Integer> awaited) {
        if (!plans.enabled() || tasks.isEmpty()) {
            return null;
        }
        TaskSpec first = tasks.get(0);
        for (int i = 0; i < tasks.size(); i++) {
            TaskSpec t = tasks.get(i);
            // One attempt number for all, none taken by a running loser of an earlier launch.
            if (t.partition() != i || t.attempt() != first.attempt() || t.layout() != first.layout()
                    || running.containsKey(AttemptKey.of(t))) {
                return null;
            }
        }
        GroupPlans.Plan plan = plans.planFor(first.job(), first.batchTimeMs(), first.stage(), roles.apply(first),
                workers.alive());
        if (plan == null) {
            return null;
        }
        for (TaskSpec t : tasks) {
            String where = preferred.apply(t);
            if (where != null && !where.equals(plan.workerOf(t.partition()).address())) {
                return null;
            }
        }
        long now = System.currentTimeMillis();
        Set<Integer> awaits = Set.copyOf(awaited);
        List<CompletableFuture<TaskOutcome>> futures = new ArrayList<>(tasks.size());
        Set<Worker> starting = new LinkedHashSet<>();
        for (TaskSpec t : tasks) {
            Worker w = plan.workerOf(t.partition());
            Pending p = new Pending(t, new CompletableFuture<>(), 0, Set.of(), 0, 0, false, awaits);
            progress.computeIfAbsent(TaskKey.of(t).stageKey(), k -> new StageProgress()).launched++;
            StageCounts c = counts(t);
            c.tasks++;
            c.attempts++;
            if (awaited.isEmpty()) {
                w.taskStarted();
            } else {
                w.taskPlaced();
                placedAhead.incrementAndGet();
            }
            track(new Running(p, w, now, p.awaits()));
            starting.add(w);
            futures.add(p.result());
        }
        starting.forEach(w -> w.startStage(plan.id(), plan.placement(), first, tasks.size(), awaited));
        groupedStages.incrementAndGet();
        return futures;
    }

    /**
     * Places {@code task} on the least loaded live worker at once, slot or not: it takes a
     * slot only once {@link #shuffleReady} started it. Its worker's loss places it again.
     */
    @Override
    public CompletableFuture<TaskOutcome> preplace(TaskSpec task, Set<Integer> awaited) {
        CompletableFuture<TaskOutcome> result = new CompletableFuture<>();
        synchronized (this) {
            unplaced.add(new Pending(task, result, 0, Set.of(), 0, 0, false, Set.copyOf(awaited)));
            progress.computeIfAbsent(TaskKey.of(task).stageKey(), k -> new StageProgress()).launched++;
            counts(task).tasks++;
        }
        dispatch();
        return result;
    }

    /** Starts the tasks of {@code stage} placed ahead that waited for {@code shuffle} last, telling each of their workers once. */
    @Override
    public void shuffleReady(String job, long batchTimeMs, int stage, int shuffle, List<String> locations) {
        synchronized (this) {
            StageKey key = new StageKey(job, batchTimeMs, stage);
            readyShuffles.computeIfAbsent(key, k -> new HashMap<>()).put(shuffle, List.copyOf(locations));
            Set<Worker> told = new HashSet<>();
            long now = System.currentTimeMillis();
            for (Map.Entry<AttemptKey, Running> e : running.entrySet()) {
                Running r = e.getValue();
                if (!r.awaiting().contains(shuffle) || !TaskKey.of(r.pending().task()).stageKey().equals(key)) {
                    continue;
                }
                if (told.add(r.worker())) {
                    r.worker().shuffleReady(job, batchTimeMs, stage, shuffle, locations);
                }
                // Its layout gets the outputs too: a retry or a copy of it must not wait again.
                Pending filled = resolved(r.pending());
                if (filled.awaits().isEmpty()) {
                    r.worker().placedTaskLeft(true);
                }
                e.setValue(new Running(filled, r.worker(), now, filled.awaits()));
            }
        }
    }

    /** Drops the tasks of {@code stage} still waiting to be placed or for their input, telling their workers. */
    @Override
    public void stageOver(String job, long batchTimeMs, int stage) {
        synchronized (this) {
            StageKey key = new StageKey(job, batchTimeMs, stage);
            readyShuffles.remove(key);
            unplaced.removeIf(p -> TaskKey.of(p.task()).stageKey().equals(key));
            queue.removeIf(p -> !p.awaits().isEmpty() && TaskKey.of(p.task()).stageKey().equals(key));
            for (Running r : List.copyOf(running.values())) {
                if (r.placed() && TaskKey.of(r.pending().task()).stageKey().equals(key)) {
                    untrack(AttemptKey.of(r.pending().task()));
                    r.worker().placedTaskLeft(false);
                    r.worker().send(CoordinatorMessage.newBuilder().setCancel(CancelTask.newBuilder()
                            .setId(TaskMessages.id(r.pending().task()))).build());
                }
            }
        }
        dispatch();
    }

    /**
     * {@code p} with the map outputs of the shuffles it awaits that are ready filled into its
     * layout; the same object when none is, so that its layout stays the one workers have.
     */
    private Pending resolved(Pending p) {
        if (p.awaits().isEmpty()) {
            return p;
        }
        Map<Integer, List<String>> ready = readyShuffles.getOrDefault(TaskKey.of(p.task()).stageKey(), Map.of());
        Set<Integer> rest = new HashSet<>(p.awaits());
        BatchLayout layout = p.task().layout();
        for (Map.Entry<Integer, List<String>> e : ready.entrySet()) {
            if (rest.remove(e.getKey())) {
                layout = layout.withMapOutputs(e.getKey(), e.getValue());
            }
        }
        if (rest.size() == p.awaits().size()) {
            return p;
        }
        return new Pending(p.task().withLayout(layout), p.result(), p.failures(), p.failedOn(), p.unavailableSinceMs(),
                p.unavailableTries(), p.speculative(), Set.copyOf(rest));
    }

    /**
     * Queues a new task behind every queued task of its batch or an earlier one, and ahead of
     * later batches' tasks: with batches in flight at once, a batch's later stages do not wait
     * behind the next batch's first stage.
     */
    private void enqueue(Pending p) {
        ListIterator<Pending> it = queue.listIterator(queue.size());
        while (it.hasPrevious()) {
            if (it.previous().task().batchTimeMs() <= p.task().batchTimeMs()) {
                it.next();
                break;
            }
        }
        it.add(p);
    }

    /** Places the tasks waiting to be placed ahead, and assigns queued tasks to free slots, as many as there are. */
    public synchronized void dispatch() {
        place();
        Iterator<Pending> it = queue.iterator();
        while (it.hasNext()) {
            Pending p = resolved(it.next());
            if (!p.awaits().isEmpty()) {
                // Requeued from a lost worker before its input was ready: placed ahead again.
                it.remove();
                unplaced.addFirst(p);
                place();
                continue;
            }
            Worker w = pick(p.failedOn(), roles.apply(p.task()), p.speculative() ? null : preferred.apply(p.task()));
            if (w == null) {
                if (noFreeSlot()) {
                    return;
                }
                // Free slots only in pools that do not run this stage: later tasks may fit.
                continue;
            }
            it.remove();
            if (p.result().isDone()) {
                continue;
            }
            p = withFreeAttempt(p);
            w.taskStarted();
            counts(p.task()).attempts++;
            track(new Running(p, w, System.currentTimeMillis(), Set.of()));
            w.assign(p.task());
        }
    }

    /** Places each task waiting to be placed ahead on the least loaded live worker that runs its stage. */
    private void place() {
        for (Iterator<Pending> it = unplaced.iterator(); it.hasNext(); ) {
            Pending p = resolved(it.next());
            Worker w = pickToPlace(p.failedOn(), roles.apply(p.task()));
            if (w == null) {
                return;
            }
            it.remove();
            if (p.result().isDone()) {
                continue;
            }
            p = withFreeAttempt(p);
            counts(p.task()).attempts++;
            if (p.awaits().isEmpty()) {
                w.taskStarted();
            } else {
                w.taskPlaced();
                placedAhead.incrementAndGet();
            }
            track(new Running(p, w, System.currentTimeMillis(), p.awaits()));
            w.assign(p.task(), p.awaits());
        }
    }

    private Worker pickToPlace(Set<String> avoid, Set<StageRole> stageRoles) {
        Worker best = null;
        for (Worker w : workers.alive()) {
            if (w.draining() || !w.runs(stageRoles)) {
                continue;
            }
            if (best == null || avoid.contains(best.id()) && !avoid.contains(w.id())
                    || avoid.contains(best.id()) == avoid.contains(w.id()) && load(w) < load(best)) {
                best = w;
            }
        }
        return best;
    }

    /**
     * {@code p}, renumbered past the attempts that run under its id: a loser of an earlier
     * launch of the same task may still run, and a status names its attempt by id only.
     */
    private Pending withFreeAttempt(Pending p) {
        TaskSpec task = p.task();
        while (running.containsKey(AttemptKey.of(task))) {
            task = task.withAttempt(task.attempt() + 1);
        }
        return task == p.task() ? p : p.withTask(task);
    }

    private boolean noFreeSlot() {
        return workers.alive().stream().allMatch(w -> w.freeSlots() <= 0);
    }

    /**
     * The worker at {@code preferredAddress} when it has a free slot (the task's data is
     * there), else the least loaded live worker with a free slot; only workers that run
     * stages with {@code stageRoles}, avoiding those the task already failed on when possible.
     */
    private Worker pick(Set<String> avoid, Set<StageRole> stageRoles, String preferredAddress) {
        Worker best = null;
        Worker fallback = null;
        for (Worker w : workers.alive()) {
            if (w.freeSlots() <= 0 || !w.runs(stageRoles)) {
                continue;
            }
            if (w.address().equals(preferredAddress) && !avoid.contains(w.id())) {
                return w;
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
        return (double) (w.running() + w.placed()) / w.slots();
    }

    /**
     * Takes a status report from {@code worker}.
     *
     * @return false when it was ignored: not of an attempt that runs on {@code worker} under its epoch
     */
    public boolean onStatus(Worker worker, TaskStatus status) {
        CompletableFuture<TaskOutcome> done = null;
        TaskOutcome outcome = null;
        RuntimeException failure = null;
        synchronized (this) {
            AttemptKey key = AttemptKey.of(status.getId());
            Running r = running.get(key);
            if (r == null || r.worker() != worker || status.getEpoch() != worker.epoch()) {
                LOG.fine(() -> "ignoring status of stale attempt " + key + " from worker " + worker.id());
                return false;
            }
            untrack(key);
            boolean ok = status.getState() == TaskStatus.State.SUCCEEDED;
            if (r.placed()) {
                worker.placedTaskLeft(false);
            } else {
                worker.taskEnded(ok);
            }
            StageCounts c = counts(r.pending().task());
            c.lastEndMs = System.currentTimeMillis();
            if (!ok && status.getFailure() != TaskStatus.Failure.CANCELLED) {
                c.failed++;
            }
            Pending p = r.pending();
            if (p.result().isDone() || (!ok && otherAttemptRuns(p))) {
                // A copy already won, or another attempt may still: this one is moot.
                LOG.fine(() -> "ignoring the outcome of attempt " + key + ": another attempt won or still runs");
            } else if (ok) {
                done = p.result();
                outcome = new TaskOutcome(worker.address(), status.getResult().toByteArray());
                StageProgress stage = progress.get(TaskKey.of(p.task()).stageKey());
                if (stage != null) {
                    stage.finishedMs.add(System.currentTimeMillis() - r.startedMs());
                    if (stage.finishedMs.size() >= stage.launched) {
                        progress.remove(TaskKey.of(p.task()).stageKey());
                    }
                }
                if (p.speculative()) {
                    speculativeWins.incrementAndGet();
                }
                cancelOtherAttempts(p, key);
            } else if (status.getFailure() == TaskStatus.Failure.FETCH_FAILED) {
                // Not the task's fault and not for the scheduler to mend: the batch recomputes the lost output.
                done = p.result();
                failure = new FetchFailedException(status.getLostLocation(), "task " + p.task().name()
                        + " on worker " + worker.id() + ": " + status.getError());
            } else if (status.getFailure() == TaskStatus.Failure.CANCELLED) {
                // Only losers are cancelled, and they are moot: this attempt took the id of one that had
                // ended before its cancel came, which the worker keeps for an attempt yet to start.
                queue.addFirst(p.retry(refresh.apply(p.task().withAttempt(p.task().attempt() + 1)), 0, null, false,
                        System.currentTimeMillis()));
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
        return true;
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
            queue.addFirst(p.withTask(refresh.apply(p.task())));
        }
        dispatch();
    }

    /**
     * Tells the workers running other attempts of {@code p} to stop them: the first
     * result won. Their slots stay taken until they report, as they soon do.
     */
    private void cancelOtherAttempts(Pending p, AttemptKey winner) {
        for (AttemptKey other : attemptsOf.getOrDefault(p.result(), Set.of())) {
            if (!other.equals(winner)) {
                Running r = running.get(other);
                r.worker().send(CoordinatorMessage.newBuilder().setCancel(CancelTask.newBuilder()
                        .setId(TaskMessages.id(r.pending().task()))).build());
                cancelled.incrementAndGet();
            }
        }
    }

    /** Whether another attempt of {@code p}'s launch runs; not one of an earlier launch of the same task. */
    private boolean otherAttemptRuns(Pending p) {
        return attemptsOf.containsKey(p.result());
    }

    private void track(Running r) {
        AttemptKey key = AttemptKey.of(r.pending().task());
        running.put(key, r);
        attemptsOf.computeIfAbsent(r.pending().result(), k -> new HashSet<>(2)).add(key);
    }

    private Running untrack(AttemptKey key) {
        Running r = running.remove(key);
        if (r != null) {
            Set<AttemptKey> attempts = attemptsOf.get(r.pending().result());
            attempts.remove(key);
            if (attempts.isEmpty()) {
                attemptsOf.remove(r.pending().result());
            }
        }
        return r;
    }

    /**
     * Copies stragglers: in every stage with enough tasks finished, each task that has run much
     * longer than the median of the finished ones, and has no copy yet, gets one elsewhere.
     */
    private void speculate() {
        synchronized (this) {
            long now = System.currentTimeMillis();
            // Running attempts by launch (futures are equal only to themselves).
            Map<CompletableFuture<TaskOutcome>, Integer> attempts = new HashMap<>();
            attemptsOf.forEach((launch, keys) -> attempts.put(launch, keys.size()));
            for (Running r : List.copyOf(running.values())) {
                Pending p = r.pending();
                StageProgress stage = progress.get(TaskKey.of(p.task()).stageKey());
                if (r.placed() || p.speculative() || p.result().isDone() || attempts.get(p.result()) > 1 || stage == null
                        || stage.finishedMs.isEmpty() || stage.finishedMs.size() < speculation.quantile() * stage.launched) {
                    continue;
                }
                long threshold = Math.max(speculation.minimumMs(), (long) (speculation.multiplier() * median(stage.finishedMs)));
                if (now - r.startedMs() > threshold && anotherWorkerIsFree(r.worker(), roles.apply(p.task()))) {
                    Set<String> avoid = new HashSet<>(p.failedOn());
                    avoid.add(r.worker().id());
                    queue.addFirst(new Pending(p.task().withAttempt(p.task().attempt() + SPECULATIVE_ATTEMPTS), p.result(),
                            p.failures(), avoid, 0, 0, true, Set.of()));
                    attempts.merge(p.result(), 1, Integer::sum);
                    speculativeLaunches.incrementAndGet();
                    counts(p.task()).speculative++;
                    LOG.info(() -> "task " + p.task().name() + " has run " + (now - r.startedMs()) + " ms on worker "
                            + r.worker().id() + ", over " + threshold + " ms: launching a copy");
                }
            }
        }
        dispatch();
    }

    private boolean anotherWorkerIsFree(Worker busy, Set<StageRole> stageRoles) {
        for (Worker w : workers.alive()) {
            if (w != busy && w.freeSlots() > 0 && w.runs(stageRoles)) {
                return true;
            }
        }
        return false;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    /** Stages of batches started under a group placement, one message per worker, so far. */
    public long groupedStages() {
        return groupedStages.get();
    }

    /** Tasks placed on a worker before their input was ready, so far. */
    public long placedAhead() {
        return placedAhead.get();
    }

    /** Copies of stragglers launched so far. */
    public long speculativeLaunches() {
        return speculativeLaunches.get();
    }

    private StageCounts counts(TaskSpec task) {
        return counts.computeIfAbsent(TaskKey.of(task).stageKey(), k -> new StageCounts());
    }

    /**
     * The stages {@code job} ran for its batch at {@code batchTimeMs}, including the stages
     * of earlier batches it recomputed, by batch time and stage; they are forgotten here.
     */
    public synchronized List<StageStats> takeStageStats(String job, long batchTimeMs) {
        List<StageStats> stats = new ArrayList<>();
        for (Iterator<Map.Entry<StageKey, StageCounts>> it = counts.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<StageKey, StageCounts> e = it.next();
            StageKey k = e.getKey();
            if (k.job().equals(job) && k.batchTimeMs() <= batchTimeMs) {
                StageCounts c = e.getValue();
                stats.add(new StageStats(k.stage(), k.batchTimeMs(), c.tasks, c.attempts, c.failed, c.speculative,
                        c.firstLaunchMs, c.lastEndMs));
                it.remove();
            }
        }
        stats.sort(java.util.Comparator.comparingLong(StageStats::batchTimeMs).thenComparingInt(StageStats::stage));
        return stats;
    }

    /** Copies that finished before the attempt they copied. */
    public long speculativeWins() {
        return speculativeWins.get();
    }

    /** How many losing attempts were told to stop. */
    public long attemptsCancelled() {
        return cancelled.get();
    }

    private void requeueTasksOf(Worker worker) {
        synchronized (this) {
            List<AttemptKey> lost = new ArrayList<>();
            running.forEach((k, r) -> {
                if (r.worker() == worker) {
                    lost.add(k);
                }
            });
            int requeued = 0;
            for (AttemptKey k : lost) {
                Pending p = untrack(k).pending();
                if (p.result().isDone() || otherAttemptRuns(p)) {
                    continue;
                }
                // A lost worker is not the task's fault: the retry does not count as a failure.
                queue.addFirst(p.retry(p.task().withAttempt(p.task().attempt() + 1), 0, null, false,
                        System.currentTimeMillis()));
                requeued++;
            }
            if (requeued > 0) {
                int n = requeued;
                LOG.warning(() -> n + " running tasks of worker " + worker.id() + " requeued");
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
