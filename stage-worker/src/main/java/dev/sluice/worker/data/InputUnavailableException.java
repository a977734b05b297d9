package dev.sluice.worker.data;

/**
 * Input that cannot be read now but may be soon: a receiver that is down or restarting
 * and replaying its write-ahead log. The coordinator retries such a task with backoff
 * instead of counting a failure.
 */
public final class InputUnavailableException extends RuntimeException {

    public InputUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
