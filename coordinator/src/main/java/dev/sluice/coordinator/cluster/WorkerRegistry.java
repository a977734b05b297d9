package dev.sluice.coordinator.cluster;

import dev.sluice.engine.plan.StageSelector;

import dev.sluice.protocol.CoordinatorMessage;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The stage-workers currently registered. A worker is lost when its stream breaks or its
 * heartbeats stop; listeners hear of it once, outside the registry's lock.
 */
public final class WorkerRegistry {

    private static final Logger LOG = Logger.getLogger(WorkerRegistry.class.getName());

    private final Map<String, Worker> workers = new LinkedHashMap<>();
    private final List<Consumer<Worker>> lostListeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> changeListeners = new CopyOnWriteArrayList<>();
    // Epochs of a restarted coordinator must not repeat its predecessor's, or a status a worker
    // sent under an old registration could pass for one of the new: they start from the clock
    // (a thousand registrations a millisecond of uptime before they could meet).
    private long nextEpoch = System.currentTimeMillis() * 1000;

    /** Calls {@code listener} whenever the set of workers or their state changes: a join, a loss, a drain. */
    public void onChange(Runnable listener) {
        changeListeners.add(listener);
    }

    /** Tells the change listeners that a worker's state changed. */
    public void changed() {
        changeListeners.forEach(Runnable::run);
    }

    /** Calls {@code listener} with every worker that is lost, after it is removed. */
    public void onLost(Consumer<Worker> listener) {
        lostListeners.add(listener);
    }

    /**
     * Registers a worker under a new epoch. A worker registering again under the same id
     * replaces (and loses) its previous registration.
     */
    public Worker register(String id, String address, int slots, long nowMs, MessageChannel<CoordinatorMessage> channel) {
        return register(id, address, slots, Worker.DEFAULT_POOL, StageSelector.ALL, nowMs, channel);
    }

    /** Registers a worker of {@code pool} that runs the {@code stages} it selects; as above otherwise. */
    public Worker register(String id, String address, int slots, String pool, StageSelector stages, long nowMs,
                           MessageChannel<CoordinatorMessage> channel) {
        return register(id, address, slots, pool, stages, nowMs, channel, w -> { });
    }

    /**
     * Registers a worker as above, after {@code welcome} told it what it must hear before any
     * task: until then no one finds it here, so the scheduler cannot send it one. A task that
     * got ahead of its epoch would report under none, and its status would be ignored for good.
     */
    public Worker register(String id, String address, int slots, String pool, StageSelector stages, long nowMs,
                           MessageChannel<CoordinatorMessage> channel, Consumer<Worker> welcome) {
        Worker worker;
        synchronized (this) {
            worker = new Worker(id, address, slots, pool, stages, nextEpoch++, nowMs, channel);
        }
        welcome.accept(worker);
        Worker previous;
        synchronized (this) {
            previous = workers.put(id, worker);
        }
        if (previous != null) {
            lost(previous, "registered again");
        }
        changed();
        LOG.info(() -> "worker " + id + " at " + address + " joined pool " + pool + " with " + slots + " slots for "
                + stages + " stages (epoch " + worker.epoch() + ")");
        return worker;
    }

    /** Declares {@code worker} lost; listeners hear of each registration at most once. */
    public void lost(Worker worker, String reason) {
        synchronized (this) {
            if (!worker.alive()) {
                return;
            }
            worker.markDead();
            workers.remove(worker.id(), worker);
        }
        LOG.warning(() -> "worker " + worker.id() + " (epoch " + worker.epoch() + ") lost: " + reason);
        lostListeners.forEach(l -> l.accept(worker));
        changed();
    }

    /** Declares lost every worker whose last heartbeat is older than {@code timeoutMs}. */
    public void expire(long nowMs, long timeoutMs) {
        List<Worker> expired = new ArrayList<>();
        synchronized (this) {
            for (Worker w : workers.values()) {
                if (nowMs - w.lastHeartbeatMs() > timeoutMs) {
                    expired.add(w);
                }
            }
        }
        expired.forEach(w -> lost(w, "no heartbeat for " + (nowMs - w.lastHeartbeatMs()) + " ms"));
    }

    /** The live workers, in registration order. */
    public synchronized List<Worker> alive() {
        return List.copyOf(workers.values());
    }

    /** The live workers sorted by id, for display. */
    public List<Worker> byId() {
        List<Worker> list = new ArrayList<>(alive());
        list.sort(Comparator.comparing(Worker::id));
        return list;
    }
}
