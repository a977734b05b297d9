package dev.sluice.engine.job;

import java.util.Set;

/** A job name that no {@code StreamingJob} on the classpath has. */
public final class UnknownJobException extends RuntimeException {

    public UnknownJobException(String name, Set<String> known) {
        super("no job named '" + name + "'; known jobs: " + (known.isEmpty() ? "none" : String.join(", ", known)));
    }
}
