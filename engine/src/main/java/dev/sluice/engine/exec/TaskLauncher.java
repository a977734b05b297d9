package dev.sluice.engine.exec;

import java.util.concurrent.CompletableFuture;

/** Runs tasks somewhere: in this process, or on stage-workers. */
public interface TaskLauncher {

    /** Starts {@code task}; the future completes with its outcome or fails with {@link TaskFailedException}. */
    CompletableFuture<TaskOutcome> launch(TaskSpec task);
}
