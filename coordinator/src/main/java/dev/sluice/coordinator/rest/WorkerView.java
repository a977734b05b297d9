package dev.sluice.coordinator.rest;

import dev.sluice.coordinator.cluster.Worker;

/**
 * A registered stage-worker.
 *
 * @param pool     the worker pool it belongs to
 * @param stages   which stages it runs: all, or some of map, reduce, state
 * @param draining whether it is leaving (it gets no new task)
 */
public record WorkerView(String id, String address, long epoch, int slots, int freeSlots, int runningTasks,
                         long tasksSucceeded, long tasksFailed, long registeredAt, long lastHeartbeatAgoMs, String pool,
                         String stages, boolean draining) {

    static WorkerView of(Worker w, long nowMs) {
        return new WorkerView(w.id(), w.address(), w.epoch(), w.slots(), w.freeSlots(), w.running(), w.succeeded(),
                w.failed(), w.registeredAtMs(), nowMs - w.lastHeartbeatMs(), w.pool(), w.stages().toString(), w.draining());
    }
}
