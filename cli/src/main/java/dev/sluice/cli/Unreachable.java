package dev.sluice.cli;

/** Nothing answered at the coordinator's URL, or it did not answer in time: exit code 3. */
final class Unreachable extends RuntimeException {

    Unreachable(String message, Throwable cause) {
        super(message, cause);
    }
}
