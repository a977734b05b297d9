package dev.sluice.engine.exec;

/** A task that did not succeed, with the reason its last attempt gave. */
public final class TaskFailedException extends RuntimeException {

    public TaskFailedException(String message) {
        super(message);
    }

    public TaskFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
