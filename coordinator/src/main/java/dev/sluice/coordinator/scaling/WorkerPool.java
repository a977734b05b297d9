package dev.sluice.coordinator.scaling;

/**
 * A pool of stage-workers that the coordinator may scale: one Deployment, the stages its
 * workers run, and the replicas it must stay between.
 *
 * @param name       the pool's name, as workers report it ({@code SLUICE_WORKER_POOL})
 * @param deployment the Deployment that runs the pool's workers
 * @param stages     the stages the pool runs: {@code all}, or a comma-separated list such as {@code reduce,state}
 * @param min        the fewest replicas the pool may have
 * @param max        the most replicas the pool may have
 */
public record WorkerPool(String name, String deployment, String stages, int min, int max) {

    /** Checks the pool; a bad one is refused with the configuration key to fix. */
    public WorkerPool {
        String key = "sluice.autoscale.pools." + name;
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a worker pool needs a name (sluice.autoscale.pools.<name>.deployment)");
        }
        if (deployment == null || deployment.isBlank()) {
            throw new IllegalArgumentException(key + ".deployment: the pool's Deployment must be named");
        }
        if (min < 0) {
            throw new IllegalArgumentException(key + ".min: must be 0 or more, got " + min);
        }
        if (max < 1 || max < min) {
            throw new IllegalArgumentException(key + ".max: must be at least 1 and at least min (" + min + "), got " + max);
        }
    }

    /** Whether the pool may have {@code replicas} replicas. */
    public boolean allows(int replicas) {
        return replicas >= min && replicas <= max;
    }

    /** {@code replicas} moved into [min, max]. */
    public int clamp(int replicas) {
        return Math.max(min, Math.min(max, replicas));
    }
}
