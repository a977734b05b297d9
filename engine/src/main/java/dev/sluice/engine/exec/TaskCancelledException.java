package dev.sluice.engine.exec;

/** A running task was told to stop (another attempt of it won) and did. */
public final class TaskCancelledException extends RuntimeException {

    public TaskCancelledException(String message) {
        super(message);
    }
}
