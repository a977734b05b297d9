package dev.sluice.coordinator.rest;

/**
 * A worker pool. A pool that only has workers, with no {@code sluice.autoscale.pools.<pool>}
 * entry, has no deployment, stages or bounds and cannot be scaled by the coordinator.
 *
 * @param name       the pool's name
 * @param deployment its Deployment, or null when not configured
 * @param stages     the stages it runs, or null when not configured
 * @param min        the fewest replicas, or null when not configured
 * @param max        the most replicas, or null when not configured
 * @param replicas   the replicas its Deployment asks for, or null when unknown (no Kubernetes API, or it failed)
 * @param workers    the workers of the pool registered with the coordinator now
 * @param autoscaled whether the coordinator scales it by itself
 */
public record PoolView(String name, String deployment, String stages, Integer min, Integer max, Integer replicas,
                       int workers, boolean autoscaled) {
}
