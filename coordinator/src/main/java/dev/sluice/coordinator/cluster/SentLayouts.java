package dev.sluice.coordinator.cluster;

import dev.sluice.engine.graph.BatchLayout;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The batch layouts one worker's control stream was sent, so that each goes to a worker once,
 * and the assignments of a stage name it by id instead of carrying it (Drizzle amortises
 * scheduling the same way): a stage of N tasks costs O(N) to send, not O(N²). A batch keeps
 * one layout per job at a time, the one of its latest stage; the executor makes a new layout
 * object whenever one changes, so the object itself says whether it was sent.
 */
final class SentLayouts {

    // Ids are unique in this coordinator process, across workers and registrations.
    private static final AtomicLong NEXT_ID = new AtomicLong();

    private record BatchKey(String job, long batchTimeMs) {
    }

    private record Sent(BatchLayout layout, long id) {
    }

    private final Map<BatchKey, Sent> sent = new HashMap<>();

    /** The id the worker knows {@code layout} of {@code job} by, or 0 when it was not sent yet. */
    long idOf(String job, BatchLayout layout) {
        Sent s = sent.get(new BatchKey(job, layout.batchTimeMs()));
        return s != null && s.layout() == layout ? s.id() : 0;
    }

    /** Remembers that {@code layout} of {@code job} is being sent, and returns its new id. */
    long add(String job, BatchLayout layout) {
        long id = NEXT_ID.incrementAndGet();
        sent.put(new BatchKey(job, layout.batchTimeMs()), new Sent(layout, id));
        return id;
    }

    /** Forgets the layouts of {@code job}'s batches up to {@code batchTimeMs}, as the worker does. */
    void forget(String job, long batchTimeMs) {
        sent.keySet().removeIf(k -> k.job().equals(job) && k.batchTimeMs() <= batchTimeMs);
    }
}
