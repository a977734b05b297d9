package dev.sluice.worker.control;

import dev.sluice.engine.graph.BatchLayout;
import dev.sluice.protocol.LayoutUpdate;
import dev.sluice.protocol.convert.TaskMessages;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The batch layouts the coordinator sent on the control stream, which assignments name by id
 * instead of carrying them. Forgotten as the coordinator forgets them: a job's batch when it is
 * done, all of them when the worker registers again.
 */
final class ReceivedLayouts {

    private static final Logger LOG = Logger.getLogger(ReceivedLayouts.class.getName());

    private record Held(String job, BatchLayout layout) {
    }

    private final Map<Long, Held> byId = new ConcurrentHashMap<>();

    /** Keeps the layout {@code update} carries; a malformed one is logged and left out, so tasks naming it fail. */
    void add(LayoutUpdate update) {
        try {
            byId.put(update.getLayoutId(), new Held(update.getJob(), TaskMessages.fromLayoutUpdate(update)));
        } catch (IllegalArgumentException e) {
            LOG.warning(() -> "ignoring layout " + update.getLayoutId() + " from the coordinator: " + e.getMessage());
        }
    }

    /** The layout sent under {@code id}, or null when none was, or it was forgotten. */
    BatchLayout get(long id) {
        Held held = byId.get(id);
        return held == null ? null : held.layout();
    }

    /** Forgets {@code job}'s layouts of the batches up to {@code batchTimeMs}. */
    void batchDone(String job, long batchTimeMs) {
        byId.values().removeIf(h -> h.job().equals(job) && h.layout().batchTimeMs() <= batchTimeMs);
    }

    void clear() {
        byId.clear();
    }
}
