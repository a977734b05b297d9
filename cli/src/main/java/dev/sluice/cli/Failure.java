package dev.sluice.cli;

/** A command could not do what it was asked (a wait that failed or timed out, a file it cannot read): exit code 1. */
final class Failure extends RuntimeException {

    Failure(String message) {
        super(message);
    }
}
