package dev.sluice.engine.exec;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Runs tasks somewhere: in this process, or on stage-workers.
 *
 * <p>A launcher may also place a stage's tasks before the map outputs they read exist
 * (Drizzle's pre-scheduling): the tasks are where they will run while the map stage runs, and
 * start the moment {@link #shuffleReady} says where the outputs are, with no scheduling round
 * in between. Launchers that do not ({@link #preplaces()} false) get the stage launched once
 * its map stages are done.
 */
public interface TaskLauncher {

    /** Starts {@code task}; the future completes with its outcome or fails with {@link TaskFailedException}. */
    CompletableFuture<TaskOutcome> launch(TaskSpec task);

    /** Whether this launcher places tasks ahead of their input ({@link #preplace}). */
    default boolean preplaces() {
        return false;
    }

    /**
     * Places {@code task}, whose layout lacks the map outputs of the shuffles in
     * {@code awaited}; it starts once {@link #shuffleReady} gave them all. The future is as
     * {@link #launch}'s.
     */
    default CompletableFuture<TaskOutcome> preplace(TaskSpec task, Set<Integer> awaited) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not place tasks ahead of their input");
    }

    /**
     * Launches the tasks of one stage of one batch, all reading the same layout: placed ahead
     * ({@link #preplace}) when {@code awaited} is not empty. A launcher may start them as a
     * group, with one message per worker; by default they go one by one.
     *
     * @return each task's future, in the order of {@code tasks}
     */
    default List<CompletableFuture<TaskOutcome>> launchStage(List<TaskSpec> tasks, Set<Integer> awaited) {
        List<CompletableFuture<TaskOutcome>> futures = new ArrayList<>(tasks.size());
        for (TaskSpec task : tasks) {
            futures.add(awaited.isEmpty() ? launch(task) : preplace(task, awaited));
        }
        return futures;
    }

    /**
     * The map outputs of {@code shuffle} that {@code job}'s {@code stage} at {@code batchTimeMs}
     * reads are at {@code locations}, one per map partition.
     */
    default void shuffleReady(String job, long batchTimeMs, int stage, int shuffle, List<String> locations) {
    }

    /**
     * {@code job}'s {@code stage} at {@code batchTimeMs} needs nothing more of its placed tasks:
     * those still waiting are dropped, their futures never complete.
     */
    default void stageOver(String job, long batchTimeMs, int stage) {
    }
}
