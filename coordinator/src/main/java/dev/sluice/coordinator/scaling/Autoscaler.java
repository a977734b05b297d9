package dev.sluice.coordinator.scaling;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * Scales worker pools from how busy the job keeps them, as Spark Streaming's dynamic
 * allocation does: every {@link AutoscalePolicy#batches()} completed batches, the ratio of their
 * mean processing time to the batch interval decides. At or above {@code high} a pool gets
 * {@code max(1, round(ratio))} more replicas (a batch taking twice its interval asks for two);
 * at or below {@code low} it loses one. Each pool keeps within [min, max], and after a change
 * (and after the start) waits {@code cooldownOut} before scaling out again and
 * {@code cooldownIn} before scaling in, so that new workers have registered and warmed up
 * before their effect is judged.
 *
 * <p>Every autoscaled pool follows the same ratio, each within its own bounds and cooldowns:
 * batch records do not say which pool's stages took the time. With several jobs, the ratio
 * averages their batches.
 *
 * <p>Driven by a clock and by batch completions, with no thread of its own. Calls to the
 * {@link PoolScaler} are made on the calling thread; the coordinator calls from one thread of
 * its own so that a slow Kubernetes API never holds up a batch.
 */
public final class Autoscaler {

    private static final Logger LOG = Logger.getLogger(Autoscaler.class.getName());

    private final PoolScaler scaler;
    private final AutoscalePolicy policy;
    private final LongSupplier clockMs;
    private final Map<String, PoolState> pools = new LinkedHashMap<>();
    // Ratios of the batches completed since the last decision or change.
    private final List<Double> window = new ArrayList<>();
    private double lastRatio = Double.NaN;

    /**
     * @param pools   the pools to scale
     * @param scaler  reads and sets their replicas
     * @param policy  when to scale
     * @param clockMs the current time in milliseconds
     */
    public Autoscaler(Collection<WorkerPool> pools, PoolScaler scaler, AutoscalePolicy policy, LongSupplier clockMs) {
        this.scaler = scaler;
        this.policy = policy;
        this.clockMs = clockMs;
        long now = clockMs.getAsLong();
        for (WorkerPool pool : pools) {
            PoolState state = new PoolState(pool);
            // The first batches after a start are slow (JIT, workers still registering): count the start as a change.
            state.changed(now);
            this.pools.put(pool.name(), state);
        }
    }

    /** The pools this autoscaler scales. */
    public List<WorkerPool> pools() {
        return pools.values().stream().map(p -> p.pool).toList();
    }

    /** The ratio of the last decision, if one was made yet. */
    public synchronized OptionalDouble lastRatio() {
        return Double.isNaN(lastRatio) ? OptionalDouble.empty() : OptionalDouble.of(lastRatio);
    }

    /**
     * Brings every pool whose Deployment asks for fewer than min or more than max replicas
     * within its bounds, whatever the cooldowns; the coordinator does it once at start (the
     * chart creates autoscaled Deployments without replicas, which Kubernetes makes 1).
     */
    public synchronized void enforceBounds() {
        for (PoolState p : pools.values()) {
            int current;
            try {
                current = scaler.replicas(p.pool);
            } catch (ScalingException e) {
                LOG.warning(() -> "autoscaler: " + e.getMessage());
                continue;
            }
            int target = p.pool.clamp(current);
            if (target != current) {
                change(p, current, target, "it was outside its bounds [" + p.pool.min() + ", " + p.pool.max() + "]");
            }
        }
    }

    /**
     * Takes one completed batch into account, and decides once enough have completed.
     *
     * @param batchIntervalMs  the job's batch interval
     * @param processingTimeMs how long the batch took to process
     */
    public synchronized void batchDone(long batchIntervalMs, long processingTimeMs) {
        if (batchIntervalMs <= 0 || processingTimeMs < 0) {
            return;
        }
        window.add((double) processingTimeMs / batchIntervalMs);
        if (window.size() < policy.batches()) {
            return;
        }
        double ratio = window.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        window.clear();
        lastRatio = ratio;
        for (PoolState p : pools.values()) {
            decide(p, ratio);
        }
    }

    /**
     * A pool was scaled by someone else (the REST API): its cooldowns start again, and the
     * batches measured with the old number of workers no longer count.
     */
    public synchronized void scaledByHand(String pool) {
        PoolState p = pools.get(pool);
        if (p != null) {
            p.changed(clockMs.getAsLong());
            window.clear();
        }
    }

    private void decide(PoolState p, double ratio) {
        long now = clockMs.getAsLong();
        boolean out;
        int step;
        if (ratio >= policy.high()) {
            out = true;
            step = Math.max(1, (int) Math.round(ratio));
        } else if (ratio <= policy.low()) {
            out = false;
            step = -1;
        } else {
            return;
        }
        if (now < (out ? p.nextOutMs : p.nextInMs)) {
            return;
        }
        int current;
        try {
            current = scaler.replicas(p.pool);
        } catch (ScalingException e) {
            LOG.warning(() -> "autoscaler: " + e.getMessage() + "; trying again after the cooldown");
            p.hold(now, out);
            return;
        }
        int target = p.pool.clamp(current + step);
        if (!out) {
            // Never down to 0 by itself: with no worker no batch completes, and nothing would scale the pool out again.
            target = Math.max(target, Math.min(current, 1));
        }
        if (target == current) {
            // At a bound: look again after the cooldown rather than at every decision.
            p.hold(now, out);
            return;
        }
        change(p, current, target, String.format(Locale.ROOT,
                "batches took %.2f of their interval (%s %.2f)", ratio, out ? "scale out at" : "scale in at",
                out ? policy.high() : policy.low()));
    }

    private void change(PoolState p, int from, int to, String why) {
        long now = clockMs.getAsLong();
        try {
            int replicas = scaler.scale(p.pool, to);
            p.changed(now);
            window.clear();
            LOG.info(() -> "autoscaler: worker pool '" + p.pool.name() + "' (deployment " + p.pool.deployment()
                    + ") scaled from " + from + " to " + replicas + " replicas: " + why);
        } catch (ScalingException e) {
            LOG.warning(() -> "autoscaler: could not scale worker pool '" + p.pool.name() + "' from " + from + " to " + to
                    + " replicas: " + e.getMessage() + "; trying again after the cooldown");
            p.hold(now, to > from);
        }
    }

    /** What the autoscaler remembers of one pool. */
    private final class PoolState {
        final WorkerPool pool;
        long nextOutMs;
        long nextInMs;

        PoolState(WorkerPool pool) {
            this.pool = pool;
        }

        void changed(long now) {
            nextOutMs = now + policy.cooldownOutMs();
            nextInMs = now + policy.cooldownInMs();
        }

        /** Nothing changed, but this direction is not worth another look until its cooldown has passed. */
        void hold(long now, boolean out) {
            if (out) {
                nextOutMs = now + policy.cooldownOutMs();
            } else {
                nextInMs = now + policy.cooldownInMs();
            }
        }
    }
}
