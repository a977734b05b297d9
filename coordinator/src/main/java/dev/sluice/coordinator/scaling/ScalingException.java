package dev.sluice.coordinator.scaling;

/** A pool could not be read or scaled. The message says why and what to do. */
public class ScalingException extends RuntimeException {

    public ScalingException(String message) {
        super(message);
    }

    public ScalingException(String message, Throwable cause) {
        super(message, cause);
    }
}
