package dev.sluice.worker.control;

import dev.sluice.engine.plan.StageSelector;

/**
 * Who this worker is to the coordinator.
 *
 * @param id      its stable name
 * @param address host:port of its data server, where peers fetch
 * @param pool    the worker pool it belongs to
 * @param stages  which stages it runs
 */
public record WorkerIdentity(String id, String address, String pool, StageSelector stages) {
}
