package dev.sluice.bench.harness;

import java.io.IOException;
import java.util.List;

/** A stream processor under test, run as local processes on the generator's socket. */
interface Contender extends AutoCloseable {

    /** Its name in the results, e.g. {@code sluice}, {@code spark}. */
    String name();

    /**
     * Starts its processes reading the generator at {@code loadPort}, with batches (or
     * windows) of {@code batchMs}; returns once they are up and connected.
     */
    void start(int loadPort, long batchMs) throws IOException, InterruptedException;

    /** The pids of its processes, by role, whose CPU and memory count against it. */
    List<ProcessStats.Proc> processes();

    /** The batches or windows it has finished so far, oldest first. */
    List<OutputUnit> units() throws IOException, InterruptedException;

    /** Stops its processes. */
    @Override
    void close() throws IOException, InterruptedException;
}
