package dev.sluice.engine.exec;

/**
 * A task could not read shuffle output held at {@link #location()}: that worker is gone.
 * The batch recomputes what was there and runs the task again, as Spark does on a fetch
 * failure.
 */
public final class FetchFailedException extends RuntimeException {

    private final String location;

    public FetchFailedException(String location, String message) {
        super(message);
        this.location = location;
    }

    /** The address of the worker whose output is lost. */
    public String location() {
        return location;
    }
}
