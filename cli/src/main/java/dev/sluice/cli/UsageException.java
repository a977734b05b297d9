package dev.sluice.cli;

/** The command line is wrong: exit code 2, with the usage. */
final class UsageException extends RuntimeException {

    UsageException(String message) {
        super(message);
    }
}
