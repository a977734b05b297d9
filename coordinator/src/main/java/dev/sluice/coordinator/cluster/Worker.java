package dev.sluice.coordinator.cluster;

import dev.sluice.protocol.CoordinatorMessage;

/**
 * A registered stage-worker, as the coordinator sees it. One instance per registration:
 * a worker that reconnects gets a new instance under a new epoch, and results that name
 * the old epoch are refused.
 */
public final class Worker {

    private final String id;
    private final String address;
    private final int slots;
    private final long epoch;
    private final long registeredAtMs;
    private final MessageChannel<CoordinatorMessage> channel;
    private volatile long lastHeartbeatMs;
    private volatile boolean alive = true;
    // Guarded by the TaskScheduler's lock.
    private int running;
    private long succeeded;
    private long failed;

    public Worker(String id, String address, int slots, long epoch, long nowMs, MessageChannel<CoordinatorMessage> channel) {
        this.id = id;
        this.address = address;
        this.slots = slots;
        this.epoch = epoch;
        this.registeredAtMs = nowMs;
        this.lastHeartbeatMs = nowMs;
        this.channel = channel;
    }

    public String id() {
        return id;
    }

    /** {@code host:port} of the worker's gRPC server. */
    public String address() {
        return address;
    }

    public int slots() {
        return slots;
    }

    public long epoch() {
        return epoch;
    }

    public long registeredAtMs() {
        return registeredAtMs;
    }

    public long lastHeartbeatMs() {
        return lastHeartbeatMs;
    }

    public void heartbeat(long nowMs) {
        lastHeartbeatMs = nowMs;
    }

    public boolean alive() {
        return alive;
    }

    void markDead() {
        alive = false;
    }

    public void send(CoordinatorMessage message) {
        channel.send(message);
    }

    public int running() {
        return running;
    }

    public int freeSlots() {
        return slots - running;
    }

    public long succeeded() {
        return succeeded;
    }

    public long failed() {
        return failed;
    }

    /** A task was assigned to this worker. */
    public void taskStarted() {
        running++;
    }

    /** A task of this worker ended, well or not. */
    public void taskEnded(boolean ok) {
        running--;
        if (ok) {
            succeeded++;
        } else {
            failed++;
        }
    }
}
