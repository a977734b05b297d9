package dev.sluice.engine.exec;

import dev.sluice.engine.graph.BatchLayout;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Tasks placed before the map outputs they read exist (Drizzle's pre-scheduling of
 * downstream stages), each started once every shuffle it awaits is ready, with those map
 * outputs' locations added to its layout. A shuffle may be ready before a task that awaits
 * it arrives: it is remembered until its stage is over. Thread-safe; tasks start outside
 * the lock, on the thread that made them ready.
 */
public final class HeldTasks {

    /** One stage of one batch. */
    private record StageKey(String job, long batchTimeMs, int stage) {
        static StageKey of(TaskSpec task) {
            return new StageKey(task.job(), task.batchTimeMs(), task.stage());
        }
    }

    private static final class Held {
        TaskSpec task;
        final Set<Integer> awaited;
        final Consumer<TaskSpec> start;

        Held(TaskSpec task, Set<Integer> awaited, Consumer<TaskSpec> start) {
            this.task = task;
            this.awaited = new HashSet<>(awaited);
            this.start = start;
        }
    }

    private final Map<StageKey, List<Held>> held = new HashMap<>();
    private final Map<StageKey, Map<Integer, List<String>>> ready = new HashMap<>();

    /**
     * Holds {@code task} until the map outputs of every shuffle in {@code awaited} are ready,
     * then hands it, its layout completed, to {@code start}: at once when they already are.
     */
    public void hold(TaskSpec task, Set<Integer> awaited, Consumer<TaskSpec> start) {
        Held h = new Held(task, awaited, start);
        synchronized (this) {
            Map<Integer, List<String>> known = ready.get(StageKey.of(task));
            if (known != null) {
                known.forEach((shuffle, locations) -> complete(h, shuffle, locations));
            }
            if (!h.awaited.isEmpty()) {
                held.computeIfAbsent(StageKey.of(task), k -> new ArrayList<>()).add(h);
                return;
            }
        }
        h.start.accept(h.task);
    }

    /**
     * Holds {@code task} as {@link #hold(TaskSpec, Set, Consumer)} does, and launches it on
     * {@code launcher} once ready: an in-process launcher's way to place tasks ahead.
     */
    public CompletableFuture<TaskOutcome> launchWhenReady(TaskSpec task, Set<Integer> awaited, TaskLauncher launcher) {
        CompletableFuture<TaskOutcome> outcome = new CompletableFuture<>();
        hold(task, awaited, ready -> launcher.launch(ready).whenComplete((o, e) -> {
            if (e == null) {
                outcome.complete(o);
            } else {
                outcome.completeExceptionally(e);
            }
        }));
        return outcome;
    }

    /** The map outputs of {@code shuffle}, read by {@code job}'s {@code stage} at {@code batchTimeMs}, are at {@code locations}. */
    public void ready(String job, long batchTimeMs, int stage, int shuffle, List<String> locations) {
        List<Held> starting = new ArrayList<>();
        StageKey key = new StageKey(job, batchTimeMs, stage);
        synchronized (this) {
            ready.computeIfAbsent(key, k -> new HashMap<>()).put(shuffle, List.copyOf(locations));
            List<Held> waiting = held.get(key);
            if (waiting != null) {
                for (Iterator<Held> it = waiting.iterator(); it.hasNext(); ) {
                    Held h = it.next();
                    complete(h, shuffle, locations);
                    if (h.awaited.isEmpty()) {
                        it.remove();
                        starting.add(h);
                    }
                }
            }
        }
        starting.forEach(h -> h.start.accept(h.task));
    }

    private static void complete(Held h, int shuffle, List<String> locations) {
        if (h.awaited.remove(shuffle)) {
            BatchLayout layout = h.task.layout();
            h.task = h.task.withLayout(layout.withMapOutputs(shuffle, locations));
        }
    }

    /**
     * Drops the one held attempt {@code job}@{@code batchTimeMs}/{@code stage}/{@code partition}/{@code attempt}.
     *
     * @return whether it was held
     */
    public synchronized boolean drop(String job, long batchTimeMs, int stage, int partition, int attempt) {
        List<Held> waiting = held.get(new StageKey(job, batchTimeMs, stage));
        return waiting != null && waiting.removeIf(h -> h.task.partition() == partition && h.task.attempt() == attempt);
    }

    /** {@code job}'s {@code stage} at {@code batchTimeMs} is over: what still waits for it never starts. */
    public synchronized void stageOver(String job, long batchTimeMs, int stage) {
        StageKey key = new StageKey(job, batchTimeMs, stage);
        held.remove(key);
        ready.remove(key);
    }

    /** Drops everything of {@code job}'s batches up to {@code batchTimeMs}. */
    public synchronized void batchDone(String job, long batchTimeMs) {
        held.keySet().removeIf(k -> k.job().equals(job) && k.batchTimeMs() <= batchTimeMs);
        ready.keySet().removeIf(k -> k.job().equals(job) && k.batchTimeMs() <= batchTimeMs);
    }

    /** Drops everything. */
    public synchronized void clear() {
        held.clear();
        ready.clear();
    }

    /** How many tasks wait. */
    public synchronized int size() {
        return held.values().stream().mapToInt(List::size).sum();
    }
}
