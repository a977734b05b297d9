package dev.sluice.engine.exec;

/** An output operation whose coordinator-side half failed for a batch. */
public final class OutputFailedException extends RuntimeException {

    public OutputFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
